/**
 * Column statistics: what a table or a table function tells DuckDB's optimizer about
 * its columns (bounds, NULLs, distinct count, string facts), so filters that no row can
 * pass fold to an empty result before any scan runs.
 *
 * Wire shape (one IPC stream of one batch, the same for `catalog_table_column_statistics_get`,
 * `TableInfo.column_statistics` and `table_function_statistics`): one row per column,
 * `column_name`, `min` and `max` as sparse unions with one member per distinct value type
 * (members named "0", "1", ...), `has_null`, `has_not_null`, `distinct_count` (int64),
 * `contains_unicode`, `max_string_length` (uint64). An optional cache lifetime travels as
 * the batch's `cache_max_age_seconds` metadata. The extension casts min/max to the column's
 * own type, so the value type may be narrower (an INTEGER bound for a BIGINT column).
 */
import { Schema, type Data, type DataType, type Field } from "apache-arrow";
import { ErrorKind, VgiError } from "./errors.js";
import { encodeBatch } from "./ipc/ipc-bytes.js";
import { makeRecordBatch } from "./ipc/record-batch.js";
import type { AnySqlType } from "./values/sql-type.js";
import { sql } from "./values/sql.js";

export interface ColumnStatistics {
  readonly column: string;
  /** The type of `min` and `max` (normally the column's own type). */
  readonly type: AnySqlType;
  /** Lower bound as a value of `type` (its `build` input form); null or absent: unknown. */
  readonly min?: unknown;
  readonly max?: unknown;
  /** Whether the column may hold NULLs (default true: unknown means possible). */
  readonly hasNull?: boolean;
  /** Whether the column may hold non-NULL values (default true). */
  readonly hasNotNull?: boolean;
  readonly distinctCount?: number | bigint | null;
  /** String columns: whether any value has non-ASCII characters. */
  readonly containsUnicode?: boolean | null;
  /** String columns: the longest value in bytes. */
  readonly maxStringLength?: number | bigint | null;
}

export interface ColumnStatisticsOptions {
  /** How long DuckDB may keep these statistics (seconds); absent: as long as it likes. */
  readonly cacheMaxAgeSeconds?: number;
}

const CACHE_MAX_AGE_KEY = "cache_max_age_seconds";

/** The IPC bytes of a statistics batch (zero rows for an empty list). */
export function encodeColumnStatistics(
  stats: readonly ColumnStatistics[],
  options: ColumnStatisticsOptions = {},
): Uint8Array {
  const members = new Map<string, { tag: string; type: AnySqlType }>();
  const tags = stats.map((s) => {
    const key = typeKey(s.type.arrowType());
    let member = members.get(key);
    if (member === undefined) {
      member = { tag: String(members.size), type: s.type };
      members.set(key, member);
    }
    return member.tag;
  });
  // An empty list still needs a union with one member to describe.
  const bound = sql.union(
    members.size === 0
      ? { "0": sql.null }
      : Object.fromEntries([...members.values()].map((m) => [m.tag, m.type])),
  );
  const side = (pick: (s: ColumnStatistics) => unknown): Data =>
    bound.build(stats.map((s, i) => ({ tag: tags[i]!, value: pick(s) ?? null })));
  const columns: [string, AnySqlType, Data][] = [
    ["column_name", sql.varchar, sql.varchar.build(stats.map((s) => s.column))],
    ["min", bound, side((s) => s.min)],
    ["max", bound, side((s) => s.max)],
    ["has_null", sql.boolean, sql.boolean.build(stats.map((s) => s.hasNull ?? true))],
    ["has_not_null", sql.boolean, sql.boolean.build(stats.map((s) => s.hasNotNull ?? true))],
    ["distinct_count", sql.bigint, sql.bigint.build(stats.map((s) => count(s, "distinctCount")))],
    ["contains_unicode", sql.boolean, sql.boolean.build(stats.map((s) => s.containsUnicode))],
    [
      "max_string_length",
      sql.ubigint,
      sql.ubigint.build(stats.map((s) => count(s, "maxStringLength"))),
    ],
  ];
  const schema = new Schema(columns.map(([name, type]): Field => type.field(name, true)));
  const metadata = new Map<string, string>();
  const ttl = options.cacheMaxAgeSeconds;
  if (ttl !== undefined) {
    if (!Number.isSafeInteger(ttl) || ttl < 0) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `cacheMaxAgeSeconds must be a non-negative integer, got ${ttl}`,
      );
    }
    metadata.set(CACHE_MAX_AGE_KEY, String(ttl));
  }
  const batch = makeRecordBatch(
    schema,
    stats.length,
    columns.map(([, , data]) => data),
    metadata,
  );
  return encodeBatch(batch);
}

/** Types that print alike are one union member (DECIMAL precision, units and widths print). */
function typeKey(type: DataType): string {
  return String(type);
}

function count(s: ColumnStatistics, key: "distinctCount" | "maxStringLength"): bigint | null {
  const value = s[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `statistics of column ${s.column}: ${key} must be an integer, got ${value}`,
    );
  }
  const n = BigInt(value);
  if (n < 0n) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `statistics of column ${s.column}: ${key} must not be negative, got ${value}`,
    );
  }
  return n;
}
