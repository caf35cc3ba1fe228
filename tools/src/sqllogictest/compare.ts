/**
 * Expected-vs-actual checks for `query` records, following DuckDB's
 * TestResultHelper::CheckQueryResult: sort modes, `N values hashing to`
 * results and hash labels, row-wise (tab separated) vs one-value-per-line
 * expectations, regex cells, and typed fallback comparison of numbers and
 * booleans when the strings differ.
 */
import { createHash } from "node:crypto";
import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";
import { castNumeric, isNumericType, numericValuesEqual } from "./numeric-cast.js";
import type { SortStyle } from "./records.js";
import { isRegexExpectation, matchesRegexExpectation } from "./regex.js";

/** A materialised query result as rendered strings (row-major). */
export interface RenderedResult {
  columnNames: string[];
  columnTypes: DuckDBType[];
  rowCount: number;
  /** rowCount × columnCount cells, rendered as DuckDB's sqllogictest renders them. */
  values: string[];
}

/** Byte-wise (UTF-8) string order, as std::string's operator< compares. */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** SortQueryResult: rowsort orders whole rows, valuesort orders every value independently. */
export function sortValues(style: SortStyle, values: string[], columnCount: number): string[] {
  if (style === "nosort") return values;
  if (style === "valuesort") return [...values].sort(compareUtf8);
  if (columnCount === 0 || values.length % columnCount !== 0) return values;
  const rows: string[][] = [];
  for (let i = 0; i < values.length; i += columnCount) rows.push(values.slice(i, i + columnCount));
  rows.sort((a, b) => {
    for (let c = 0; c < columnCount; c++) {
      const order = compareUtf8(a[c] ?? "", b[c] ?? "");
      if (order !== 0) return order;
    }
    return 0;
  });
  return rows.flat();
}

/** "N values hashing to <md5>" over each value followed by a newline. */
export function hashValues(values: string[]): string {
  const md5 = createHash("md5");
  for (const value of values) md5.update(`${value}\n`, "utf8");
  return `${values.length} values hashing to ${md5.digest("hex")}`;
}

/** TestResultHelper::ResultIsHash. */
export function isHashResult(line: string): boolean {
  return /^\d+ values hashing to [0-9a-z]{32}$/.test(line);
}

/** StringUtil::Split: drops empty pieces, but never returns an empty list. */
export function splitOnTab(line: string): string[] {
  const pieces = line.split("\t").filter((p) => p !== "");
  return pieces.length === 0 ? [line] : pieces;
}

function booleanValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === "true" || text === "1") return 1;
  if (lower === "false" || text === "0") return 0;
  return null;
}

/**
 * CompareValues: exact text (also after keyword substitution of the expected
 * value), regex expectations, then a typed comparison for numeric and boolean
 * columns. Other types only match textually.
 */
export function valuesMatch(
  actual: string,
  expected: string,
  type: DuckDBType,
  replaceKeywords: (text: string) => string = (t) => t,
): boolean {
  if (actual === expected || actual === replaceKeywords(expected)) return true;
  if (isRegexExpectation(expected) && matchesRegexExpectation(actual, expected)) return true;
  if (isNumericType(type)) {
    const left = castNumeric(actual, type);
    const right = castNumeric(expected, type);
    return left !== null && right !== null && numericValuesEqual(left, right);
  }
  if (type.typeId === DuckDBTypeId.BOOLEAN) {
    // Unparseable text on both sides counts as NULL = NULL, as in DuckDB.
    return booleanValue(actual) === booleanValue(expected);
  }
  return false;
}

/** Why a query result did not match, with what to print. */
export interface Mismatch {
  title: string;
  detail?: string;
  expected: string[];
  actual: string[];
}

export interface QueryExpectation {
  expected: string[];
  columnCount: number;
  sortStyle: SortStyle;
  label?: string;
}

export interface CompareContext {
  hashThreshold: number;
  /** Hash label → [hash, printable result] of the first query that used the label. */
  labels: Map<string, { hash: string; result: string[] }>;
  replaceKeywords?: (text: string) => string;
}

function asRows(values: string[], columnCount: number): string[] {
  if (columnCount <= 0) return values;
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += columnCount) {
    rows.push(values.slice(i, i + columnCount).join("\t"));
  }
  return rows;
}

/** Checks a query result against its expectation; null when it matches. */
export function checkQueryResult(
  query: QueryExpectation,
  result: RenderedResult,
  ctx: CompareContext,
): Mismatch | null {
  const actualColumns = result.columnTypes.length;
  const total = result.rowCount * actualColumns;
  const values = sortValues(query.sortStyle, result.values, actualColumns);
  const actualRows = asRows(values, actualColumns);
  const expectedIsHash = query.expected.length === 1 && isHashResult(query.expected[0] ?? "");
  const compareHash =
    query.label !== undefined ||
    expectedIsHash ||
    (ctx.hashThreshold > 0 && total > ctx.hashThreshold);

  if (compareHash) {
    const hash = hashValues(values);
    if (query.label !== undefined) {
      const seen = ctx.labels.get(query.label);
      if (seen === undefined) ctx.labels.set(query.label, { hash, result: actualRows });
      else if (seen.hash !== hash) {
        return {
          title: "Wrong result hash!",
          detail: `label ${query.label}: ${seen.hash} <> ${hash}`,
          expected: seen.result,
          actual: actualRows,
        };
      }
    }
    if (expectedIsHash && query.expected[0] !== hash) {
      return {
        title: "Wrong result hash!",
        detail: `${query.expected[0]} <> ${hash}`,
        expected: query.expected,
        actual: [hash, ...actualRows],
      };
    }
    return null;
  }

  let columns = query.columnCount;
  const columnMismatch = columns !== actualColumns;
  if (columnMismatch) columns = actualColumns;
  const wrongColumns = (): Mismatch => ({
    title: "Wrong column count in query!",
    detail: `Expected ${query.columnCount} columns, but got ${actualColumns} columns`,
    expected: query.expected,
    actual: actualRows,
  });
  if (columns === 0) return wrongColumns();
  let comparison = query.expected;
  let expectedRows = Math.floor(comparison.length / columns);
  // Row-wise when every line carries all columns; one-value-per-line otherwise.
  let rowWise = columns > 1 && comparison.length === result.rowCount;
  if (!rowWise) rowWise = comparison.every((v) => v.includes("\t"));
  if (rowWise) {
    expectedRows = comparison.length;
  } else if (comparison.length % columns !== 0) {
    if (columnMismatch) return wrongColumns();
    return {
      title: "Error in test!",
      detail: `Expected ${columns} columns, but ${comparison.length} values were supplied\nThis is not cleanly divisible (i.e. the last row does not have enough values)`,
      expected: query.expected,
      actual: actualRows,
    };
  }
  if (expectedRows !== result.rowCount) {
    if (columnMismatch) return wrongColumns();
    return {
      title: "Wrong row count in query!",
      detail: `Expected ${expectedRows} rows, but got ${result.rowCount} rows`,
      expected: query.expected,
      actual: actualRows,
    };
  }
  if (rowWise) {
    const split: string[] = [];
    for (let i = 0; i < comparison.length && split.length < total; i++) {
      const pieces = splitOnTab(comparison[i] ?? "");
      if (pieces.length !== columns) {
        if (columnMismatch) return wrongColumns();
        return {
          title: `Error in test! Column count mismatch after splitting on tab on row ${i + 1}!`,
          detail: `Expected ${columns} columns, but got ${pieces.length} columns\nDoes the result contain tab values? In that case, place every value on a single row.`,
          expected: query.expected,
          actual: actualRows,
        };
      }
      split.push(...pieces);
    }
    comparison = split;
  }
  for (let i = 0; i < total && i < comparison.length; i++) {
    const column = i % columns;
    const type = result.columnTypes[column];
    const actual = values[i] ?? "";
    const expected = comparison[i] ?? "";
    if (type === undefined || !valuesMatch(actual, expected, type, ctx.replaceKeywords)) {
      const row = Math.floor(i / columns) + 1;
      const name = result.columnNames[column] ?? "";
      return {
        title: "Wrong result in query!",
        detail: `Mismatch on row ${row}, column ${name}(index ${column + 1})\n${actual} <> ${expected}`,
        expected: query.expected,
        actual: actualRows,
      };
    }
  }
  if (columnMismatch) {
    return {
      title: "Wrong column count in query!",
      detail: `Expected ${query.columnCount} columns, but got ${actualColumns} columns\nThe expected result matched the query result.\nSuggested fix: modify header to "query ${"I".repeat(actualColumns)}"`,
      expected: query.expected,
      actual: actualRows,
    };
  }
  return null;
}
