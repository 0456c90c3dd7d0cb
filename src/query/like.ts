/** One piece of a `like` pattern: `%` (any run of characters), `_` (one character) or a literal character. */
export type LikePiece = { t: "any" } | { t: "one" } | { t: "char"; c: string };

/**
 * Splits a `like` pattern into pieces, by code point: `%` matches any run of characters
 * (possibly empty), `_` exactly one, and a backslash makes the next character literal
 * (a trailing backslash is a literal backslash).
 *
 * @example
 * likePieces("a\\%_"); // [{t:"char",c:"a"}, {t:"char",c:"%"}, {t:"one"}]
 */
export function likePieces(pattern: string): LikePiece[] {
  const cps = Array.from(pattern);
  const out: LikePiece[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === "\\") {
      const n = cps[i + 1];
      out.push({ t: "char", c: n ?? "\\" });
      i++;
    } else if (c === "%") out.push({ t: "any" });
    else if (c === "_") out.push({ t: "one" });
    else out.push({ t: "char", c });
  }
  return out;
}

/**
 * Lower-cases ASCII letters only (what `ilike` ignores; other letters keep their case).
 *
 * @example
 * foldAscii("ÉA"); // "Éa"
 */
export function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The `like` pattern that matches strings containing `text` (its `%`, `_` and `\` escaped).
 *
 * @example
 * containsPattern("50%"); // "%50\\%%"
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, "\\$&")}%`;
}

/**
 * Whether `value` contains `text`; `caseInsensitive` folds ASCII letters only.
 *
 * @example
 * containsMatch("metric-beta", "beta", false); // true
 */
export function containsMatch(value: string, text: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? foldAscii(value).includes(foldAscii(text)) : value.includes(text);
}

const cache = new Map<string, RegExp>();

/**
 * Whether `value` matches a `like` pattern (`%`, `_`, backslash escapes); `caseInsensitive`
 * folds ASCII letters only.
 *
 * @example
 * likeMatch("llama-7b", "llama%", false); // true
 */
export function likeMatch(value: string, pattern: string, caseInsensitive: boolean): boolean {
  const key = `${caseInsensitive ? "i" : "c"}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const src = likePieces(pattern)
      .map((p) => {
        if (p.t === "any") return "[^]*";
        if (p.t === "one") return "[^]";
        const c = caseInsensitive ? foldAscii(p.c) : p.c;
        return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      })
      .join("");
    re = new RegExp(`^${src}$`, "u");
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re.test(caseInsensitive ? foldAscii(value) : value);
}
