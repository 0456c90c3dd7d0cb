import { useEffect, useRef, useState } from "preact/hooks";

interface Props {
  label: string;
  /** Every field that may be chosen, in order. */
  options: readonly string[];
  chosen: readonly string[];
  onChange(chosen: string[]): void;
  /** Called when the list opens (to load the options). */
  onOpen?(): void;
  /** The options are still loading. */
  loading?: boolean;
}

/** A button opening a searchable list of fields with checkboxes (Escape closes it). */
export function FieldPicker({ label, options, chosen, onChange, onOpen, loading }: Props) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const box = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onEscape = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", onEscape);
    search.current?.focus();
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", onEscape);
    };
  }, [open]);
  const shown = options.filter((o) => o.toLowerCase().includes(q.toLowerCase()));
  const id = `picker-${label.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <div class="rel" ref={box}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen(!open);
        }}
      >
        {label}
        {chosen.length > 0 ? ` (${chosen.length})` : ""}
      </button>
      {open && (
        <fieldset class="picker" id={id} aria-label={label}>
          <legend class="sr-only">{label}</legend>
          <input
            type="search"
            placeholder="search fields"
            aria-label={`Search ${label.toLowerCase()}`}
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
            ref={search}
          />
          {chosen.length > 0 && (
            <button type="button" onClick={() => onChange([])} style="margin-left:0.4rem">
              Clear
            </button>
          )}
          {shown.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={chosen.includes(o)}
                onChange={(e) =>
                  onChange(
                    (e.target as HTMLInputElement).checked ? [...chosen, o] : chosen.filter((c) => c !== o),
                  )
                }
              />
              {o}
            </label>
          ))}
          {loading && <p class="muted">Loading the field catalog…</p>}
          {shown.length === 0 && !loading && <p class="muted">No field matches.</p>}
        </fieldset>
      )}
    </div>
  );
}
