/**
 * What a table function sees about its call beyond plain argument values: declared
 * ranges enforced at bind, the positional arguments as Arrow (field + column), the
 * init request's scan hints, and the sampling-pushdown flag in FunctionInfo.
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
  type Data,
  type DataType,
} from "apache-arrow";
import {
  BindRequestCodec,
  encodeSchema,
  encodeStream,
  sql,
  type InitRequest,
} from "@vgi-ts/protocol";
import {
  CallContext,
  decodeBindCall,
  tableFunction,
  type BindCall,
  type TableCall,
  type TableFunctionDefinition,
} from "@vgi-ts/worker";

/** A BindCall decoded from a real BindRequest whose arguments are these one-row columns. */
function bindCall(args: readonly [name: string, data: Data][]): BindCall {
  const struct = new Struct(args.map(([name, data]) => new Field(name, data.type, true)));
  const schema = new Schema([new Field("args", struct, true)]);
  const batch = new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: 1,
      children: [makeData({ type: struct, length: 1, children: args.map(([, d]) => d) })],
    }),
  );
  const request = BindRequestCodec.decodeRow(
    BindRequestCodec.encode({
      functionName: "f",
      arguments: encodeStream(schema, [batch]),
      functionType: "TABLE",
      resolvedSecretsProvided: false,
    }),
    0,
  );
  return decodeBindCall(request);
}

const value = (v: unknown, type: DataType): Data => vectorFromArray([v], type).data[0]!;

/** Records the call its `start` saw. */
function probe(extra: Partial<TableFunctionDefinition<null>> = {}) {
  const seen: TableCall[] = [];
  const fn = tableFunction<null>({
    name: "probe",
    arguments: [
      { name: "count", type: sql.bigint, range: "[0, +inf)" },
      { name: "step", type: sql.double, named: true, default: 1, range: "(0.0, 10]" },
    ],
    columns: { n: sql.bigint },
    start: (call) => {
      seen.push(call);
      return null;
    },
    produce: () => null,
    ...extra,
  });
  return { fn, seen };
}

function init(call: BindCall, fields: Partial<InitRequest> = {}): InitRequest {
  return {
    bindCall: call.request,
    outputSchema: encodeSchema(new Schema([new Field("n", new Int64(), true)])),
    bindOpaqueData: null,
    projectionIds: null,
    pushdownFilters: null,
    joinKeys: null,
    splitTokens: null,
    rowLimit: null,
    phase: null,
    finalizeStateId: null,
    executionId: null,
    initOpaqueData: null,
    substreamId: null,
    orderByColumnName: null,
    orderByDirection: null,
    orderByNullOrder: null,
    orderByLimit: null,
    tablesamplePercentage: null,
    tablesampleSeed: null,
    ...fields,
  } as InitRequest;
}

const context = () => new CallContext("init", undefined, "test");

describe("declared ranges are enforced at bind", () => {
  test("in range, on an inclusive bound and a default: accepted", () => {
    const { fn } = probe();
    expect(() => fn.bind(bindCall([["count", value(0n, new Int64())]]))).not.toThrow();
  });

  test("below an inclusive bound, NULL, and past an open or closed bound: rejected", () => {
    const { fn } = probe();
    expect(() => fn.bind(bindCall([["count", value(-1n, new Int64())]]))).toThrow(
      "probe: argument 'count' must be >= 0 (got -1) (allowed: [0, +inf))",
    );
    expect(() => fn.bind(bindCall([["count", value(null, new Int64())]]))).toThrow(
      "argument 'count' cannot be NULL",
    );
    const withStep = (step: number) =>
      bindCall([
        ["count", value(1n, new Int64())],
        ["named_step", vectorFromArray([step]).data[0]!],
      ]);
    expect(() => fn.bind(withStep(0))).toThrow("must be > 0.0 (got 0)");
    expect(() => fn.bind(withStep(10))).not.toThrow();
    expect(() => fn.bind(withStep(10.5))).toThrow("must be <= 10 (got 10.5)");
  });
});

describe("what start sees", () => {
  test("positional arguments as Arrow, keeping what plain values lose (a UNION's tag)", async () => {
    const union = sql.union({ i: sql.bigint, s: sql.varchar });
    const { fn, seen } = probe({
      arguments: [{ name: "u", type: union, varargs: true }],
    });
    const call = bindCall([
      ["u", union.build([{ tag: "s", value: "x" }])],
      ["named_ignored", value("y", new Utf8())],
    ]);
    fn.open(call, init(call), context());
    const [arg] = seen[0]!.argumentColumns;
    expect(seen[0]!.argumentColumns).toHaveLength(1);
    expect(String(arg!.field.type)).toBe(String(union.arrowType()));
    expect(union.read(arg!.column, 0)).toEqual({ tag: "s", value: "x" });
  });

  test("no hints without them; the ORDER BY and TABLESAMPLE hints of the init request", () => {
    const { fn, seen } = probe();
    const call = bindCall([["count", value(3n, new Int64())]]);
    fn.open(call, init(call), context());
    expect(seen[0]!.pushdown).toEqual({ orderBy: null, sample: null, rowLimit: null });
    fn.open(
      call,
      init(call, {
        orderByColumnName: "n",
        orderByDirection: "DESC",
        orderByNullOrder: "NULLS_FIRST",
        orderByLimit: 5n,
        tablesamplePercentage: 12.5,
        tablesampleSeed: null,
      }),
      context(),
    );
    expect(seen[1]!.pushdown).toEqual({
      orderBy: { column: "n", direction: "DESC", nullOrder: "NULLS_FIRST", limit: 5n },
      sample: { percentage: 12.5, seed: null },
      rowLimit: null,
    });
  });

  test("sampling pushdown is advertised only when declared", () => {
    expect(probe().fn.describe(["main"]).samplingPushdown).toBeNull();
    expect(probe({ samplingPushdown: true }).fn.describe(["main"]).samplingPushdown).toBe(true);
  });
});
