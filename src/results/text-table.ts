/** How to colour a cell: receives the padded text. */
export type Paint = (text: string) => string;

export interface TextTableColumn {
  header: string;
  align?: "left" | "right";
  /** Colours a cell of this column, given its raw text. */
  paint?: (raw: string) => Paint | undefined;
}

/**
 * Lays out a plain text table: a header, a rule, and rows, columns separated by two spaces.
 * Widths are measured on the plain text, so colour never shifts the columns.
 *
 * @example
 * textTable([{ header: "name" }, { header: "n", align: "right" }], [["a", "1"]]);
 */
export function textTable(
  columns: readonly TextTableColumn[],
  rows: readonly (readonly string[])[],
  style: { header?: Paint; rule?: Paint } = {},
): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
  const pad = (text: string, i: number) =>
    columns[i]?.align === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const head = columns.map((c, i) => pad(c.header, i)).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const lines = [style.header ? style.header(head) : head, style.rule ? style.rule(rule) : rule];
  for (const row of rows) {
    const cells = columns.map((c, i) => {
      const raw = row[i] ?? "";
      const paint = c.paint?.(raw);
      return paint ? paint(pad(raw, i)) : pad(raw, i);
    });
    lines.push(cells.join("  ").trimEnd());
  }
  return lines.map((l) => l.trimEnd()).join("\n");
}
