import { ByteWriter } from "hyparquet-writer";

const utf8 = new TextEncoder();

/**
 * A growing byte buffer (hyparquet-writer's, so its encoders write into it too) with the
 * writes a column chunk makes per value done on a byte view: whole numbers as little-endian
 * INT64 without a BigInt, strings as length-prefixed UTF-8 (ASCII copied byte by byte).
 *
 * @example
 * const b = new Bytes(16);
 * b.int64(-1);
 * b.utf8("é");
 * b.done(); // 8 bytes of 0xff, then 02 00 00 00 c3 a9
 */
export class Bytes extends ByteWriter {
  #u8: Uint8Array;

  constructor(size: number) {
    super(Math.max(16, size));
    this.#u8 = new Uint8Array(this.buffer);
  }

  override ensure(size: number): void {
    if (this.index + size <= this.buffer.byteLength) return;
    super.ensure(size);
    this.#u8 = new Uint8Array(this.buffer);
  }

  u8(v: number): void {
    this.appendUint8(v);
  }

  varint(v: number): void {
    this.appendVarInt(v);
  }

  /** A safe integer as a little-endian two's-complement INT64. */
  int64(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setUint32(this.index, v - hi * 4294967296, true);
    this.view.setInt32(this.index + 4, hi, true);
    this.index += 8;
    this.offset += 8;
  }

  /** A string as PLAIN BYTE_ARRAY: its UTF-8 length (4 bytes, little-endian), then its UTF-8 bytes. */
  utf8(s: string): void {
    const n = s.length;
    this.ensure(4 + 3 * n);
    const u8 = this.#u8;
    const at = this.index + 4;
    let len = n;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        len = utf8.encodeInto(s, u8.subarray(at)).written;
        break;
      }
      u8[at + i] = c;
    }
    this.view.setUint32(this.index, len, true);
    this.index += 4 + len;
    this.offset += 4 + len;
  }

  /** The bytes written (a view on the buffer). */
  done(): Uint8Array {
    return new Uint8Array(this.buffer, 0, this.index);
  }
}
