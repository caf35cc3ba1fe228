/**
 * Row id selections: what pushed filters (built as the extension sends them, vgi.filters.v2
 * IPC, IN-lists inline or as join-key batches) say about a scan's row ids, the BIGINT
 * helpers that turn them into the rows to fetch, and how a table function declares
 * late materialization and sees `call.rowIds`.
 */
import { describe, expect, test } from "vitest";
import {
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  BindRequestCodec,
  decodeSchema,
  encodeFilterPayload,
  encodeSchema,
  encodeStream,
  sql,
  type AnySqlType,
  type FilterPayloadColumn,
  type InitRequest,
} from "@vgi-ts/protocol";
import {
  CallContext,
  PushdownFilters,
  decodeBindCall,
  int64RowIdRange,
  int64RowIds,
  rowIdColumnOf,
  rowIdSelection,
  tableFunction,
  type RowIdSelection,
  type TableCall,
} from "../src/index.js";

const rowIdField = new Field("rid", new Int64(), true, new Map([["is_row_id", ""]]));
const schema = new Schema([rowIdField, new Field("v", new Utf8(), true)]);

const col = (name: string) => ({
  node: "column_ref",
  column_index: schema.fields.findIndex((f) => f.name === name),
  column_name: name,
});
const lit = (ref: number) => ({ node: "literal", value_ref: ref });
const cmp = (op: string, left: unknown, right: unknown) => ({
  node: "comparison",
  op,
  left,
  right,
});
const inList = (ref: number, negated = false) => ({
  node: "in",
  expression: col("rid"),
  set: { kind: "literal", value_ref: ref },
  negated,
});

function payload(ref: number, type: AnySqlType, value: unknown): FilterPayloadColumn {
  return { field: type.field(`value_${ref}`), data: type.build([value]) };
}

function encoded(expressions: unknown[], payloads: FilterPayloadColumn[]): Uint8Array {
  return encodeFilterPayload(
    {
      encoding: "vgi.filters.v2",
      semantics: "vgi.duckdb.standard.v1",
      kind: "snapshot",
      predicates: expressions.map((expression, i) => ({
        id: `p${i}`,
        revision: 0,
        mode: "advisory",
        source: "join",
        expression,
      })),
    },
    payloads,
  );
}

function selectionOf(
  expressions: unknown[],
  payloads: FilterPayloadColumn[],
  joinKeys: Uint8Array[] | null = null,
): RowIdSelection | null {
  const filters = PushdownFilters.decode(encoded(expressions, payloads), {
    outputSchema: schema,
    joinKeys,
  });
  return rowIdSelection(filters, "rid");
}

const ids = (list: { toArray(): ArrayLike<unknown> }) => [...Array.from(list.toArray())];

describe("rowIdSelection", () => {
  test("the survivors' IN-list and range, as DuckDB pushes them after a Top-N", () => {
    const selection = selectionOf(
      [inList(0), cmp("ge", col("rid"), lit(1)), cmp("le", col("rid"), lit(2))],
      [
        payload(0, sql.list(sql.bigint), [981n, 0n, 327n]),
        payload(1, sql.bigint, 0n),
        payload(2, sql.bigint, 981n),
      ],
    )!;
    expect(selection.column).toBe("rid");
    expect(selection.lists.map(ids)).toEqual([[981n, 0n, 327n]]);
    expect(selection.low).toEqual({ value: 0n, inclusive: true });
    expect(selection.high).toEqual({ value: 981n, inclusive: true });
  });

  test("an IN-list arriving as a join-key batch is read from that batch", () => {
    const keys = vectorFromArray([7n, 3n], new Int64());
    const keySchema = new Schema([new Field("rid", new Int64(), true)]);
    const batch = new RecordBatch(
      keySchema,
      makeData({ type: new Struct(keySchema.fields), length: 2, children: [keys.data[0]!] }),
    );
    const external = {
      node: "in",
      expression: col("rid"),
      set: { kind: "external", batch_index: 0, column_index: 0, column_name: "rid" },
      negated: false,
    };
    const selection = selectionOf([external], [], [encodeStream(keySchema, [batch])])!;
    expect(selection.lists.map(ids)).toEqual([[7n, 3n]]);
    expect(selection.low).toBeNull();
  });

  test("bounds: a literal on the left is flipped, the tightest wins, equality pins both", () => {
    const selection = selectionOf(
      [
        cmp("lt", lit(0), col("rid")), // 10 < rid
        { node: "and", children: [cmp("ge", col("rid"), lit(1)), cmp("lt", col("rid"), lit(2))] },
        cmp("le", col("rid"), lit(3)),
      ],
      [
        payload(0, sql.bigint, 10n),
        payload(1, sql.bigint, 10n),
        payload(2, sql.bigint, 50n),
        payload(3, sql.bigint, 60n),
      ],
    )!;
    expect(selection.low).toEqual({ value: 10n, inclusive: false });
    expect(selection.high).toEqual({ value: 50n, inclusive: false });
    const pinned = selectionOf([cmp("eq", col("rid"), lit(0))], [payload(0, sql.bigint, 4n)])!;
    expect([pinned.low, pinned.high]).toEqual([
      { value: 4n, inclusive: true },
      { value: 4n, inclusive: true },
    ]);
  });

  test("nothing usable: other columns, OR, NOT IN, NULL literals, no filters", () => {
    const none = (expressions: unknown[], payloads: FilterPayloadColumn[]) =>
      selectionOf(expressions, payloads);
    expect(none([cmp("eq", col("v"), lit(0))], [payload(0, sql.varchar, "x")])).toBeNull();
    expect(
      none(
        [{ node: "or", children: [cmp("eq", col("rid"), lit(0)), cmp("eq", col("rid"), lit(1))] }],
        [payload(0, sql.bigint, 1n), payload(1, sql.bigint, 2n)],
      ),
    ).toBeNull();
    expect(none([inList(0, true)], [payload(0, sql.list(sql.bigint), [1n])])).toBeNull();
    expect(none([cmp("gt", col("rid"), lit(0))], [payload(0, sql.bigint, null)])).toBeNull();
    expect(rowIdSelection(null, "rid")).toBeNull();
  });

  test("the row id column is the field marked is_row_id", () => {
    expect(rowIdColumnOf(schema)).toBe("rid");
    expect(rowIdColumnOf(new Schema([new Field("v", new Utf8())]))).toBeNull();
  });
});

describe("BIGINT row ids to fetch", () => {
  const selection = (lists: (bigint | null)[][], low: bigint | null, high: bigint | null) =>
    ({
      column: "rid",
      lists: lists.map((l) => vectorFromArray(l, new Int64())),
      low: low === null ? null : { value: low, inclusive: true },
      high: high === null ? null : { value: high, inclusive: false },
    }) satisfies RowIdSelection;

  test("ascending and distinct, within the window and the bounds, NULLs skipped", () => {
    const s = selection([[9n, 2n, null, 5n, 2n, 40n, 0n]], 1n, 30n);
    expect([...int64RowIds(s, 0n, 100n)!]).toEqual([2n, 5n, 9n]);
    expect([...int64RowIds(s, 3n, 9n)!]).toEqual([5n]);
    expect([...int64RowIds(s, 50n, 100n)!]).toEqual([]);
  });

  test("several lists: only ids every list holds", () => {
    const s = selection(
      [
        [1n, 2n, 3n, 4n],
        [4n, 2n, 8n],
      ],
      null,
      null,
    );
    expect([...int64RowIds(s, 0n, 10n)!]).toEqual([2n, 4n]);
  });

  test("no list: null ids, and the range alone narrows the window", () => {
    const s = selection([], 10n, 20n);
    expect(int64RowIds(s, 0n, 100n)).toBeNull();
    expect(int64RowIdRange(s, 0n, 100n)).toEqual({ low: 10n, high: 20n });
    expect(int64RowIdRange(s, 15n, 18n)).toEqual({ low: 15n, high: 18n });
    const exclusiveLow: RowIdSelection = { ...s, low: { value: 10n, inclusive: false } };
    expect(int64RowIdRange(exclusiveLow, 0n, 100n)).toEqual({ low: 11n, high: 20n });
    // Disjoint from the window: empty, never inverted.
    expect(int64RowIdRange(s, 30n, 40n)).toEqual({ low: 30n, high: 30n });
  });

  test("a non-BIGINT row id list is a TypeMismatch, not a wrong answer", () => {
    const s: RowIdSelection = {
      column: "rid",
      lists: [vectorFromArray(["a"], new Utf8())],
      low: null,
      high: null,
    };
    expect(() => int64RowIds(s, 0n, 10n)).toThrow(
      expect.objectContaining({ kind: "type_mismatch" }) as Error,
    );
  });
});

describe("declaring late materialization", () => {
  const base = {
    name: "lm",
    arguments: [],
    columns: { rid: sql.bigint, v: sql.varchar },
    start: () => null,
    produce: () => null,
  };

  test("needs filter and projection pushdown; the row id column must be an output column", () => {
    expect(() => tableFunction({ ...base, lateMaterialization: true })).toThrow(
      "lateMaterialization needs filterPushdown and projectionPushdown",
    );
    expect(() =>
      tableFunction({ ...base, lateMaterialization: true, filterPushdown: true }),
    ).toThrow(expect.objectContaining({ kind: "invalid_argument" }) as Error);
    expect(() => tableFunction({ ...base, rowIdColumn: "missing" })).toThrow(
      "row id column missing is not an output column",
    );
  });

  test("advertised in FunctionInfo with the row id column marked; absent otherwise", () => {
    const fn = tableFunction({
      ...base,
      filterPushdown: true,
      projectionPushdown: true,
      lateMaterialization: true,
      rowIdColumn: "rid",
    });
    const info = fn.describe(["main"]);
    expect(info.lateMaterialization).toBe(true);
    expect(rowIdColumnOf(decodeSchema(info.outputSchema))).toBe("rid");
    expect(tableFunction(base).describe(["main"]).lateMaterialization).toBeNull();
  });

  test("call.rowIds follows the init filters on the bind schema's row id column", async () => {
    const seen: TableCall[] = [];
    const fn = tableFunction<null>({
      ...base,
      filterPushdown: true,
      projectionPushdown: true,
      lateMaterialization: true,
      rowIdColumn: "rid",
      start: (call) => {
        seen.push(call);
        return null;
      },
    });
    const args = new Schema([new Field("args", new Struct([]), true)]);
    const request = BindRequestCodec.decodeRow(
      BindRequestCodec.encode({
        functionName: "lm",
        arguments: encodeStream(args, [
          new RecordBatch(
            args,
            makeData({
              type: new Struct(args.fields),
              length: 1,
              children: [makeData({ type: new Struct([]), length: 1, children: [] })],
            }),
          ),
        ]),
        functionType: "TABLE",
        resolvedSecretsProvided: false,
      }),
      0,
    );
    const call = decodeBindCall(request);
    const bound = await fn.outputSchema(fn.tableCall(call));
    expect(rowIdColumnOf(bound)).toBe("rid");
    const init = {
      bindCall: request,
      outputSchema: encodeSchema(bound),
      pushdownFilters: encoded([inList(0)], [payload(0, sql.list(sql.bigint), [3n, 1n])]),
      projectionIds: [0n, 1n],
    } as unknown as InitRequest;
    const withNulls = Object.fromEntries(
      [
        "bindOpaqueData",
        "joinKeys",
        "splitTokens",
        "rowLimit",
        "phase",
        "finalizeStateId",
        "executionId",
        "initOpaqueData",
        "substreamId",
        "orderByColumnName",
        "orderByDirection",
        "orderByNullOrder",
        "orderByLimit",
        "tablesamplePercentage",
        "tablesampleSeed",
      ].map((k) => [k, null]),
    );
    await fn.open(call, { ...withNulls, ...init }, new CallContext("init", undefined, "test"));
    expect(seen[0]!.rowIds!.lists.map(ids)).toEqual([[3n, 1n]]);
    await fn.open(
      call,
      { ...withNulls, ...init, pushdownFilters: null },
      new CallContext("init", undefined, "test"),
    );
    expect(seen[1]!.rowIds).toBeNull();
  });
});
