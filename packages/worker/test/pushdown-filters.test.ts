/**
 * The filter evaluator against Arrow batches: every node kind, SQL three-valued logic,
 * and each column type family (buffer kernels and the row-value path), checked against
 * what DuckDB answers for the same predicate. Payloads are built exactly as the
 * extension sends them (vgi.filters.v2 IPC), then decoded and applied.
 */
import { describe, expect, test } from "vitest";
import { Field, RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import {
  encodeFilterPayload,
  sql,
  type AnySqlType,
  type FilterPayloadColumn,
} from "@vgi-ts/protocol";
import { PushdownFilters } from "../src/index.js";

type Columns = Record<string, { type: AnySqlType; values: unknown[] }>;

function batchOf(columns: Columns): RecordBatch {
  const fields = Object.entries(columns).map(([name, c]) => c.type.field(name));
  const children: Data[] = Object.values(columns).map((c) => c.type.build(c.values));
  const schema = new Schema(fields);
  const length = children[0]!.length;
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, children }));
}

function payload(name: string, type: AnySqlType, value: unknown): FilterPayloadColumn {
  return { field: type.field(name), data: type.build([value]) };
}

const col = (batch: RecordBatch, name: string) => ({
  node: "column_ref",
  column_index: batch.schema.fields.findIndex((f) => f.name === name),
  column_name: name,
});
const lit = (ref: number) => ({ node: "literal", value_ref: ref });
const cmp = (op: string, left: unknown, right: unknown) => ({
  node: "comparison",
  op,
  left,
  right,
});

function filtersFor(
  batch: RecordBatch,
  expressions: unknown[],
  payloads: FilterPayloadColumn[],
  mode = "required",
): PushdownFilters {
  const doc = {
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "snapshot",
    predicates: expressions.map((expression, i) => ({
      id: `q${i}`,
      revision: 0,
      mode,
      source: "query",
      expression,
    })),
  };
  return PushdownFilters.decode(encodeFilterPayload(doc, payloads), { outputSchema: batch.schema });
}

/** Row indices of `batch` that pass. */
function passing(
  batch: RecordBatch,
  expressions: unknown[],
  payloads: FilterPayloadColumn[],
): number[] {
  const mask = filtersFor(batch, expressions, payloads).mask(batch);
  return [...mask.keys()].filter((i) => mask[i] === 1);
}

/** `column op literal` on one column of values. */
function where(
  type: AnySqlType,
  values: unknown[],
  op: string,
  literal: unknown,
  literalType = type,
): number[] {
  const batch = batchOf({ c: { type, values } });
  return passing(
    batch,
    [cmp(op, col(batch, "c"), lit(0))],
    [payload("value_0", literalType, literal)],
  );
}

describe("comparison kernels by type", () => {
  test("integers of every width, including int64 beyond 2^53 and uint64", () => {
    const big = [-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n, null];
    expect(where(sql.bigint, big, "gt", 2n ** 53n)).toEqual([3, 4]);
    expect(where(sql.bigint, big, "le", -1n)).toEqual([0, 1]);
    expect(where(sql.bigint, big, "eq", 2n ** 53n + 1n)).toEqual([3]);
    expect(where(sql.ubigint, [0n, 2n ** 63n, 2n ** 64n - 1n], "gt", 2n ** 62n)).toEqual([1, 2]);
    expect(where(sql.tinyint, [-128, 0, 127, null], "ne", 0)).toEqual([0, 2]);
    expect(where(sql.integer, [1, 2, 3], "ge", 2)).toEqual([1, 2]);
    expect(where(sql.usmallint, [1, 65535], "lt", 65535)).toEqual([0]);
  });

  test("floats: NaN is the greatest value and equals itself", () => {
    const values = [-Infinity, -0, 0, 1.5, NaN, Infinity, null];
    expect(where(sql.double, values, "eq", 0)).toEqual([1, 2]);
    expect(where(sql.double, values, "gt", 1.5)).toEqual([4, 5]);
    expect(where(sql.double, values, "eq", NaN)).toEqual([4]);
    expect(where(sql.double, values, "lt", NaN)).toEqual([0, 1, 2, 3, 5]);
    expect(where(sql.float, [0.5, 2.5], "gt", 1)).toEqual([1]);
  });

  test("decimals and hugeints compare exactly", () => {
    const d = sql.decimal(38, 4);
    expect(
      where(d, ["-1.0000", "0.0001", "12345678901234567890.1234", null], "gt", "0.0000"),
    ).toEqual([1, 2]);
    expect(where(sql.decimal(9, 2), ["1.50", "1.51"], "eq", "1.51")).toEqual([1]);
    const huge = [-(2n ** 127n), -1n, 2n ** 100n, 2n ** 127n - 1n];
    expect(where(sql.hugeint, huge, "ge", 2n ** 100n)).toEqual([2, 3]);
    expect(where(sql.hugeint, huge, "lt", 0n)).toEqual([0, 1]);
    expect(where(sql.uhugeint, [0n, 2n ** 128n - 1n], "gt", 1n)).toEqual([1]);
  });

  test("strings and blobs by UTF-8 bytes; booleans", () => {
    const s = ["", "a", "ab", "b", "é", "😀", "\uffff", null];
    expect(where(sql.varchar, s, "gt", "ab")).toEqual([3, 4, 5, 6]);
    // U+FFFF (EF BF BF) sorts before U+1F600 (F0 ...) in UTF-8, after it in UTF-16.
    expect(where(sql.varchar, s, "lt", "😀")).toEqual([0, 1, 2, 3, 4, 6]);
    expect(where(sql.varchar, s, "eq", "")).toEqual([0]);
    const blobs = [new Uint8Array([0]), new Uint8Array([0, 1]), new Uint8Array([255]), null];
    expect(where(sql.blob, blobs, "ge", new Uint8Array([0, 1]))).toEqual([1, 2]);
    expect(where(sql.boolean, [true, false, null], "eq", true)).toEqual([0]);
    expect(where(sql.boolean, [true, false, null], "lt", true)).toEqual([1]);
  });

  test("temporal: date, timestamp, time, time with time zone", () => {
    expect(where(sql.date, [0, 19000, -5, null], "ge", 0)).toEqual([0, 1]);
    expect(where(sql.timestamp, [0n, 1_700_000_000_000_000n, null], "lt", 1n)).toEqual([0]);
    expect(where(sql.time, [0, 43_200_000_000, 86_399_000_000], "gt", 43_200_000_000)).toEqual([2]);
    const tz = [
      { micros: 3_600_000_000, offset: 3600 },
      { micros: 3_600_000_000, offset: 0 },
    ];
    // 01:00+01 is 00:00 UTC, earlier than 01:00+00.
    expect(where(sql.timeTz, tz, "lt", { micros: 1_800_000_000, offset: 0 })).toEqual([0]);
  });

  test("uuid (arrow.uuid bytes) and enums (dictionary)", () => {
    const u = [
      "00000000-0000-0000-0000-000000000001",
      "ffffffff-0000-0000-0000-000000000000",
      null,
    ];
    expect(where(sql.uuid, u, "gt", "80000000-0000-0000-0000-000000000000")).toEqual([1]);
    const mood = sql.enum(["sad", "ok", "happy"]);
    expect(where(mood, ["sad", "happy", null, "ok"], "eq", "happy")).toEqual([1]);
  });

  test("dictionary-encoded VARCHAR against a plain VARCHAR literal", () => {
    const batch = batchOf({ n: { type: sql.bigint, values: [0n, 1n, 2n, 3n] } });
    const dictType = sql.enum(["red", "green", "blue"]);
    const data = dictType.build(["red", "green", "blue", "green"]);
    const field = new Field("s", data.type, true);
    const fields = [...batch.schema.fields, field];
    const both = new RecordBatch(
      new Schema(fields),
      makeData({ type: new Struct(fields), length: 4, children: [batch.data.children[0]!, data] }),
    );
    expect(
      passing(
        both,
        [cmp("eq", col(both, "s"), lit(0))],
        [payload("value_0", sql.varchar, "green")],
      ),
    ).toEqual([1, 3]);
    const inSet = {
      node: "in",
      expression: col(both, "s"),
      set: { kind: "literal", value_ref: 0 },
      negated: false,
    };
    expect(
      passing(both, [inSet], [payload("value_0", sql.list(sql.varchar), ["red", "blue"])]),
    ).toEqual([0, 2]);
  });
});

describe("SQL three-valued logic", () => {
  const batch = batchOf({
    a: { type: sql.bigint, values: [1n, 2n, null, 4n] },
    b: { type: sql.varchar, values: ["x", null, "y", "x"] },
  });
  const p = [payload("value_0", sql.bigint, 2n), payload("value_1", sql.varchar, "x")];
  const aEq = cmp("eq", col(batch, "a"), lit(0));
  const bEq = cmp("eq", col(batch, "b"), lit(1));

  test("AND, OR, NOT with NULL", () => {
    expect(passing(batch, [{ node: "or", children: [aEq, bEq] }], p)).toEqual([0, 1, 3]);
    expect(
      passing(batch, [{ node: "and", children: [{ node: "not", expression: aEq }, bEq] }], p),
    ).toEqual([0, 3]);
    // NOT (a = 2): NULL for the NULL row, so it is dropped.
    expect(passing(batch, [{ node: "not", expression: aEq }], p)).toEqual([0, 3]);
  });

  test("IS [NOT] NULL and IS [NOT] DISTINCT FROM", () => {
    expect(
      passing(batch, [{ node: "is_null", expression: col(batch, "a"), negated: false }], p),
    ).toEqual([2]);
    expect(
      passing(batch, [{ node: "is_null", expression: col(batch, "b"), negated: true }], p),
    ).toEqual([0, 2, 3]);
    expect(passing(batch, [cmp("distinct_from", col(batch, "a"), lit(0))], p)).toEqual([0, 2, 3]);
    expect(passing(batch, [cmp("not_distinct_from", col(batch, "a"), lit(0))], p)).toEqual([1]);
    expect(passing(batch, [cmp("ne", col(batch, "a"), lit(0))], p)).toEqual([0, 3]);
  });

  test("IN and NOT IN with a NULL in the set", () => {
    const list = [payload("value_0", sql.list(sql.bigint), [1n, null])];
    const inSet = (negated: boolean) => ({
      node: "in",
      expression: col(batch, "a"),
      set: { kind: "literal", value_ref: 0 },
      negated,
    });
    expect(passing(batch, [inSet(false)], list)).toEqual([0]);
    // 2 NOT IN (1, NULL) is NULL, not TRUE.
    expect(passing(batch, [inSet(true)], list)).toEqual([]);
  });

  test("a NULL literal makes comparisons NULL", () => {
    expect(
      passing(batch, [cmp("eq", col(batch, "a"), lit(0))], [payload("value_0", sql.bigint, null)]),
    ).toEqual([]);
    expect(
      passing(
        batch,
        [cmp("distinct_from", col(batch, "a"), lit(0))],
        [payload("value_0", sql.bigint, null)],
      ),
    ).toEqual([0, 1, 3]);
  });
});

describe("computed expressions and calls", () => {
  const batch = batchOf({
    n: { type: sql.bigint, values: [1n, 2n, 3n, 4n, null] },
    s: { type: sql.varchar, values: ["apple", "banana", "cherry", "apricot", null] },
    tags: { type: sql.list(sql.varchar), values: [["a"], ["b", "c"], [], ["c"], null] },
    rec: {
      type: sql.struct({ k: sql.integer, v: sql.varchar }),
      values: [{ k: 1, v: "x" }, { k: 2, v: "y" }, null, { k: 4, v: "x" }, { k: 5, v: null }],
    },
    flag: { type: sql.boolean, values: [true, false, null, true, false] },
  });

  test("arithmetic, negate, cast", () => {
    const p = [
      payload("value_0", sql.bigint, 2n),
      payload("value_1", sql.bigint, 5n),
      { field: sql.varchar.field("type_0"), data: sql.varchar.build([null]) },
    ];
    expect(
      passing(
        batch,
        [
          cmp(
            "gt",
            { node: "arithmetic", op: "multiply", left: col(batch, "n"), right: lit(0) },
            lit(1),
          ),
        ],
        p,
      ),
    ).toEqual([2, 3]);
    expect(
      passing(
        batch,
        [
          cmp(
            "lt",
            { node: "negate", expression: col(batch, "n") },
            { node: "negate", expression: lit(0) },
          ),
        ],
        p,
      ),
    ).toEqual([2, 3]);
    expect(
      passing(
        batch,
        [cmp("eq", { node: "cast", expression: col(batch, "n"), type_ref: 0 }, lit(2))],
        [...p.slice(0, 2), payload("value_2", sql.varchar, "3"), p[2]!],
      ),
    ).toEqual([2]);
  });

  test("standard functions: starts_with, ends_with, contains, list_contains", () => {
    const p = [payload("value_0", sql.varchar, "ap"), payload("value_1", sql.varchar, "c")];
    const call = (fn: string, args: unknown[]) => ({ node: "call", function: fn, arguments: args });
    expect(passing(batch, [call("starts_with", [col(batch, "s"), lit(0)])], p)).toEqual([0, 3]);
    expect(
      passing(
        batch,
        [call("ends_with", [col(batch, "s"), lit(1)])],
        [payload("value_0", sql.varchar, "a"), payload("value_1", sql.varchar, "t")],
      ),
    ).toEqual([3]);
    expect(
      passing(
        batch,
        [call("contains", [col(batch, "s"), lit(1)])],
        [payload("value_0", sql.varchar, "a"), payload("value_1", sql.varchar, "rr")],
      ),
    ).toEqual([2]);
    expect(passing(batch, [call("list_contains", [col(batch, "tags"), lit(1)])], p)).toEqual([
      1, 3,
    ]);
  });

  test("struct fields and a BOOLEAN column as the predicate", () => {
    const ref = {
      node: "field_ref",
      expression: col(batch, "rec"),
      field_index: 1,
      field_name: "v",
    };
    expect(
      passing(batch, [cmp("eq", ref, lit(0))], [payload("value_0", sql.varchar, "x")]),
    ).toEqual([0, 3]);
    expect(passing(batch, [col(batch, "flag")], [])).toEqual([0, 3]);
    expect(passing(batch, [{ node: "not", expression: col(batch, "flag") }], [])).toEqual([1, 4]);
  });
});

describe("PushdownFilters", () => {
  const batch = batchOf({
    n: { type: sql.bigint, values: Array.from({ length: 10 }, (_, i) => BigInt(i)) },
    s: { type: sql.varchar, values: Array.from({ length: 10 }, (_, i) => `row_${i}`) },
  });

  test("apply keeps passing rows of every column; renders as SQL and repr", () => {
    const f = filtersFor(
      batch,
      [
        {
          node: "and",
          children: [cmp("ge", col(batch, "n"), lit(0)), cmp("lt", col(batch, "n"), lit(1))],
        },
        cmp("ne", col(batch, "s"), lit(2)),
      ],
      [
        payload("value_0", sql.bigint, 2n),
        payload("value_1", sql.bigint, 8n),
        payload("value_2", sql.varchar, "row_5"),
      ],
    );
    const out = f.apply(batch);
    expect(out.numRows).toBe(5);
    expect(out.getChild("s")!.toArray()).toEqual(["row_2", "row_3", "row_4", "row_6", "row_7"]);
    expect(f.toSql()).toBe("(n >= 2 AND n < 8) AND s != 'row_5'");
    expect(f.toString()).toBe(
      "PushdownFilters([AndFilter(ConstantFilter(n >= 2) AND ConstantFilter(n < 8)), ConstantFilter(s != row_5)])",
    );
    expect(f.filteredColumns()).toEqual(["n", "s"]);
    expect(f.required).toHaveLength(2);
  });

  test("columnValues resolves =, IN and OR of them; ranges do not", () => {
    const values = (expression: unknown, payloads: FilterPayloadColumn[]) =>
      filtersFor(batch, [expression], payloads).columnValues("n");
    const two = [payload("value_0", sql.bigint, 3n), payload("value_1", sql.bigint, 7n)];
    expect(
      values(
        {
          node: "or",
          children: [cmp("eq", col(batch, "n"), lit(0)), cmp("eq", col(batch, "n"), lit(1))],
        },
        two,
      ),
    ).toEqual([3n, 7n]);
    expect(values(cmp("ge", col(batch, "n"), lit(0)), two)).toBeNull();
    expect(
      values(
        {
          node: "in",
          expression: col(batch, "n"),
          set: { kind: "literal", value_ref: 0 },
          negated: false,
        },
        [payload("value_0", sql.list(sql.bigint), [1n, 4n])],
      ),
    ).toEqual([1n, 4n]);
  });

  test("dynamic deltas from tick metadata replace advisory bounds", () => {
    const empty = filtersFor(batch, [], []);
    const delta = encodeFilterPayload(
      {
        encoding: "vgi.filters.v2",
        semantics: "vgi.duckdb.standard.v1",
        kind: "delta",
        updates: [
          {
            operation: "upsert",
            id: "top_n:0",
            revision: 1,
            mode: "advisory",
            source: "top_n",
            expression: cmp("lt", col(batch, "n"), lit(0)),
          },
        ],
      },
      [payload("value_0", sql.bigint, 3n)],
    );
    const metadata = new Map([["vgi_pushdown_filters", Buffer.from(delta).toString("base64")]]);
    const next = empty.withTickMetadata(metadata);
    expect(next).not.toBe(empty);
    expect(next.apply(batch).numRows).toBe(3);
    expect(next.withTickMetadata(new Map())).toBe(next);
  });

  test("an advisory predicate that cannot run is skipped; a required one is an error", () => {
    const missing = batchOf({ s: { type: sql.varchar, values: ["a"] } });
    const expression = cmp("eq", col(batch, "n"), lit(0));
    const advisory = filtersFor(
      batch,
      [expression],
      [payload("value_0", sql.bigint, 1n)],
      "advisory",
    );
    expect(advisory.apply(missing).numRows).toBe(1);
    const required = filtersFor(batch, [expression], [payload("value_0", sql.bigint, 1n)]);
    expect(() => required.apply(missing)).toThrow(/column n is not in the batch/);
  });
});
