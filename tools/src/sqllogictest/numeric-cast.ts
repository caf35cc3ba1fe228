/**
 * VARCHAR → numeric casts used when an expected value differs textually from
 * the actual one. DuckDB's runner then casts both strings to the result
 * column's type and compares the values (result_helper.cpp CompareValues):
 * exactly for integers and decimals, within 1% for FLOAT/DOUBLE.
 */
import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";

/** A parsed decimal literal: sign × digits × 10^exp10. */
interface DecimalLiteral {
  negative: boolean;
  digits: bigint;
  exp10: number;
}

const INTEGER_RANGES: Partial<Record<DuckDBTypeId, [bigint, bigint]>> = {
  [DuckDBTypeId.TINYINT]: [-(2n ** 7n), 2n ** 7n - 1n],
  [DuckDBTypeId.SMALLINT]: [-(2n ** 15n), 2n ** 15n - 1n],
  [DuckDBTypeId.INTEGER]: [-(2n ** 31n), 2n ** 31n - 1n],
  [DuckDBTypeId.BIGINT]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DuckDBTypeId.HUGEINT]: [-(2n ** 127n), 2n ** 127n - 1n],
  [DuckDBTypeId.UTINYINT]: [0n, 2n ** 8n - 1n],
  [DuckDBTypeId.USMALLINT]: [0n, 2n ** 16n - 1n],
  [DuckDBTypeId.UINTEGER]: [0n, 2n ** 32n - 1n],
  [DuckDBTypeId.UBIGINT]: [0n, 2n ** 64n - 1n],
  [DuckDBTypeId.UHUGEINT]: [0n, 2n ** 128n - 1n],
};

/** Parses "[+-]digits[.digits][e[+-]digits]" (underscores allowed between digits). */
function parseDecimalLiteral(text: string): DecimalLiteral | null {
  const match = /^([+-])?(\d+(?:_\d+)*)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, intPart = "", fracPart = "", exponent = "0"] = match;
  if (intPart === "" && fracPart === "") return null;
  const digits = (intPart.replace(/_/g, "") + fracPart).replace(/^0+(?=\d)/, "") || "0";
  return {
    negative: sign === "-",
    digits: BigInt(digits),
    exp10: Number(exponent) - fracPart.length,
  };
}

/** Rounds a literal to `scale` decimal places (half away from zero), as a scaled integer. */
function toScaled(literal: DecimalLiteral, scale: number): bigint {
  const shift = literal.exp10 + scale;
  let magnitude: bigint;
  if (shift >= 0) {
    magnitude = literal.digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    magnitude = literal.digits / divisor;
    if ((literal.digits % divisor) * 2n >= divisor) magnitude += 1n;
  }
  return literal.negative ? -magnitude : magnitude;
}

function parseInteger(text: string): bigint | null {
  const trimmed = text.trim();
  const radix = /^([+-])?0([xXbB])([0-9a-fA-F_]+)$/.exec(trimmed);
  if (radix) {
    const body = radix[3]?.replace(/_/g, "") ?? "";
    const value = BigInt(`0${radix[2]?.toLowerCase()}${body}`);
    return radix[1] === "-" ? -value : value;
  }
  const literal = parseDecimalLiteral(trimmed);
  return literal === null ? null : toScaled(literal, 0);
}

function parseFloating(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  const special = /^([+-])?(inf|infinity|nan)$/.exec(trimmed);
  if (special) {
    if (special[2] === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (parseDecimalLiteral(trimmed) === null) return null;
  const value = Number(trimmed.replace(/_/g, ""));
  // Literals beyond DOUBLE's range fail the cast rather than becoming infinite.
  return Number.isFinite(value) ? value : null;
}

/** A value cast to a numeric column type: NULL, an exact integer/decimal, or a float. */
export type NumericValue =
  { kind: "null" } | { kind: "exact"; value: bigint } | { kind: "float"; value: number };

/** TRY_CAST(text AS type) for numeric types; null when the cast fails. */
export function castNumeric(text: string, type: DuckDBType): NumericValue | null {
  if (text === "NULL") return { kind: "null" };
  switch (type.typeId) {
    case DuckDBTypeId.FLOAT: {
      const value = parseFloating(text);
      if (value === null) return null;
      const narrowed = Math.fround(value);
      // Finite values beyond FLOAT's range fail the cast instead of becoming inf.
      if (Number.isFinite(value) && !Number.isFinite(narrowed)) return null;
      return { kind: "float", value: narrowed };
    }
    case DuckDBTypeId.DOUBLE: {
      const value = parseFloating(text);
      return value === null ? null : { kind: "float", value };
    }
    case DuckDBTypeId.DECIMAL: {
      const literal = parseDecimalLiteral(text);
      if (literal === null) return null;
      const scaled = toScaled(literal, type.scale);
      const limit = 10n ** BigInt(type.width);
      return scaled <= -limit || scaled >= limit ? null : { kind: "exact", value: scaled };
    }
    default: {
      const range = INTEGER_RANGES[type.typeId];
      if (range === undefined) return null;
      const value = parseInteger(text);
      if (value === null || value < range[0] || value > range[1]) return null;
      return { kind: "exact", value };
    }
  }
}

/** DuckDB's ApproxEqual: NaN equals NaN, infinities exact, else within 1% of the actual value. */
export function approxEqual(expected: number, actual: number): boolean {
  if (Number.isNaN(expected) && Number.isNaN(actual)) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return expected === actual;
  const epsilon = Math.abs(actual) * 0.01 + 0.00000001;
  return Math.abs(expected - actual) <= epsilon;
}

/** Value::ValuesAreEqual for two values cast to the same numeric type. */
export function numericValuesEqual(actual: NumericValue, expected: NumericValue): boolean {
  if (actual.kind === "null" || expected.kind === "null") return actual.kind === expected.kind;
  if (actual.kind === "float" && expected.kind === "float")
    return approxEqual(expected.value, actual.value);
  if (actual.kind === "exact" && expected.kind === "exact") return actual.value === expected.value;
  return false;
}

export function isNumericType(type: DuckDBType): boolean {
  return (
    type.typeId === DuckDBTypeId.FLOAT ||
    type.typeId === DuckDBTypeId.DOUBLE ||
    type.typeId === DuckDBTypeId.DECIMAL ||
    INTEGER_RANGES[type.typeId] !== undefined
  );
}
