/**
 * `sql`: the constructors of every logical type descriptor, in one namespace-like object.
 *
 * @example
 *   const args = [sql.bigint, sql.list(sql.varchar)] as const;
 *   type Args = InferSqlArgs<typeof args>; // [bigint | null, (string | null)[] | null]
 *   const returns = sql.struct({ n: sql.integer, tags: sql.map(sql.varchar, sql.double) });
 */
import { decimal } from "./decimal.js";
import { enumOf } from "./enum.js";
import { geometry } from "./geometry.js";
import { any } from "./from-arrow.js";
import { hugeint, uhugeint } from "./huge-int.js";
import { interval } from "./interval.js";
import { ArrayType, ListType, MapType, StructType, type StructFields } from "./nested.js";
import * as num from "./numeric.js";
import { bignum, bit, sqlNull, uuid } from "./special.js";
import type { AnySqlType } from "./sql-type.js";
import { blob, json, varchar } from "./string.js";
import * as t from "./temporal.js";
import { UnionType, type UnionMembers } from "./union.js";

export const sql = {
  boolean: num.boolean,
  tinyint: num.tinyint,
  smallint: num.smallint,
  integer: num.integer,
  bigint: num.bigint,
  utinyint: num.utinyint,
  usmallint: num.usmallint,
  uinteger: num.uinteger,
  ubigint: num.ubigint,
  hugeint,
  uhugeint,
  float: num.float,
  double: num.double,
  /** DECIMAL(p, s), p in 1..38; values are exact strings with s decimals. */
  decimal,
  varchar,
  /** VARCHAR tagged `arrow.json`: DuckDB types the column JSON. */
  json,
  blob,
  uuid,
  bit,
  /** GEOMETRY: WKB bytes tagged `geoarrow.wkb` (DuckDB 1.5 core type, spatial functions). */
  geometry,
  /** Arbitrary-precision integer; DuckDB 1.5 calls it BIGNUM (VARINT before 1.4). */
  bignum,
  varint: bignum,
  date: t.date,
  time: t.time,
  timeNs: t.timeNs,
  timeTz: t.timeTz,
  timestamp: t.timestamp,
  timestampS: t.timestampS,
  timestampMs: t.timestampMs,
  timestampNs: t.timestampNs,
  timestampTz: t.timestampTz,
  interval,
  /** The type of an untyped NULL literal. */
  null: sqlNull,
  /** ANY-typed argument or result: `Null` + `vgi_type=any`; values are `unknown`. */
  any,
  enum: enumOf,
  list: <E extends AnySqlType>(element: E) => new ListType(element),
  array: <E extends AnySqlType>(element: E, size: number) => new ArrayType(element, size),
  struct: <F extends StructFields>(fields: F) => new StructType(fields),
  map: <K extends AnySqlType, V extends AnySqlType>(key: K, value: V) => new MapType(key, value),
  union: <M extends UnionMembers>(members: M) => new UnionType(members),
} as const;
