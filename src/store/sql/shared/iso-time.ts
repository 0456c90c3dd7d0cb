/** 9999-12-31T23:59:59.999Z + 1 ms: from there on (and before 1970) `toISOString` has other spellings. */
const END = 253_402_300_800_000;
const DAY = 86_400_000;

let lastDay = Number.NaN;
let lastPrefix = "";

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** "YYYY-MM-DDT" of a day count since 1970-01-01 (civil-from-days, proleptic Gregorian). */
function dayPrefix(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}T`;
}

/**
 * `new Date(ms).toISOString()` (null for null), the same text written without a `Date`:
 * whole milliseconds from 1970 to 9999 take the arithmetic path (the day's prefix is remembered
 * between calls, as neighbouring rows share days); anything else goes to `Date` itself.
 *
 * @example
 * isoTime(0); // "1970-01-01T00:00:00.000Z"
 */
export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  if (!Number.isInteger(ms) || ms < 0 || ms >= END) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY);
  if (days !== lastDay) {
    lastPrefix = dayPrefix(days);
    lastDay = days;
  }
  let rem = ms - days * DAY;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const min = Math.floor(rem / 60_000);
  rem -= min * 60_000;
  const s = Math.floor(rem / 1000);
  return `${lastPrefix}${pad2(h)}:${pad2(min)}:${pad2(s)}.${pad3(rem - s * 1000)}Z`;
}
