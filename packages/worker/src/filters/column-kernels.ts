/**
 * Comparisons of an Arrow column against a literal of the same type, on the buffers:
 * no per-row JS value is created. Families:
 *
 * - narrow: 8/16/32-bit integers, floats, DATE, TIME32 (values are JS numbers);
 * - wide: 64-bit integers, TIMESTAMP, TIME64, DURATION, DECIMAL, HUGEINT: compared as
 *   little-endian 32-bit words, the top word signed for signed types;
 * - bytes: VARCHAR, BLOB, UUID (big-endian bytes): unsigned byte order, as DuckDB does;
 * - boolean, and dictionary columns (the predicate is evaluated once per dictionary
 *   entry, then looked up per row).
 *
 * A pair outside these families returns null and the caller falls back to row values.
 */
import { DataType, type Data, type Field } from "apache-arrow";
import { EXTENSION_NAME_KEY, UUID_EXTENSION } from "@vgi-ts/protocol";
import { NULL, TRUE, FALSE, type Truth } from "./truth.js";

/** Sign of `row` compared with the literal, per comparison operator. */
export type OrderOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export function passes(op: OrderOp, order: number): boolean {
  switch (op) {
    case "eq":
      return order === 0;
    case "ne":
      return order !== 0;
    case "lt":
      return order < 0;
    case "le":
      return order <= 0;
    case "gt":
      return order > 0;
    case "ge":
      return order >= 0;
  }
}

/** DuckDB orders NaN above every number and equal to itself. */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = a !== a;
  const bNaN = b !== b;
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

export type Family =
  | { readonly kind: "narrow" }
  | { readonly kind: "wide"; readonly words: number; readonly signed: boolean }
  | { readonly kind: "bytes" }
  | { readonly kind: "bool" }
  | { readonly kind: "dictionary" };

const HUGEINT_NAMES = /"(u?hugeint)"/;

/** The buffer family of a column type, or null when only row values will do. */
export function familyOf(type: DataType, field?: Field): Family | null {
  if (DataType.isInt(type)) {
    return type.bitWidth === 64
      ? { kind: "wide", words: 2, signed: type.isSigned }
      : { kind: "narrow" };
  }
  if (DataType.isFloat(type)) return type.precision === 0 ? null : { kind: "narrow" };
  if (DataType.isDate(type)) return type.unit === 0 ? { kind: "narrow" } : null;
  if (DataType.isTime(type)) {
    return type.bitWidth === 32 ? { kind: "narrow" } : { kind: "wide", words: 2, signed: true };
  }
  if (DataType.isTimestamp(type) || DataType.isDuration(type)) {
    return { kind: "wide", words: 2, signed: true };
  }
  if (DataType.isDecimal(type)) return { kind: "wide", words: type.bitWidth / 32, signed: true };
  if (DataType.isUtf8(type) || DataType.isBinary(type)) return { kind: "bytes" };
  if (DataType.isLargeUtf8(type) || DataType.isLargeBinary(type)) return { kind: "bytes" };
  if (DataType.isBool(type)) return { kind: "bool" };
  if (DataType.isDictionary(type)) return { kind: "dictionary" };
  if (DataType.isFixedSizeBinary(type) && field !== undefined) {
    const ext = field.metadata.get(EXTENSION_NAME_KEY);
    if (ext === UUID_EXTENSION) return { kind: "bytes" };
    const meta = [...field.metadata.values()].join(" ");
    const huge = HUGEINT_NAMES.exec(meta);
    if (type.byteWidth === 16 && huge !== null) {
      return { kind: "wide", words: 4, signed: huge[1] === "hugeint" };
    }
  }
  return null;
}

/** Same buffer layout and meaning (unit, scale, width, string vs binary). */
export function sameFamily(column: Field, literal: Field): boolean {
  const a = familyOf(column.type, column);
  const b = familyOf(literal.type, literal);
  if (a === null || b === null || a.kind !== b.kind) return false;
  if (a.kind === "narrow") {
    const numeric = (t: DataType) => DataType.isInt(t) || DataType.isFloat(t);
    return numeric(column.type) && numeric(literal.type)
      ? true
      : String(column.type) === String(literal.type);
  }
  if (a.kind === "wide" && b.kind === "wide") {
    return (
      a.words === b.words && a.signed === b.signed && String(column.type) === String(literal.type)
    );
  }
  if (a.kind === "bytes") {
    const text = (t: DataType) => DataType.isUtf8(t) || DataType.isLargeUtf8(t);
    return text(column.type) === text(literal.type);
  }
  return a.kind === "bool";
}

export function isValid(data: Data, index: number): boolean {
  const bitmap = data.nullBitmap;
  if (bitmap === undefined || bitmap === null || bitmap.length === 0 || data.nullCount === 0) {
    return true;
  }
  const bit = data.offset + index;
  return (bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/** 32-bit word view of a fixed-width value buffer, row 0 at word 0. */
function words(data: Data, perRow: number): Uint32Array {
  const values = data.values as ArrayBufferView;
  // arrow-js slices fixed-width value buffers: row 0 is at the start (perRow words each).
  void perRow;
  return new Uint32Array(values.buffer, values.byteOffset, values.byteLength >>> 2);
}

function compareWords(
  a: Uint32Array,
  ai: number,
  b: Uint32Array,
  bi: number,
  count: number,
  signed: boolean,
): number {
  const top = count - 1;
  let x = a[ai + top]!;
  let y = b[bi + top]!;
  if (x !== y) {
    if (signed) {
      x |= 0;
      y |= 0;
    }
    return x < y ? -1 : 1;
  }
  for (let w = top - 1; w >= 0; w--) {
    x = a[ai + w]!;
    y = b[bi + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The bytes of row `index` of a VARCHAR/BLOB/UUID column: [buffer, start, end]. */
export interface ByteAccess {
  readonly bytes: Uint8Array;
  start(index: number): number;
  end(index: number): number;
}

export function byteAccess(data: Data): ByteAccess {
  const type = data.type as DataType;
  if (DataType.isFixedSizeBinary(type)) {
    const width = type.byteWidth;
    const bytes = data.values as Uint8Array;
    return { bytes, start: (i) => i * width, end: (i) => (i + 1) * width };
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const bytes = data.values as Uint8Array;
  if (offsets instanceof BigInt64Array) {
    return { bytes, start: (i) => Number(offsets[i]), end: (i) => Number(offsets[i + 1]) };
  }
  return { bytes, start: (i) => offsets[i]!, end: (i) => offsets[i + 1]! };
}

/** memcmp, then shorter first. */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const x = a[aStart + k]!;
    const y = b[bStart + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = aEnd - aStart;
  const lb = bEnd - bStart;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/**
 * `column op literal` per row (nulls give NULL), or null when the pair has no buffer
 * kernel. `literal` is a one-row chunk whose first row is valid.
 */
export function compareColumnToLiteral(
  column: Data,
  columnField: Field,
  literal: Data,
  literalField: Field,
  op: OrderOp,
): Truth | null {
  const length = column.length;
  if (DataType.isDictionary(column.type)) {
    const dictionary = column.dictionary?.data[0];
    if (dictionary === undefined || column.dictionary!.data.length !== 1) return null;
    const entryField = {
      ...columnField,
      type: column.type.dictionary,
      metadata: new Map(),
    } as Field;
    const perEntry = compareColumnToLiteral(dictionary, entryField, literal, literalField, op);
    if (perEntry === null) return null;
    const indices = column.values as ArrayLike<number | bigint>;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = isValid(column, i) ? perEntry[Number(indices[i])]! : NULL;
    }
    return out;
  }
  if (!sameFamily(columnField, literalField)) return null;
  const family = familyOf(column.type, columnField)!;
  const out = new Uint8Array(length);
  switch (family.kind) {
    case "narrow": {
      const values = column.values as ArrayLike<number>;
      const target = Number((literal.values as ArrayLike<number>)[0]);
      for (let i = 0; i < length; i++) {
        out[i] = !isValid(column, i)
          ? NULL
          : passes(op, compareNumbers(values[i]!, target))
            ? TRUE
            : FALSE;
      }
      return out;
    }
    case "wide": {
      const n = family.words;
      const a = words(column, n);
      const b = words(literal, n);
      for (let i = 0; i < length; i++) {
        out[i] = !isValid(column, i)
          ? NULL
          : passes(op, compareWords(a, i * n, b, 0, n, family.signed))
            ? TRUE
            : FALSE;
      }
      return out;
    }
    case "bytes": {
      const rows = byteAccess(column);
      const lit = byteAccess(literal);
      const lb = lit.bytes;
      const ls = lit.start(0);
      const le = lit.end(0);
      for (let i = 0; i < length; i++) {
        out[i] = !isValid(column, i)
          ? NULL
          : passes(op, compareBytes(rows.bytes, rows.start(i), rows.end(i), lb, ls, le))
            ? TRUE
            : FALSE;
      }
      return out;
    }
    case "bool": {
      const bits = column.values as Uint8Array;
      const lbit = literal.offset;
      const target = ((literal.values as Uint8Array)[lbit >> 3]! >> (lbit & 7)) & 1;
      for (let i = 0; i < length; i++) {
        const bit = column.offset + i;
        const value = (bits[bit >> 3]! >> (bit & 7)) & 1;
        out[i] = !isValid(column, i) ? NULL : passes(op, value - target) ? TRUE : FALSE;
      }
      return out;
    }
    default:
      return null;
  }
}

/** A BOOLEAN column as truth values (`WHERE flag`). */
export function booleanTruth(column: Data): Truth {
  const out = new Uint8Array(column.length);
  const bits = column.values as Uint8Array;
  for (let i = 0; i < column.length; i++) {
    const bit = column.offset + i;
    out[i] = !isValid(column, i) ? NULL : (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}

/**
 * Rows of a narrow or 64-bit integer column as exact numbers (null when a 64-bit value
 * is beyond 2^53), or null for other families. Resolve once per column, call per row.
 */
export function numberReader(
  data: Data,
  family: Family,
): ((index: number) => number | null) | null {
  if (family.kind === "narrow" && !DataType.isFloat(data.type)) {
    const values = data.values as ArrayLike<number>;
    return (i) => values[i]!;
  }
  if (family.kind === "narrow") {
    const values = data.values as ArrayLike<number>;
    // NaN never equals a set member by number identity; leave floats to row values.
    return (i) => (Number.isNaN(values[i]!) ? null : values[i]!);
  }
  if (family.kind === "wide" && family.words === 2) {
    const w = words(data, 2);
    const signed = family.signed;
    return (i) => {
      const lo = w[i * 2]!;
      const hi = signed ? w[i * 2 + 1]! | 0 : w[i * 2 + 1]!;
      if (hi >= 0x200000 || hi < -0x200000) return null;
      return hi * 4294967296 + lo;
    };
  }
  return null;
}
