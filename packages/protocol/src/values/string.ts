/**
 * VARCHAR, JSON and BLOB, plus the byte-slice helpers the binary-backed DuckDB types
 * (UUID, BIT, BIGNUM) share. DuckDB sends `Utf8`/`Binary` by default, `LargeUtf8` with
 * `arrow_large_buffer_size`, `Utf8View` with `produce_arrow_string_view`; all are read.
 */
import { Binary, DataType, Utf8, makeData, makeVector, type Data } from "apache-arrow";
import { JSON_EXTENSION, canonicalExtension } from "./extension.js";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export const isStringType = (t: DataType): boolean =>
  DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t);
export const isBinaryType = (t: DataType): boolean =>
  DataType.isBinary(t) || DataType.isLargeBinary(t) || DataType.isBinaryView(t);

/**
 * Row `i`'s bytes for any variable- or fixed-size binary/string layout, as a zero-copy
 * view where the layout allows (the view layouts go through arrow-js).
 */
export function byteSlices(data: Data): (i: number) => Uint8Array {
  const type = data.type;
  const bytes = data.values as Uint8Array;
  if (DataType.isFixedSizeBinary(type)) {
    const w = type.byteWidth;
    return (i) => bytes.subarray(i * w, (i + 1) * w);
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined;
  if (offsets instanceof Int32Array) return (i) => bytes.subarray(offsets[i]!, offsets[i + 1]!);
  if (offsets instanceof BigInt64Array) {
    return (i) => bytes.subarray(Number(offsets[i]!), Number(offsets[i + 1]!));
  }
  const vector = makeVector(data);
  return (i) => {
    const v = vector.get(i) as Uint8Array | string;
    return typeof v === "string" ? encoder.encode(v) : v;
  };
}

/** Row `i` as a string, for any string layout. */
export function stringSlices(data: Data): (i: number) => string {
  if (DataType.isUtf8View(data.type)) {
    const vector = makeVector(data);
    return (i) => vector.get(i) as string;
  }
  const slice = byteSlices(data);
  return (i) => decoder.decode(slice(i));
}

/** Concatenate byte strings into Arrow `offsets` + `data` buffers. */
export function packBytes(
  values: readonly unknown[],
  toBytes: (v: unknown) => Uint8Array,
): { valueOffsets: Int32Array; data: Uint8Array } {
  const n = values.length;
  const parts: Uint8Array[] = new Array<Uint8Array>(n);
  const valueOffsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const b = v == null ? EMPTY : toBytes(v);
    parts[i] = b;
    total += b.length;
    valueOffsets[i + 1] = total;
  }
  if (total > 0x7fffffff) throw new RangeError(`column of ${total} bytes exceeds 2 GiB`);
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) data.set(parts[i]!, valueOffsets[i]!);
  return { valueOffsets, data };
}
const EMPTY = new Uint8Array(0);

/** UTF-8 encode strings straight into one growing buffer (no per-string arrays). */
export function packStrings(
  sqlName: string,
  values: readonly unknown[],
): { valueOffsets: Int32Array; data: Uint8Array } {
  const n = values.length;
  const valueOffsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) continue;
    if (typeof v !== "string") throw badValue(sqlName, v);
    chars += v.length;
  }
  let data = new Uint8Array(chars + 16);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as string | null | undefined;
    if (v != null && v.length > 0) {
      for (;;) {
        const r = encoder.encodeInto(v, data.subarray(at));
        if (r.read === v.length) {
          at += r.written;
          break;
        }
        const bigger = new Uint8Array(Math.max(data.length * 2, at + v.length * 3));
        bigger.set(data.subarray(0, at));
        data = bigger;
      }
    }
    if (at > 0x7fffffff) throw new RangeError(`column of ${at} bytes exceeds 2 GiB`);
    valueOffsets[i + 1] = at;
  }
  return { valueOffsets, data: data.subarray(0, at) };
}

/** VARCHAR (and JSON, which is VARCHAR with the `arrow.json` extension). */
export class VarcharType extends BaseSqlType<string> {
  readonly sqlName: string;
  private readonly meta: ReadonlyMap<string, string>;
  constructor(readonly id: "VARCHAR" | "JSON") {
    super();
    this.sqlName = id;
    this.meta = id === "JSON" ? canonicalExtension(JSON_EXTENSION) : new Map();
  }
  protected makeArrowType(): DataType {
    return new Utf8();
  }
  override metadata(): ReadonlyMap<string, string> {
    return this.meta;
  }
  accepts(type: DataType): boolean {
    return isStringType(type);
  }
  protected chunkReader(data: Data): RowReader<string> {
    const valid = validityTest(data);
    const text = stringSlices(data);
    return (i) => (valid(i) ? text(i) : null);
  }
  build(values: readonly (string | null | undefined)[]): Data {
    const type = this.arrowType() as Utf8;
    return makeData({
      type,
      length: values.length,
      ...packValidity(values),
      ...packStrings(this.sqlName, values),
    });
  }
}

/** Reads a Binary column's values as `Uint8Array` views into the received buffer. */
export function binaryReader(data: Data): RowReader<Uint8Array> {
  const valid = validityTest(data);
  const slice = byteSlices(data);
  return (i) => (valid(i) ? slice(i) : null);
}

/** A Binary column of `values` (null and undefined are NULL); `sqlName` names bad values. */
export function buildBinary(
  sqlName: string,
  type: Binary,
  values: readonly (Uint8Array | null | undefined)[],
): Data {
  const bytes = packBytes(values, (v) => {
    if (!(v instanceof Uint8Array)) throw badValue(sqlName, v);
    return v;
  });
  return makeData({ type, length: values.length, ...packValidity(values), ...bytes });
}

/** BLOB: `Uint8Array` views into the received buffer (copy before keeping them long). */
export class BlobType extends BaseSqlType<Uint8Array> {
  readonly id = "BLOB";
  readonly sqlName = "BLOB";
  protected makeArrowType(): DataType {
    return new Binary();
  }
  accepts(type: DataType): boolean {
    return isBinaryType(type) || DataType.isFixedSizeBinary(type);
  }
  protected chunkReader(data: Data): RowReader<Uint8Array> {
    return binaryReader(data);
  }
  build(values: readonly (Uint8Array | null | undefined)[]): Data {
    return buildBinary(this.sqlName, this.arrowType() as Binary, values);
  }
}

export const varchar = new VarcharType("VARCHAR");
export const json = new VarcharType("JSON");
export const blob = new BlobType();
