import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_RE = /^lbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A new key `lbk_<16 hex id>_<43 base64url secret>` (256 random bits), its id and its secret. */
export function generateKey(): { key: string; id: string; secret: string } {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { key: `lbk_${id}_${secret}`, id, secret };
}

/** Splits a presented key; `null` when it does not have the shape of a labbook key. */
export function parseKey(key: string): { id: string; secret: string } | null {
  const m = KEY_RE.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

/** A fresh per-key salt (hex). */
export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/** HMAC-SHA-256 of the secret keyed by the key's salt (hex). */
export function hashSecret(secret: string, salt: string): string {
  return createHmac("sha256", Buffer.from(salt, "hex")).update(secret, "utf8").digest("hex");
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, salt: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret, salt), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
