import {
  Data,
  DataType,
  makeData,
  makeVector,
  type Dictionary,
  type Field,
  type Vector,
} from "apache-arrow";

/**
 * Build Arrow column data straight from already-validated values (what descriptors'
 * `toArrow` return; null for null).
 *
 * Why not Arrow's `makeBuilder`: its buffers are rounded up to 64 bytes each, which
 * more than doubled the IPC size of a small message like FunctionInfo (~100 buffers),
 * and creating ~40 builders per message made encoding one row cost over a millisecond.
 * Listings encode thousands of one-row messages, so this path is worth owning. Buffers
 * here are exact-length; the IPC writer pads them to 8 bytes.
 */
export function buildData(
  type: DataType,
  values: readonly unknown[],
  shared?: SharedDictionary,
): Data {
  const n = values.length;
  const { bitmap, nullCount } = validity(values);
  const common = { length: n, nullCount, nullBitmap: bitmap };

  // Large variants carry 64-bit offsets; makeData's overloads want each type alone.
  if (DataType.isUtf8(type)) {
    const { offsets, data } = concatText(values, false);
    return makeData({ type, ...common, valueOffsets: offsets as Int32Array, data });
  }
  if (DataType.isLargeUtf8(type)) {
    const { offsets, data } = concatText(values, true);
    return makeData({ type, ...common, valueOffsets: offsets as BigInt64Array, data });
  }
  if (DataType.isBinary(type)) {
    const { offsets, data } = concatBytes(values, asBytes, false);
    return makeData({ type, ...common, valueOffsets: offsets as Int32Array, data });
  }
  if (DataType.isLargeBinary(type)) {
    const { offsets, data } = concatBytes(values, asBytes, true);
    return makeData({ type, ...common, valueOffsets: offsets as BigInt64Array, data });
  }
  if (DataType.isBool(type)) {
    const data = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (values[i] === true) data[i >> 3]! |= 1 << (i & 7);
    return makeData({ type, ...common, data });
  }
  if (DataType.isInt(type)) {
    return makeData({
      type,
      ...common,
      data: fill(new type.ArrayType(n), values, type.bitWidth === 64),
    });
  }
  if (DataType.isFloat(type)) {
    return makeData({ type, ...common, data: fill(new type.ArrayType(n), values, false) });
  }
  if (DataType.isTimestamp(type)) {
    // Values are epoch milliseconds (see timestampUs); scale to the column's unit.
    const perMs = [1n, 1n, 1000n, 1_000_000n][type.unit] ?? 1n;
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === "number")
        data[i] = type.unit === 0 ? BigInt(Math.floor(v / 1000)) : BigInt(v) * perMs;
    }
    return makeData({ type, ...common, data });
  }
  if (DataType.isList(type)) {
    const { offsets, items } = flatten(values, (v) => v as readonly unknown[]);
    return makeData({
      type,
      ...common,
      valueOffsets: offsets,
      child: buildData(type.children[0]!.type, items),
    });
  }
  if (DataType.isMap(type)) {
    const { offsets, items } = flatten(values, (v) => [...(v as Map<unknown, unknown>)]);
    const entries = type.children[0]!.type;
    const [keyField, valueField] = entries.children as Field[];
    const entryData = makeData({
      type: entries,
      length: items.length,
      nullCount: 0,
      children: [
        buildData(
          keyField!.type,
          items.map((e) => (e as [unknown, unknown])[0]),
        ),
        buildData(
          valueField!.type,
          items.map((e) => (e as [unknown, unknown])[1]),
        ),
      ],
    });
    return makeData({ type, ...common, valueOffsets: offsets, child: entryData });
  }
  if (DataType.isStruct(type)) {
    const children = type.children.map((f: Field) =>
      buildData(
        f.type,
        values.map((v) => (v === null ? null : ((v as Record<string, unknown>)[f.name] ?? null))),
      ),
    );
    return makeData({ type, ...common, children });
  }
  if (DataType.isDictionary(type)) {
    const dictionary = shared ?? shareDictionary(type, values);
    const indices = new type.indices.ArrayType(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v !== null && v !== undefined)
        (indices as unknown as number[])[i] = dictionary.codes.get(v) ?? 0;
    }
    return makeData({ type, ...common, data: indices, dictionary: dictionary.vector });
  }
  throw new Error(`no column builder for ${String(type)}`);
}

const asBytes = (v: unknown): Uint8Array => v as Uint8Array;

function validity(values: readonly unknown[]): {
  bitmap: Uint8Array | undefined;
  nullCount: number;
} {
  let nullCount = 0;
  for (const v of values) if (v === null || v === undefined) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

type NumericArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array;

function fill<A extends NumericArray | BigInt64Array | BigUint64Array>(
  out: A,
  values: readonly unknown[],
  big: boolean,
): A {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    (out as unknown as unknown[])[i] = big ? BigInt(v as bigint) : Number(v);
  }
  return out;
}

function concatBytes(
  values: readonly unknown[],
  toBytes: (v: unknown) => Uint8Array,
  large: boolean,
): { offsets: Int32Array | BigInt64Array; data: Uint8Array } {
  const parts = values.map((v) => (v === null || v === undefined ? EMPTY : toBytes(v)));
  let total = 0;
  for (const p of parts) total += p.length;
  if (!large && total > 0x7fffffff) throw new Error("column exceeds 2 GiB; use a large type");
  const adjacent = adjacentViews(parts);
  const data = adjacent ?? new Uint8Array(total);
  const offsets = large ? new BigInt64Array(parts.length + 1) : new Int32Array(parts.length + 1);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (adjacent === null) data.set(p, at);
    at += p.length;
    if (large) (offsets as BigInt64Array)[i + 1] = BigInt(at);
    else (offsets as Int32Array)[i + 1] = at;
  }
  return { offsets, data };
}

const EMPTY = new Uint8Array(0);

/**
 * A text column's UTF-8 bytes, every string written into one buffer: ASCII by a loop,
 * anything else by `Buffer#write` (the same bytes as TextEncoder, lone surrogates as
 * U+FFFD). A listing builds its name and comment columns thousands of times;
 * `TextEncoder.encode` allocated an array per value, which cost more than the copy.
 */
function concatText(
  values: readonly unknown[],
  large: boolean,
): { offsets: Int32Array | BigInt64Array; data: Uint8Array } {
  let units = 0;
  for (const v of values) if (typeof v === "string") units += v.length;
  // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2). Past a few MB,
  // measure instead of reserving three times the text.
  let capacity = units * 3;
  if (capacity > EXACT_TEXT_SIZE_ABOVE) {
    capacity = 0;
    for (const v of values) if (typeof v === "string") capacity += Buffer.byteLength(v);
  }
  if (!large && capacity > 0x7fffffff) throw new Error("column exceeds 2 GiB; use a large type");
  const data = new Uint8Array(capacity);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const offsets = large ? new BigInt64Array(values.length + 1) : new Int32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "string") {
      const start = at;
      const n = v.length;
      let j = 0;
      for (; j < n; j++) {
        const c = v.charCodeAt(j);
        if (c >= 0x80) break;
        data[at++] = c;
      }
      if (j < n) at = start + buffer.write(v, start, "utf8");
    }
    if (large) (offsets as BigInt64Array)[i + 1] = BigInt(at);
    else (offsets as Int32Array)[i + 1] = at;
  }
  return { offsets, data: data.subarray(0, at) };
}

/** Text columns larger than this (in UTF-16 units × 3) are measured before writing. */
const EXACT_TEXT_SIZE_ABOVE = 8 << 20;

/**
 * The one view spanning `parts` when they are back-to-back views of one buffer (as
 * `toIpcMany` returns a listing's items), else null. A listing of 10,000 functions is
 * about 100 MB; its result column then uses those bytes where they are, without a copy.
 * A single value is its own span: a unary result's one `result` value (the listing's
 * nested IPC stream, tens of megabytes) is not copied again either.
 */
function adjacentViews(parts: readonly Uint8Array[]): Uint8Array | null {
  const first = parts.find((p) => p.length > 0);
  if (first === undefined) return null;
  let end = first.byteOffset;
  for (const p of parts) {
    if (p.length === 0) continue;
    if (p.buffer !== first.buffer || p.byteOffset !== end) return null;
    end += p.length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

function flatten(
  values: readonly unknown[],
  items: (v: unknown) => readonly unknown[],
): { offsets: Int32Array; items: unknown[] } {
  const offsets = new Int32Array(values.length + 1);
  const flat: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) for (const x of items(v)) flat.push(x);
    offsets[i + 1] = flat.length;
  }
  return { offsets, items: flat };
}

/** A dictionary column's values and each value's index in it. */
export interface SharedDictionary {
  readonly vector: Vector;
  readonly codes: ReadonlyMap<unknown, number>;
}

/**
 * The dictionary for `values`: distinct non-null values in first-seen order. Columns
 * built from one SharedDictionary reference the same Vector, which the IPC writer
 * recognises and writes only once (see row-streams.ts).
 */
export function shareDictionary(type: Dictionary, values: readonly unknown[]): SharedDictionary {
  const codes = new Map<unknown, number>();
  const words: unknown[] = [];
  for (const v of values) {
    if (v === null || v === undefined || codes.has(v)) continue;
    codes.set(v, words.length);
    words.push(v);
  }
  return { vector: makeVector(buildData(type.dictionary, words)), codes };
}
