/**
 * Keeping the rows of a record batch whose mask byte is 1, buffer by buffer: fixed-width
 * values are copied by stride, strings and blobs by offset ranges, dictionaries keep
 * their dictionary and gather indices, structs gather each child. Other nested types go
 * through the SQL type layer (read and rebuild), which is correct but slower.
 */
import {
  DataType,
  RecordBatch,
  Struct,
  makeData,
  type Data,
  type Field,
  type Schema,
} from "apache-arrow";
import { sqlTypeFromArrow } from "@vgi-ts/protocol";
import { isValid } from "./column-kernels.js";

/** Byte runs up to this long are copied in a loop (cheaper than a subarray view). */
const SHORT_COPY = 64;

/** The rows of `batch` where `mask[i] === 1` (the batch itself when all are kept). */
export function selectRows(batch: RecordBatch, mask: Uint8Array): RecordBatch {
  let kept = 0;
  for (let i = 0; i < mask.length; i++) kept += mask[i]!;
  if (kept === batch.numRows) return batch;
  const rows = new Int32Array(kept);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i] === 1) rows[k++] = i;
  return takeRows(batch, rows);
}

/** The rows of `batch` at `rows` (ascending indices), as a new batch on the same schema. */
export function takeRows(batch: RecordBatch, rows: Int32Array): RecordBatch {
  const schema: Schema = batch.schema;
  const children = schema.fields.map((field, index) => {
    const vector = batch.getChildAt(index)!;
    const data = vector.data.length === 1 ? vector.data[0]! : null;
    return data === null ? rebuild(field, (i) => vector.get(i), rows) : take(data, field, rows);
  });
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, children });
  return new RecordBatch(schema, struct);
}

function takeValidity(
  data: Data,
  rows: Int32Array,
): { nullBitmap?: Uint8Array; nullCount: number } {
  if (data.nullCount === 0) return { nullCount: 0 };
  const bitmap = new Uint8Array((rows.length + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < rows.length; k++) {
    if (isValid(data, rows[k]!)) bitmap[k >> 3]! |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bitmap, nullCount: nulls };
}

function take(data: Data, field: Field, rows: Int32Array): Data {
  const type = data.type as DataType;
  const validity = takeValidity(data, rows);
  const length = rows.length;
  if (
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isDate(type) ||
    DataType.isTime(type) ||
    DataType.isTimestamp(type) ||
    DataType.isDuration(type) ||
    DataType.isDecimal(type) ||
    DataType.isInterval(type)
  ) {
    const values = data.values as ArrayBufferView & ArrayLike<unknown>;
    const stride = data.stride;
    {
      const Ctor = values.constructor as new (n: number) => ArrayLike<unknown> & {
        [i: number]: unknown;
      };
      const out = new Ctor(length * stride);
      for (let k = 0; k < length; k++) {
        const from = rows[k]! * stride;
        for (let s = 0; s < stride; s++) out[k * stride + s] = values[from + s];
      }
      return makeData({ type, length, ...validity, data: out as never } as never);
    }
  }
  if (DataType.isFixedSizeBinary(type)) {
    const width = type.byteWidth;
    const values = data.values as Uint8Array;
    const base = 0; // arrow-js slices fixed-width buffers: row 0 is at the start
    const out = new Uint8Array(length * width);
    for (let k = 0; k < length; k++) {
      const from = base + rows[k]! * width;
      out.set(values.subarray(from, from + width), k * width);
    }
    return makeData({ type, length, ...validity, data: out });
  }
  if (DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const out = new Uint8Array((length + 7) >> 3);
    for (let k = 0; k < length; k++) {
      const bit = data.offset + rows[k]!;
      if ((bits[bit >> 3]! >> (bit & 7)) & 1) out[k >> 3]! |= 1 << (k & 7);
    }
    return makeData({ type, length, ...validity, data: out });
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const values = data.values as Uint8Array;
    const outOffsets = new Int32Array(length + 1);
    let total = 0;
    for (let k = 0; k < length; k++) {
      const r = rows[k]!;
      total += offsets[r + 1]! - offsets[r]!;
      outOffsets[k + 1] = total;
    }
    const out = new Uint8Array(total);
    // Kept rows come in runs (a range or box filter keeps neighbours): one copy per run,
    // and short lone values byte by byte rather than through a subarray view each.
    for (let k = 0; k < length;) {
      const first = rows[k]!;
      let next = k + 1;
      while (next < length && rows[next] === rows[next - 1]! + 1) next++;
      const from = offsets[first]!;
      const to = offsets[rows[next - 1]! + 1]!;
      const at = outOffsets[k]!;
      if (to - from <= SHORT_COPY) {
        for (let b = 0; b < to - from; b++) out[at + b] = values[from + b]!;
      } else {
        out.set(values.subarray(from, to), at);
      }
      k = next;
    }
    return makeData({ type, length, ...validity, valueOffsets: outOffsets, data: out } as never);
  }
  if (DataType.isDictionary(type)) {
    const indices = data.values as ArrayLike<number | bigint> & ArrayBufferView;
    const Ctor = indices.constructor as new (n: number) => { [i: number]: number | bigint };
    const out = new Ctor(length);
    for (let k = 0; k < length; k++) out[k] = indices[rows[k]!]!;
    return makeData({
      type,
      length,
      ...validity,
      data: out as never,
      dictionary: data.dictionary,
    } as never);
  }
  if (DataType.isStruct(type) && data.offset === 0) {
    const children = type.children.map((child, i) => take(data.children[i]!, child, rows));
    return makeData({ type, length, ...validity, children });
  }
  const reader = sqlTypeFromArrow(field.type, field.metadata).reader(data);
  return rebuild(field, reader, rows);
}

function rebuild(field: Field, read: (index: number) => unknown, rows: Int32Array): Data {
  const values = Array.from(rows, (r) => read(r) ?? null);
  return sqlTypeFromArrow(field.type, field.metadata).build(values);
}
