/**
 * Vectorized updates for columnar aggregate states: fold a whole Arrow column into state
 * arrays by each row's slot, reading the values buffer and validity bitmap directly (no
 * JS value per row). NULL rows are skipped.
 */
import { Type, makeVector, type Data, type Vector } from "apache-arrow";
import { sqlTypeFromArrow } from "@vgi-ts/protocol";
import { int64Overflow } from "./columnar-state.js";

/** Whether row i is valid, for a chunk whose nulls must be checked. */
function validity(data: Data): ((i: number) => boolean) | null {
  if (data.typeId === Type.Null) return () => false;
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return null;
  const offset = data.offset;
  return (i) => ((bitmap[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
}

/** `counts[slot] += 1` for each non-null row (every row when `data` is undefined). */
export function countBySlot(counts: BigInt64Array, slots: Int32Array, data?: Data): void {
  const valid = data === undefined ? null : validity(data);
  for (let i = 0; i < slots.length; i++) {
    if (valid !== null && !valid(i)) continue;
    counts[slots[i]!]! += 1n;
  }
}

/**
 * `totals[slot] += value` over an int64 column, with `counts[slot] += 1` per non-null
 * value when given. Leaving the int64 range is an error, not a wrap-around.
 */
export function sumInt64BySlot(
  totals: BigInt64Array,
  slots: Int32Array,
  data: Data,
  counts?: BigInt64Array,
): void {
  const values = data.values as BigInt64Array;
  const valid = validity(data);
  for (let i = 0; i < slots.length; i++) {
    if (valid !== null && !valid(i)) continue;
    const slot = slots[i]!;
    const a = totals[slot]!;
    const b = values[i]!;
    const sum = BigInt.asIntN(64, a + b);
    if (((a ^ sum) & (b ^ sum)) < 0n) throw int64Overflow();
    totals[slot] = sum;
    if (counts !== undefined) counts[slot]! += 1n;
  }
}

/** `totals[slot] += value` over a float64 column, with counts as in `sumInt64BySlot`. */
export function sumFloat64BySlot(
  totals: Float64Array,
  slots: Int32Array,
  data: Data,
  counts?: BigInt64Array,
): void {
  const values = data.values as Float64Array;
  const valid = validity(data);
  for (let i = 0; i < slots.length; i++) {
    if (valid !== null && !valid(i)) continue;
    const slot = slots[i]!;
    totals[slot] = totals[slot]! + values[i]!;
    if (counts !== undefined) counts[slot]! += 1n;
  }
}

/**
 * `totals[slot] += Number(value)` over a numeric column of any type, with counts as in
 * `sumInt64BySlot`. Integers and floats are read from their values buffer; other types
 * (DECIMAL, HUGEINT) through their SQL reader, one value per row.
 */
export function sumAsFloat64BySlot(
  totals: Float64Array,
  slots: Int32Array,
  column: Vector,
  counts?: BigInt64Array,
): void {
  for (const data of column.data) {
    const direct = data.typeId === Type.Int || data.typeId === Type.Float;
    const values: ArrayLike<unknown> = direct
      ? (data.values as ArrayLike<number | bigint>)
      : sqlTypeFromArrow(data.type).readAll(makeVector(data));
    const valid = validity(data);
    const base = column.data.length === 1 ? 0 : chunkStart(column, data);
    for (let i = 0; i < data.length; i++) {
      if (valid !== null && !valid(i)) continue;
      const value = values[i];
      if (value === null || value === undefined) continue;
      const slot = slots[base + i]!;
      totals[slot] = totals[slot]! + Number(value);
      if (counts !== undefined) counts[slot]! += 1n;
    }
  }
}

function chunkStart(column: Vector, chunk: Data): number {
  let start = 0;
  for (const data of column.data) {
    if (data === chunk) return start;
    start += data.length;
  }
  return start;
}
