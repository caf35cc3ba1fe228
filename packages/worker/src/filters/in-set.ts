/**
 * The `in` node: `x [NOT] IN set`, for literal lists and external join-key sets alike.
 * The set's members are prepared once per set (cached by its Arrow data) in every form
 * the kernels use: exact numbers for integral/narrow numeric columns, byte strings by
 * length for VARCHAR/BLOB, canonical keys for everything else. SQL's rule applies: when
 * nothing matched and the set holds a NULL, the answer is NULL, not FALSE.
 */
import { DataType, type Data, type Field } from "apache-arrow";
import type { FilterSet } from "@vgi-ts/protocol";
import { byteAccess, compareBytes, familyOf, isValid, numberReader } from "./column-kernels.js";
import { operandRows, type Operand } from "./operand.js";
import { rowReader, valueKey } from "./row-values.js";
import { FALSE, NULL, TRUE, fromRows, type Truth } from "./truth.js";

/** Truth of `operand [NOT] IN set` for `length` rows. */
export function inSetTruth(
  operand: Operand,
  set: FilterSet,
  length: number,
  negated: boolean,
): Truth {
  const members = setMembers(set);
  const yes = negated ? FALSE : TRUE;
  const no = negated ? TRUE : FALSE;
  // x IN (...) is NULL, not FALSE, when nothing matched and the set holds a NULL.
  const none = members.hasNull ? NULL : no;
  if (operand.kind === "column") {
    const data = operand.data;
    const family = familyOf(data.type, operand.field);
    if (family !== null && members.numbers !== null && members.sameFamily(operand.field)) {
      const read = numberReader(data, family);
      if (read !== null) {
        const fallback = rowReader(data, operand.field);
        return fromRows(length, (i) => {
          if (!isValid(data, i)) return NULL;
          const value = read(i);
          const hit =
            value !== null ? members.numbers!.has(value) : members.keys.has(valueKey(fallback(i)));
          return hit ? yes : none;
        });
      }
    }
    if (
      family?.kind === "bytes" &&
      members.byLength !== null &&
      members.sameFamily(operand.field)
    ) {
      const rows = byteAccess(data);
      const byLength = members.byLength;
      return fromRows(length, (i) => {
        if (!isValid(data, i)) return NULL;
        const start = rows.start(i);
        const end = rows.end(i);
        const candidates = byLength.get(end - start);
        if (candidates !== undefined) {
          for (const candidate of candidates) {
            if (compareBytes(rows.bytes, start, end, candidate, 0, candidate.length) === 0)
              return yes;
          }
        }
        return none;
      });
    }
  }
  const get = operandRows(operand);
  return fromRows(length, (i) => {
    const value = get(i);
    if (value === null) return NULL;
    return members.keys.has(valueKey(value)) ? yes : none;
  });
}

interface SetMembers {
  readonly hasNull: boolean;
  /** Canonical keys of every non-null member (row-value path). */
  readonly keys: Set<string>;
  /** Members as exact numbers, when the set is integral/narrow numeric. */
  readonly numbers: Set<number> | null;
  /** Byte members by length, when the set is VARCHAR/BLOB. */
  readonly byLength: Map<number, Uint8Array[]> | null;
  sameFamily(field: Field): boolean;
}

const membersCache = new WeakMap<Data, SetMembers>();

/** The members of an IN set in every form the kernels use, built once per set. */
function setMembers(set: FilterSet): SetMembers {
  const cached = membersCache.get(set.data);
  if (cached !== undefined) return cached;
  const { data, field } = set;
  const family = familyOf(data.type, field);
  const read = rowReader(data, field);
  const keys = new Set<string>();
  let hasNull = false;
  for (let i = 0; i < data.length; i++) {
    const value = read(i);
    if (value === null) hasNull = true;
    else keys.add(valueKey(value));
  }
  let numbers: Set<number> | null = null;
  const reader = family === null ? null : numberReader(data, family);
  if (reader !== null) {
    numbers = new Set();
    for (let i = 0; i < data.length; i++) {
      if (!isValid(data, i)) continue;
      const value = reader(i);
      // An unsafe member is only found through the exact keys.
      if (value !== null) numbers.add(value);
    }
  }
  let byLength: Map<number, Uint8Array[]> | null = null;
  if (family?.kind === "bytes") {
    byLength = new Map();
    const rows = byteAccess(data);
    for (let i = 0; i < data.length; i++) {
      if (!isValid(data, i)) continue;
      const bytes = rows.bytes.subarray(rows.start(i), rows.end(i));
      const list = byLength.get(bytes.length) ?? [];
      list.push(bytes);
      byLength.set(bytes.length, list);
    }
  }
  const members: SetMembers = {
    hasNull,
    keys,
    numbers,
    byLength,
    sameFamily(column: Field): boolean {
      const a = familyOf(column.type, column);
      if (a === null || family === null || a.kind !== family.kind) return false;
      if (a.kind === "bytes") {
        const text = (t: DataType) => DataType.isUtf8(t) || DataType.isLargeUtf8(t);
        return text(column.type) === text(field.type);
      }
      if (a.kind === "wide" || !(DataType.isInt(column.type) || DataType.isFloat(column.type))) {
        // Units, scales and widths must agree for the numbers to mean the same.
        const numeric = (t: DataType) => DataType.isInt(t);
        return numeric(column.type) && numeric(field.type)
          ? true
          : String(column.type) === String(field.type);
      }
      return DataType.isInt(field.type) || DataType.isFloat(field.type);
    },
  };
  membersCache.set(set.data, members);
  return members;
}
