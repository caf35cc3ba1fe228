import { Data, DataType } from "apache-arrow";

/**
 * `data.slice(start, length)` for columns built by `buildData`, but self-contained:
 * validity and boolean bitmaps are re-packed for just the slice, and list children
 * are cut to the slice's items.
 *
 * Why: Arrow's IPC writer writes a sliced column's bitmaps whole, so a one-row slice
 * of an N-row column costs N/8 bytes per bitmap. Other buffers here are views into
 * the parent's, not copies; the writer copies exactly the slice's bytes out of them.
 */
export function sliceData(data: Data, start: number, length: number): Data {
  const type = data.type;
  const { nullBitmap, nullCount } = sliceValidity(data, start, length);
  const make = (valueOffsets: unknown, values: unknown, children: Data[] = []): Data =>
    // Data's constructor takes buffers positionally: [offsets, values, validity].
    new Data(
      type,
      0,
      length,
      nullCount,
      [valueOffsets, values, nullBitmap] as never,
      children,
      data.dictionary,
    );

  if (
    DataType.isUtf8(type) ||
    DataType.isBinary(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type)
  ) {
    // A window of the offsets over the whole values buffer; the writer rebases the
    // offsets and copies only the bytes they span.
    const offsets = data.valueOffsets as unknown as Int32Array | BigInt64Array;
    return make(offsets.subarray(start, start + length + 1), data.values);
  }
  if (DataType.isBool(type))
    return make(undefined, sliceBits(data.values as Uint8Array, start, length));
  if (
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isTimestamp(type) ||
    DataType.isDictionary(type)
  ) {
    // Dictionary columns hold their int indices in `values`; the dictionary is shared.
    const values = data.values as Int32Array | BigInt64Array | Float64Array;
    return make(undefined, values.subarray(start, start + length));
  }
  if (DataType.isList(type) || DataType.isMap(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const first = offsets[start]!;
    const rebased = new Int32Array(length + 1);
    for (let i = 0; i <= length; i++) rebased[i] = offsets[start + i]! - first;
    return make(rebased, undefined, [sliceData(data.children[0]!, first, rebased[length]!)]);
  }
  if (DataType.isStruct(type)) {
    return make(
      undefined,
      undefined,
      data.children.map((c) => sliceData(c, start, length)),
    );
  }
  return data.slice(start, length);
}

/** One-byte bitmaps for the common one-row case, shared (never mutated). */
const ONE_ROW_CLEAR = new Uint8Array([0]);
const ONE_ROW_SET = new Uint8Array([1]);

function sliceBits(bits: Uint8Array, start: number, length: number): Uint8Array {
  if (length === 1) return (bits[start >> 3]! >> (start & 7)) & 1 ? ONE_ROW_SET : ONE_ROW_CLEAR;
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    const j = start + i;
    if ((bits[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function sliceValidity(
  data: Data,
  start: number,
  length: number,
): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) {
    return { nullBitmap: undefined, nullCount: 0 };
  }
  const bits = sliceBits(bitmap, start, length);
  let valid = 0;
  for (let i = 0; i < length; i++) if ((bits[i >> 3]! >> (i & 7)) & 1) valid++;
  return valid === length
    ? { nullBitmap: undefined, nullCount: 0 }
    : { nullBitmap: bits, nullCount: length - valid };
}
