import { parse } from "yaml";

const LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$/;
/** A plain value the hand reading takes: no YAML indicator first, no `: `, ` #` or tab inside (nor `:` last). */
const PLAIN = /^[^\s"'[\]{}|>&*!%@`#,?:-](?:(?!: | #|\t).)*$/;

/**
 * A `meta.yaml` as MLflow's file store writes it (one `key: value` per line, values plain or in
 * single quotes, `tags: []`) read without the YAML parser, each value as text; `null` for any
 * other shape (the caller parses that with YAML). Agrees with YAML's failsafe schema on what it reads.
 *
 * @example
 * flatMeta("run_id: 8f\nentry_point_name: ''\nstatus: 3\n"); // { run_id: "8f", entry_point_name: "", status: "3" }
 */
export function flatMeta(text: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") continue;
    const m = LINE.exec(line);
    if (!m || m[1] === "__proto__" || Object.hasOwn(out, m[1]!)) return null;
    const v = (m[2] ?? "").trimEnd();
    if (v === "[]") out[m[1]!] = [];
    else if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) {
      const inner = v.slice(1, -1);
      if (inner.replaceAll("''", "").includes("'")) return null;
      out[m[1]!] = inner.replaceAll("''", "'");
    } else if (PLAIN.test(v) && !v.endsWith(":")) out[m[1]!] = v;
    else return null;
  }
  return out;
}

/**
 * A `meta.yaml` with every scalar kept as text (YAML's failsafe schema): a run id of digits only,
 * or of digits around one `e`, would otherwise read as a number. MLflow's own flat files are read
 * by {@link flatMeta}; anything else by the YAML parser.
 *
 * @example
 * mlflowMeta("run_id: 12345678901234567890123456789e12\n"); // { run_id: "12345678901234567890123456789e12" }
 */
export function mlflowMeta(text: string): Record<string, unknown> | null {
  const flat = flatMeta(text);
  if (flat !== null && Object.keys(flat).length > 0) return flat;
  const v = parse(text, { schema: "failsafe" }) as unknown;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
