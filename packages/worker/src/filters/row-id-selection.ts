/**
 * What the pushed filters say about a scan's row ids. DuckDB's late materialization
 * rewrites `ORDER BY ... LIMIT k` (and `USING SAMPLE n ROWS`) over a rowid table into a
 * narrow scan that picks the surviving rows and a wide scan that re-fetches their
 * columns; the wide scan receives the survivors as a filter on the row id column: an
 * IN-list of the exact ids when there are few (up to `dynamic_or_filter_threshold`),
 * and a min/max range always. A function reads that here to fetch only those rows.
 *
 * Only conjunctive constraints count (top-level predicates and AND children): every row
 * DuckDB keeps satisfies each of them, so skipping rows outside them is safe. An OR or
 * a NOT over the row id says nothing usable and is ignored.
 */
import { Vector, makeVector, type Schema } from "apache-arrow";
import { ErrorKind, VgiError, type ComparisonOp, type FilterExpression } from "@vgi-ts/protocol";
import type { PushdownFilters } from "./pushdown-filters.js";

/** The field metadata key marking a table's row id column. */
export const ROW_ID_KEY = "is_row_id";

export interface RowIdBound {
  readonly value: unknown;
  readonly inclusive: boolean;
}

export interface RowIdSelection {
  /** The row id column's name (as the bind schema spells it). */
  readonly column: string;
  /**
   * Each IN-list pushed on the row id column, as an Arrow vector of the row id type
   * (usually one: the survivors). A kept row's id is in every one of them.
   */
  readonly lists: readonly Vector[];
  /** The tightest lower bound pushed (`>`/`>=`/`=`), or null. */
  readonly low: RowIdBound | null;
  /** The tightest upper bound pushed (`<`/`<=`/`=`), or null. */
  readonly high: RowIdBound | null;
}

/** The field marked `is_row_id` in a bind schema, or null. */
export function rowIdColumnOf(schema: Schema): string | null {
  return schema.fields.find((f) => f.metadata.has(ROW_ID_KEY))?.name ?? null;
}

/**
 * The row id constraints among `filters`, or null when none names `column` (no filters,
 * or none usable).
 */
export function rowIdSelection(
  filters: PushdownFilters | null,
  column: string,
): RowIdSelection | null {
  if (filters === null) return null;
  const found: { lists: Vector[]; low: RowIdBound | null; high: RowIdBound | null } = {
    lists: [],
    low: null,
    high: null,
  };
  for (const predicate of filters.predicates) collect(predicate.expression, column, found);
  if (found.lists.length === 0 && found.low === null && found.high === null) return null;
  return { column, ...found };
}

/** `op` seen from the column's side (`5 < rowid` is `rowid > 5`). */
const FLIPPED: Partial<Record<ComparisonOp, ComparisonOp>> = {
  lt: "gt",
  le: "ge",
  gt: "lt",
  ge: "le",
  eq: "eq",
  not_distinct_from: "not_distinct_from",
};

function collect(
  expression: FilterExpression,
  column: string,
  found: { lists: Vector[]; low: RowIdBound | null; high: RowIdBound | null },
): void {
  const isColumn = (e: FilterExpression) => e.node === "column_ref" && e.columnName === column;
  switch (expression.node) {
    case "and":
      for (const child of expression.children) collect(child, column, found);
      return;
    case "in":
      if (!expression.negated && isColumn(expression.expression)) {
        found.lists.push(makeVector(expression.set.data));
      }
      return;
    case "comparison": {
      const { left, right } = expression;
      let op: ComparisonOp | undefined;
      let literal: FilterExpression;
      if (isColumn(left)) {
        op = expression.op;
        literal = right;
      } else if (isColumn(right)) {
        op = FLIPPED[expression.op];
        literal = left;
      } else return;
      if (literal.node !== "literal" || literal.value === null || op === undefined) return;
      const value = literal.value;
      if (op === "gt" || op === "ge" || op === "eq" || op === "not_distinct_from") {
        found.low = tighter(found.low, { value, inclusive: op !== "gt" }, 1);
      }
      if (op === "lt" || op === "le" || op === "eq" || op === "not_distinct_from") {
        found.high = tighter(found.high, { value, inclusive: op !== "lt" }, -1);
      }
      return;
    }
    default:
      return;
  }
}

/** The stricter of two bounds: the larger low (`sign` 1) or the smaller high (-1). */
function tighter(current: RowIdBound | null, next: RowIdBound, sign: 1 | -1): RowIdBound {
  if (current === null) return next;
  const order = compare(next.value, current.value);
  if (order === null) return current;
  if (order * sign > 0) return next;
  if (order === 0 && !next.inclusive) return next;
  return current;
}

function compare(a: unknown, b: unknown): number | null {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (
    (typeof a === "number" || typeof a === "bigint") &&
    (typeof b === "number" || typeof b === "bigint")
  ) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/**
 * The BIGINT row ids a selection allows within `[from, to)`, ascending and distinct: the
 * first IN-list's ids that every other list contains and the bounds admit; null when
 * no IN-list was pushed (only bounds: see `int64RowIdRange`). Reads the lists' value
 * buffers directly.
 */
export function int64RowIds(
  selection: RowIdSelection,
  from: bigint,
  to: bigint,
): BigInt64Array | null {
  const [first, ...others] = selection.lists;
  if (first === undefined) return null;
  const { low, high } = int64RowIdRange(selection, from, to);
  const members = others.map((list) => new Set(int64Values(list)));
  const kept: bigint[] = [];
  for (const id of int64Values(first)) {
    if (id < low || id >= high) continue;
    if (members.every((set) => set.has(id))) kept.push(id);
  }
  const out = BigInt64Array.from(kept).sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i]!;
  return out.subarray(0, n);
}

/** The half-open BIGINT range `[low, high)` within `[from, to)` the bounds allow. */
export function int64RowIdRange(
  selection: RowIdSelection,
  from: bigint,
  to: bigint,
): { low: bigint; high: bigint } {
  let low = from;
  let high = to;
  const lowBound = asBigInt(selection.low?.value);
  if (lowBound !== null) {
    const start = selection.low!.inclusive ? lowBound : lowBound + 1n;
    if (start > low) low = start;
  }
  const highBound = asBigInt(selection.high?.value);
  if (highBound !== null) {
    const end = selection.high!.inclusive ? highBound + 1n : highBound;
    if (end < high) high = end;
  }
  return { low, high: high < low ? low : high };
}

function asBigInt(value: unknown): bigint | null {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return null;
}

/** The non-null values of a BIGINT vector, straight from its buffers. */
function* int64Values(vector: Vector): Generator<bigint> {
  for (const data of vector.data) {
    const values = data.values as unknown;
    if (!(values instanceof BigInt64Array)) {
      throw new VgiError(
        ErrorKind.TypeMismatch,
        `row id list of ${String(data.type)}: int64RowIds reads BIGINT row ids only`,
      );
    }
    const bitmap = data.nullBitmap;
    for (let i = 0; i < data.length; i++) {
      if (data.nullCount > 0 && bitmap !== undefined && bitmap.length > 0) {
        const bit = data.offset + i;
        if ((bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) continue;
      }
      yield values[i]!;
    }
  }
}
