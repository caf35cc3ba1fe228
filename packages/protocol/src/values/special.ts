/**
 * UUID, BIT, BIGNUM (VARINT) and the NULL type: DuckDB types with their own encodings.
 *
 * - UUID: declared `FixedSizeBinary(16)` + `arrow.uuid` (DuckDB maps it back to UUID);
 *   DuckDB sends a 36-char `Utf8` unless `arrow_lossless_conversion` is set.
 * - BIT: DuckDB's own bytes: byte 0 = number of padding bits, then the bits MSB-first
 *   with the padding bits (set to 1) in front. Sent as bare `Binary` by default.
 * - BIGNUM: 3-byte header (bit 23 = sign, low 23 bits = byte count) then the big-endian
 *   magnitude; for negatives every byte after the sign bit is inverted.
 */
import { Binary, DataType, FixedSizeBinary, Null, makeData, type Data } from "apache-arrow";
import { UUID_EXTENSION, canonicalExtension, duckdbOpaque } from "./extension.js";
import { toBigInt } from "./numeric.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { byteSlices, isBinaryType, isStringType, packBytes, stringSlices } from "./string.js";
import { badValue, packValidity, validityTest } from "./validity.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export class UuidType extends BaseSqlType<string> {
  readonly id = "UUID";
  readonly sqlName = "UUID";
  private readonly meta = canonicalExtension(UUID_EXTENSION);
  protected makeArrowType(): DataType {
    return new FixedSizeBinary(16);
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return (DataType.isFixedSizeBinary(type) && type.byteWidth === 16) || isStringType(type);
  }
  protected chunkReader(data: Data): RowReader<string> {
    const valid = validityTest(data);
    if (isStringType(data.type)) {
      const text = stringSlices(data);
      return (i) => (valid(i) ? text(i).toLowerCase() : null);
    }
    const bytes = data.values as Uint8Array;
    return (i) => (valid(i) ? uuidText(bytes, i * 16) : null);
  }
  build(values: readonly (string | null | undefined)[]): Data {
    const n = values.length;
    const bytes = new Uint8Array(n * 16);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null) continue;
      if (typeof v !== "string" || !UUID_TEXT.test(v)) throw badValue(this.sqlName, v);
      const hex = v.replace(/-/g, "");
      for (let b = 0; b < 16; b++) bytes[i * 16 + b] = parseInt(hex.slice(b * 2, b * 2 + 2), 16);
    }
    const type = this.arrowType() as FixedSizeBinary;
    return makeData({ type, length: n, ...packValidity(values), data: bytes });
  }
}

function uuidText(bytes: Uint8Array, at: number): string {
  let s = "";
  for (let b = 0; b < 16; b++) {
    if (b === 4 || b === 6 || b === 8 || b === 10) s += "-";
    s += HEX[bytes[at + b]!];
  }
  return s;
}

/** Binary-backed DuckDB type with a byte codec (BIT, BIGNUM). */
abstract class CodecType<T, I> extends BaseSqlType<T, I> {
  protected abstract readonly meta: ReadonlyMap<string, string>;
  protected abstract decode(bytes: Uint8Array): T;
  protected abstract encode(value: unknown): Uint8Array;
  protected makeArrowType(): DataType {
    return new Binary();
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return isBinaryType(type);
  }
  protected chunkReader(data: Data): RowReader<T> {
    const valid = validityTest(data);
    const slice = byteSlices(data);
    return (i) => (valid(i) ? this.decode(slice(i)) : null);
  }
  build(values: readonly (I | null | undefined)[]): Data {
    const type = this.arrowType() as Binary;
    const bytes = packBytes(values, (v) => this.encode(v));
    return makeData({ type, length: values.length, ...packValidity(values), ...bytes });
  }
}

/** BIT as a string of `0`/`1` characters, e.g. "0101". */
export class BitType extends CodecType<string, string> {
  readonly id = "BIT";
  readonly sqlName = "BIT";
  protected readonly meta = duckdbOpaque("bit");
  protected decode(bytes: Uint8Array): string {
    const padding = bytes[0] ?? 0;
    let s = "";
    for (let bit = 8 + padding; bit < bytes.length * 8; bit++) {
      s += (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1 ? "1" : "0";
    }
    return s;
  }
  protected encode(value: unknown): Uint8Array {
    if (typeof value !== "string" || !/^[01]+$/.test(value)) throw badValue(this.sqlName, value);
    const dataBytes = (value.length + 7) >> 3;
    const padding = dataBytes * 8 - value.length;
    const out = new Uint8Array(1 + dataBytes);
    out[0] = padding;
    for (let k = 0; k < padding; k++) out[1]! |= 0x80 >> k;
    for (let k = 0; k < value.length; k++) {
      const bit = 8 + padding + k;
      if (value.charCodeAt(k) === 49) out[bit >> 3]! |= 0x80 >> (bit & 7);
    }
    return out;
  }
}

/** BIGNUM (formerly VARINT): arbitrary-precision integers as JS bigints. */
export class BignumType extends CodecType<bigint, bigint | number> {
  readonly id = "BIGNUM";
  readonly sqlName = "BIGNUM";
  protected readonly meta = duckdbOpaque("bignum");
  protected decode(bytes: Uint8Array): bigint {
    const negative = (bytes[0]! & 0x80) === 0;
    let hex = "";
    for (let k = 3; k < bytes.length; k++) hex += HEX[negative ? 255 - bytes[k]! : bytes[k]!];
    const magnitude = hex === "" ? 0n : BigInt(`0x${hex}`);
    return negative ? -magnitude : magnitude;
  }
  protected encode(value: unknown): Uint8Array {
    const v = toBigInt(this.sqlName, value);
    const negative = v < 0n;
    let hex = (negative ? -v : v).toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const size = hex.length / 2;
    if (size > 0x7fffff) throw badValue(this.sqlName, value, "too large");
    const out = new Uint8Array(3 + size);
    const header = 0x800000 | size;
    out[0] = header >> 16;
    out[1] = (header >> 8) & 0xff;
    out[2] = header & 0xff;
    for (let k = 0; k < size; k++) out[3 + k] = parseInt(hex.slice(k * 2, k * 2 + 2), 16);
    if (negative) for (let k = 0; k < out.length; k++) out[k] = 255 - out[k]!;
    return out;
  }
}

/** The type of an untyped NULL literal: Arrow `Null`, value always null. */
export class NullType extends BaseSqlType<null> {
  readonly id = "NULL";
  readonly sqlName = "NULL";
  protected makeArrowType(): DataType {
    return new Null();
  }
  accepts(type: DataType): boolean {
    return DataType.isNull(type);
  }
  protected chunkReader(): RowReader<null> {
    return () => null;
  }
  build(values: readonly (null | undefined)[]): Data {
    for (const v of values) if (v != null) throw badValue(this.sqlName, v);
    return makeData({
      type: this.arrowType() as Null,
      length: values.length,
      nullCount: values.length,
    });
  }
}

export const uuid = new UuidType();
export const bit = new BitType();
export const bignum = new BignumType();
export const sqlNull = new NullType();
