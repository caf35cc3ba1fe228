/**
 * The slow path: expressions evaluated on JS values row by row, for what the buffer
 * kernels do not cover (arithmetic, casts, function calls, mixed types, nested values).
 * Values are what the SQL type layer reads, except DECIMAL, read as a number here so it
 * orders and computes with other numbers.
 */
import { DataType, type Data, type Field } from "apache-arrow";
import { sqlTypeFromArrow, type ArithmeticOp, type EvaluationContext } from "@vgi-ts/protocol";
import { compareNumbers } from "./column-kernels.js";

export type RowValue = unknown;

/** A reader for the rows of one column chunk. */
export function rowReader(data: Data, field: Field): (index: number) => RowValue {
  const read = sqlTypeFromArrow(field.type, field.metadata).reader(data);
  if (DataType.isDecimal(field.type)) {
    return (i) => {
      const value = read(i);
      return value === null ? null : Number(value);
    };
  }
  return (i) => read(i) ?? null;
}

function isNumeric(value: unknown): value is number | bigint {
  return typeof value === "number" || typeof value === "bigint";
}

/** Order of two non-null values of comparable kinds; null when they do not compare. */
export function compareValues(a: RowValue, b: RowValue): number | null {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === "number" && typeof b === "number") return compareNumbers(a, b);
    if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
    const x = typeof a === "number" ? a : Number(a);
    const y = typeof b === "number" ? b : Number(b);
    if (x !== y) return compareNumbers(x, y);
    // Same double: settle exactly when both are integral.
    if (Number.isInteger(x)) {
      const bx = typeof a === "bigint" ? a : BigInt(a);
      const by = typeof b === "bigint" ? b : BigInt(b);
      return bx < by ? -1 : bx > by ? 1 : 0;
    }
    return 0;
  }
  if (typeof a === "string" && typeof b === "string") return compareUtf8(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const order = compareNullable(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if (isTimeTz(a) && isTimeTz(b)) {
    // DuckDB orders TIMETZ by the UTC instant, then by offset.
    const ua = a.micros - a.offset * 1_000_000;
    const ub = b.micros - b.offset * 1_000_000;
    return ua !== ub ? (ua < ub ? -1 : 1) : a.offset - b.offset;
  }
  if (isInterval(a) && isInterval(b)) {
    const x = intervalMicros(a);
    const y = intervalMicros(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    for (const key of ka) {
      const order = compareNullable(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
      );
      if (order !== 0) return order;
    }
    return 0;
  }
  return null;
}

/** Nested ordering: NULL sorts last, as DuckDB orders list and struct members. */
function compareNullable(a: RowValue, b: RowValue): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  return compareValues(a, b) ?? 0;
}

const encoder = new TextEncoder();

/** DuckDB compares VARCHAR by UTF-8 bytes; JS strings compare by UTF-16 units. */
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  // Only surrogates (>= U+10000) disagree with byte order against U+E000..U+FFFF.
  if ((x >= 0xd800 && x < 0xe000) || (y >= 0xd800 && y < 0xe000)) {
    const ea = encoder.encode(a);
    const eb = encoder.encode(b);
    return compareValues(ea, eb) ?? 0;
  }
  return x < y ? -1 : 1;
}

interface TimeTzValue {
  micros: number;
  offset: number;
}

function isTimeTz(value: unknown): value is TimeTzValue {
  return typeof value === "object" && value !== null && "micros" in value && "offset" in value;
}

interface IntervalValue {
  months: number;
  days: number;
  micros: bigint | number;
}

function isInterval(value: unknown): value is IntervalValue {
  return typeof value === "object" && value !== null && "months" in value && "days" in value;
}

/** DuckDB normalizes intervals for comparison: a month is 30 days. */
function intervalMicros(v: IntervalValue): bigint {
  return (BigInt(v.months) * 30n + BigInt(v.days)) * 86_400_000_000n + BigInt(v.micros);
}

/** A key equal for values DuckDB considers equal (IN-set membership). */
export function valueKey(value: RowValue): string {
  if (typeof value === "bigint") return `i${value}`;
  if (typeof value === "number") {
    if (Number.isInteger(value)) return `i${value}`;
    return Number.isNaN(value) ? "nan" : `f${value}`;
  }
  if (typeof value === "string") return `s${value}`;
  if (typeof value === "boolean") return `b${value}`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString("hex")}`;
  if (isTimeTz(value)) return `t${value.micros - value.offset * 1_000_000}:${value.offset}`;
  if (isInterval(value)) return `v${intervalMicros(value)}`;
  return `j${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`;
}

export function arithmetic(
  op: ArithmeticOp,
  a: RowValue,
  b: RowValue,
  context: EvaluationContext,
): RowValue {
  if (a === null || b === null) return null;
  if (!isNumeric(a) || !isNumeric(b)) throw new TypeError("arithmetic needs numbers");
  if (typeof a === "bigint" || typeof b === "bigint") {
    const integral = (v: number | bigint) => typeof v === "bigint" || Number.isInteger(v);
    if (integral(a) && integral(b)) {
      const x = BigInt(a);
      const y = BigInt(b);
      switch (op) {
        case "add":
          return x + y;
        case "subtract":
          return x - y;
        case "multiply":
          return x * y;
        case "divide":
          if (y === 0n) return null;
          return context.integerDivision === true ? x / y : Number(x) / Number(y);
        case "modulo":
          return y === 0n ? null : x % y;
      }
    }
  }
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case "add":
      return x + y;
    case "subtract":
      return x - y;
    case "multiply":
      return x * y;
    case "divide":
      // DuckDB: division by zero is NULL unless IEEE semantics were asked for.
      if (y === 0 && context.ieeeFloatingPointOps !== true) return null;
      return context.integerDivision === true && Number.isInteger(x) && Number.isInteger(y)
        ? Math.trunc(x / y)
        : x / y;
    case "modulo":
      if (y === 0 && context.ieeeFloatingPointOps !== true) return null;
      return x % y;
  }
}

export function negate(value: RowValue): RowValue {
  if (value === null) return null;
  if (typeof value === "bigint") return -value;
  if (typeof value === "number") return -value;
  throw new TypeError("negate needs a number");
}

/** CAST for the scalar types a filter can carry. */
export function castValue(value: RowValue, target: Field): RowValue {
  if (value === null) return null;
  const type = target.type as DataType;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    return typeof value === "string" ? value : String(value);
  }
  if (DataType.isBool(type)) {
    if (typeof value === "boolean") return value;
    if (isNumeric(value)) return Number(value) !== 0;
    const text = String(value).trim().toLowerCase();
    if (["true", "t", "1", "yes", "y"].includes(text)) return true;
    if (["false", "f", "0", "no", "n"].includes(text)) return false;
    throw new TypeError(`cannot cast '${text}' to BOOLEAN`);
  }
  if (DataType.isFloat(type) || DataType.isDecimal(type)) {
    const number = typeof value === "boolean" ? Number(value) : Number(value);
    if (Number.isNaN(number) && String(value).trim().toLowerCase() !== "nan") {
      throw new TypeError(`cannot cast '${String(value)}' to a number`);
    }
    return number;
  }
  if (DataType.isInt(type)) {
    let result: bigint;
    if (typeof value === "bigint") result = value;
    else if (typeof value === "number") result = BigInt(roundHalfAway(value));
    else if (typeof value === "boolean") result = value ? 1n : 0n;
    else result = BigInt(String(value).trim());
    const bits = BigInt(type.bitWidth);
    const min = type.isSigned ? -(1n << (bits - 1n)) : 0n;
    const max = type.isSigned ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (result < min || result > max) throw new RangeError(`${result} is out of range for ${type}`);
    return type.bitWidth === 64 ? result : Number(result);
  }
  throw new TypeError(`no filter cast to ${String(type)}`);
}

function roundHalfAway(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot cast ${value} to an integer`);
  return Math.sign(value) * Math.round(Math.abs(value));
}
