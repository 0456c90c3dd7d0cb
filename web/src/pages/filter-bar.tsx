import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type CompletionField, type Completions, complete } from "../completion.ts";

interface Props {
  /** The applied filter. */
  value: string;
  onApply(filter: string): void;
  fields: readonly CompletionField[];
  /** The error of the applied filter: its message and 0-based position. */
  error?: { message: string; position?: number } | undefined;
  label?: string;
  /** Called when the input gets the focus (to load the completions). */
  onFocus?(): void;
}

/**
 * The filter bar: the string syntax of the query language, completed from the field catalog
 * (Tab or Enter takes a completion, arrows move through them, Escape closes them), applied
 * with Enter; an error is shown under the position it names.
 */
export function FilterBar({ value, onApply, fields, error, label = "Filter", onFocus }: Props) {
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [cursor, setCursor] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setText(value), [value]);
  const comps: Completions = useMemo(() => complete(text, cursor, fields), [text, cursor, fields]);
  const showList = open && comps.items.length > 0;
  const take = (i: number) => {
    const c = comps.items[i];
    if (!c) return;
    const next = text.slice(0, comps.from) + c.insert + " " + text.slice(comps.to).replace(/^ /, "");
    const at = comps.from + c.insert.length + 1;
    setText(next);
    setCursor(at);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  };
  const onKey = (e: KeyboardEvent) => {
    if (showList && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      const n = comps.items.length;
      setActive((a) => (a + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (showList && (e.key === "Tab" || (e.key === "Enter" && !e.ctrlKey))) {
      e.preventDefault();
      take(active);
    } else if (e.key === "Escape") {
      setOpen(false);
    } else if (e.key === "Enter") {
      e.preventDefault();
      setOpen(false);
      onApply(text.trim());
    }
  };
  const sync = (e: Event) => {
    const el = e.target as HTMLInputElement;
    setText(el.value);
    setCursor(el.selectionStart ?? el.value.length);
    setActive(0);
    setOpen(true);
  };
  const listId = "filter-completions";
  const pos = error?.position;
  return (
    <div class="filter">
      <label class="sr-only" for="filter-input">
        {label}
      </label>
      <input
        id="filter-input"
        ref={input}
        type="text"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "filter-error" : undefined}
        spellcheck={false}
        autoComplete="off"
        placeholder='metrics.acc > 0.9 and params.model = "b"   (Enter applies)'
        value={text}
        onInput={sync}
        onClick={(e) => setCursor((e.target as HTMLInputElement).selectionStart ?? 0)}
        onKeyUp={(e) => {
          if (e.key === "ArrowLeft" || e.key === "ArrowRight" || e.key === "Home" || e.key === "End")
            setCursor((e.target as HTMLInputElement).selectionStart ?? 0);
        }}
        onFocus={() => {
          onFocus?.();
          setOpen(true);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
      />
      {showList && (
        <div class="completions" id={listId} role="listbox" aria-label="Completions">
          {comps.items.map((c, i) => (
            <div
              key={c.label}
              tabIndex={-1}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                take(i);
              }}
            >
              <span>{c.label}</span>
              {c.detail && <span class="muted">{c.detail}</span>}
            </div>
          ))}
        </div>
      )}
      {error && (
        <div class="err" id="filter-error" role="alert" data-position={pos}>
          {pos !== undefined && <div class="caret">{`${" ".repeat(pos)}^`}</div>}
          <div class="msg">{error.message}</div>
        </div>
      )}
    </div>
  );
}
