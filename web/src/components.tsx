import type { ComponentChildren } from "preact";
import type { Status } from "./types.ts";
import type { Loaded } from "./use-data.ts";

/** A run's status at a glance: a coloured dot and the word. */
export function StatusBadge({ status }: { status: Status | string }) {
  return <span class={`status ${status}`}>{status}</span>;
}

/** Data, or its loading state or error. */
export function Show<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.data !== undefined) return <>{children(loaded.data)}</>;
  if (loaded.error)
    return (
      <p class="error" role="alert">
        {loaded.error.message}
      </p>
    );
  return (
    <p class="muted" aria-busy="true">
      Loading…
    </p>
  );
}

/** An error line, when there is one. */
export function ErrorLine({ error }: { error: Error | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error.message}
    </p>
  ) : null;
}
