let lastDay = "";
let lastDayMs = 0;

/** The places of the digits of a time's `HH:MM:SS.mmm` part. */
const DIGITS = [11, 12, 14, 15, 17, 18, 20, 21, 22] as const;

function digits(iso: string): boolean {
  for (const i of DIGITS) {
    const c = iso.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Milliseconds since the epoch of an ISO 8601 UTC time as labbook writes it
 * (`2026-01-02T03:04:05.678Z`), the day's part remembered between calls as neighbouring runs
 * share days; any other spelling goes to `Date.parse`.
 *
 * @example
 * isoMillis("1970-01-02T00:00:01.500Z"); // 86_401_500
 */
export function isoMillis(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(23) !== 90) return Date.parse(iso);
  const day = iso.slice(0, 10);
  if (day !== lastDay) {
    const ms = Date.parse(`${day}T00:00:00.000Z`);
    if (Number.isNaN(ms)) return Date.parse(iso);
    lastDay = day;
    lastDayMs = ms;
  }
  const d = (i: number) => iso.charCodeAt(i) - 48;
  const h = d(11) * 10 + d(12);
  const m = d(14) * 10 + d(15);
  const s = d(17) * 10 + d(18);
  const ms = d(20) * 100 + d(21) * 10 + d(22);
  if (
    iso.charCodeAt(13) !== 58 ||
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 ||
    !(h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 60 && ms >= 0 && ms < 1000) ||
    !digits(iso)
  )
    return Date.parse(iso);
  return lastDayMs + ((h * 60 + m) * 60 + s) * 1000 + ms;
}
