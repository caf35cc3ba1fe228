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
  GlobalInitResponseCodec,
  decodeSingleBatch,
  encodeStream,
  sql,
  type InitRequest,
} from "@vgi-ts/protocol";
import {
  CallContext,
  MemoryStorage,
  decodeBindCall,
  tableFunction,
  type BindCall,
  type TableCall,
  type TableFunctionDefinition,
} from "@vgi-ts/worker";
import { initRequest } from "./init-request.js";

/** A BindCall decoded from a real BindRequest whose arguments are these one-row columns. */
function bindCall(
  args: readonly [name: string, data: Data][],
  at: { atUnit: string; atValue: string } | null = null,
): BindCall {
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
      ...at,
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

const OUTPUT_N = new Schema([new Field("n", new Int64(), true)]);
const init = (call: BindCall, fields: Partial<InitRequest> = {}): InitRequest =>
  initRequest(call, OUTPUT_N, fields);

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
    await fn.open(call, init(call), context());
    const [arg] = seen[0]!.argumentColumns;
    expect(seen[0]!.argumentColumns).toHaveLength(1);
    expect(String(arg!.field.type)).toBe(String(union.arrowType()));
    expect(union.read(arg!.column, 0)).toEqual({ tag: "s", value: "x" });
  });

  test("the AT clause of the bind reaches start (unit upper-cased); none without one", async () => {
    const { fn, seen } = probe();
    const count: [string, Data][] = [["count", value(3n, new Int64())]];
    const at = bindCall(count, { atUnit: "timestamp", atValue: "2021-01-01 00:00:00" });
    await fn.open(at, init(at), context());
    expect(seen[0]!.at).toEqual({ unit: "TIMESTAMP", value: "2021-01-01 00:00:00" });
    const plain = bindCall(count);
    await fn.open(plain, init(plain), context());
    expect(seen[1]!.at).toBeNull();
    // Half a clause is a malformed bind, refused as the user's error.
    expect(() => bindCall(count, { atUnit: "VERSION", atValue: "" })).toThrow(
      "AT needs both a unit and a value",
    );
  });

  test("no hints without them; the ORDER BY and TABLESAMPLE hints of the init request", async () => {
    const { fn, seen } = probe();
    const call = bindCall([["count", value(3n, new Int64())]]);
    await fn.open(call, init(call), context());
    expect(seen[0]!.pushdown).toEqual({ orderBy: null, sample: null, rowLimit: null });
    await fn.open(
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

describe("executions: primary and secondary streams", () => {
  const header = (stream: { header: RecordBatch | null }) =>
    GlobalInitResponseCodec.decodeRow(stream.header!, 0);

  test("the primary gets a new execution id and runs init; a secondary joins it", async () => {
    const inits: Uint8Array[] = [];
    const { fn, seen } = probe({
      maxWorkers: 8,
      init: (call) => {
        inits.push(call.execution!.id);
      },
    });
    const storage = new MemoryStorage();
    const call = bindCall([["count", value(3n, new Int64())]]);
    const primary = await fn.open(call, init(call), context(), storage);
    const id = header(primary).executionId;
    expect(id.byteLength).toBe(16);
    expect(header(primary).maxWorkers).toBe(8n);
    expect(inits).toEqual([id]);
    expect(seen[0]!.execution).toMatchObject({ id, isPrimary: true, storage });

    const secondary = await fn.open(
      call,
      init(call, { executionId: id, initOpaqueData: Uint8Array.of(7) }),
      context(),
      storage,
    );
    expect(inits).toHaveLength(1);
    expect(header(secondary)).toMatchObject({ executionId: id, opaqueData: Uint8Array.of(7) });
    expect(seen[1]!.execution).toMatchObject({ id, isPrimary: false });
  });

  test("one stream unless the function declares more", async () => {
    const { fn } = probe();
    const call = bindCall([["count", value(3n, new Int64())]]);
    expect(header(await fn.open(call, init(call), context())).maxWorkers).toBe(1n);
    expect(fn.describe(["main"])).toMatchObject({ supportsBatchIndex: false, maxWorkers: null });
  });

  test("parallelism, order preservation and batch indexes are advertised as declared", () => {
    const { fn } = probe({
      maxWorkers: 4,
      orderPreservation: "FIXED_ORDER",
      supportsBatchIndex: true,
    });
    expect(fn.describe(["main"])).toMatchObject({
      maxWorkers: 4,
      orderPreservation: "FIXED_ORDER",
      supportsBatchIndex: true,
    });
  });

  test("a throwing init fails the open with the function's message", async () => {
    const { fn } = probe({
      init: () => {
        throw new Error("no upstream");
      },
    });
    const call = bindCall([["count", value(3n, new Int64())]]);
    await expect(fn.open(call, init(call), context())).rejects.toThrow("no upstream");
  });
});

describe("cancellation", () => {
  test("cancel runs onCancel once with the stream's state, never after the end", async () => {
    const cancelled: number[] = [];
    const fn = tableFunction<{ produced: number }>({
      name: "counting",
      arguments: [],
      columns: { n: sql.bigint },
      start: () => ({ produced: 0 }),
      produce: (state) => (state.produced++ < 2 ? { n: [1n] } : null),
      onCancel: (state) => {
        cancelled.push(state.produced);
      },
    });
    const call = bindCall([]);
    const tick = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: 0 }));
    const ctx = context();
    const stream = await fn.open(call, init(call), ctx);
    await stream.turn(tick, ctx);
    await stream.cancel!(ctx);
    await stream.cancel!(ctx);
    expect(cancelled).toEqual([1]);

    const finished = await fn.open(call, init(call), ctx);
    while ((await finished.turn(tick, ctx)) !== null) {
      /* drain */
    }
    await finished.cancel!(ctx);
    expect(cancelled).toEqual([1]);
  });

  test("a throwing onCancel is a function error (the connection swallows it)", async () => {
    const fn = tableFunction<null>({
      name: "bad_cancel",
      arguments: [],
      columns: { n: sql.bigint },
      start: () => null,
      produce: () => ({ n: [1n] }),
      onCancel: () => {
        throw new TypeError("boom");
      },
    });
    const call = bindCall([]);
    const stream = await fn.open(call, init(call), context());
    await expect(Promise.resolve(stream.cancel!(context()))).rejects.toMatchObject({
      kind: "function_error",
      message: "TypeError: boom",
    });
  });
});

describe("statistics", () => {
  test("computed from the bound arguments and encoded as a statistics batch", () => {
    const { fn } = probe({
      statistics: ({ args }) => [
        {
          column: "n",
          type: sql.bigint,
          min: 0n,
          max: BigInt(args.count as bigint) - 1n,
          hasNull: false,
          distinctCount: args.count as bigint,
        },
      ],
    });
    const bytes = fn.statistics(bindCall([["count", value(7n, new Int64())]]));
    const batch = decodeSingleBatch(bytes!);
    expect(batch.getChild("column_name")!.get(0)).toBe("n");
    expect(batch.getChild("max")!.get(0)).toBe(6n);
    expect(batch.getChild("has_null")!.get(0)).toBe(false);
    expect(batch.getChild("distinct_count")!.get(0)).toBe(7n);
  });

  test("none declared, or null returned: no statistics (not an error)", () => {
    const call = bindCall([["count", value(7n, new Int64())]]);
    expect(probe().fn.statistics(call)).toBeNull();
    expect(probe({ statistics: () => null }).fn.statistics(call)).toBeNull();
  });
});

describe("dynamicToString", () => {
  test("reads what the execution's streams left in shared storage; none declared: no keys", async () => {
    const storage = new MemoryStorage();
    const executionId = new Uint8Array([7, 7]);
    await storage.append("probe.stats", executionId, new Uint8Array([3]));
    await storage.append("probe.stats", executionId, new Uint8Array([4]));
    const { fn } = probe({
      dynamicToString: async ({ id, storage: shared }) => {
        const entries = await shared.read("probe.stats", id, 0);
        return {
          streams: String(entries.length),
          total: String(entries.reduce((s, e) => s + e.data[0]!, 0)),
        };
      },
    });
    const call = bindCall([["count", value(1n, new Int64())]]);
    expect(await fn.dynamicToString(call, executionId, storage)).toEqual({
      streams: "2",
      total: "7",
    });
    expect(await probe().fn.dynamicToString(call, executionId, storage)).toEqual({});
  });
});

describe("declared choices are enforced at bind", () => {
  test("a value outside the choices is InvalidArgument; a listed value or the default passes", () => {
    const { fn } = probe({
      arguments: [
        { name: "count", type: sql.bigint },
        { name: "mode", type: sql.varchar, named: true, default: "a", choices: ["a", "b"] },
      ],
    });
    const count = ["count", value(1n, new Int64())] as [string, Data];
    expect(() => fn.bind(bindCall([count]))).not.toThrow();
    const call = bindCall([count]);
    // As if DuckDB had sent the named value.
    const named = call.named as Map<string, unknown>;
    named.set("mode", "c");
    expect(() => fn.bind(call)).toThrow(/must be one of the allowed choices: a, b/);
    named.set("mode", "b");
    expect(() => fn.bind(call)).not.toThrow();
  });
});

describe("ctx.allocate: output memory reused once written", () => {
  /** Batches of `size` rows numbered from 1, each in memory from ctx.allocate. */
  const numbered = (size: number) =>
    tableFunction<{ next: number }>({
      name: "numbered",
      arguments: [],
      columns: { n: sql.bigint },
      start: () => ({ next: 1 }),
      produce: (state, _call, ctx) => {
        if (state.next > 3 * size) return null;
        const out = ctx.allocate(BigInt64Array, size);
        // Only some rows are set: the rest must read as the zeros of a fresh array.
        for (let i = 0; i < size; i += 2) out[i] = BigInt(state.next + i);
        state.next += size;
        return { n: out };
      },
    });
  const tick = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: 0 }));
  const values = (batch: RecordBatch | null) => Array.from(batch!.getChildAt(0)!.toArray());

  test("without a written report every batch keeps its own memory and values", async () => {
    const call = bindCall([]);
    const ctx = context();
    const stream = await numbered(4).open(call, init(call), ctx);
    const batches = [await stream.turn(tick, ctx), await stream.turn(tick, ctx)];
    expect(batches.map(values)).toEqual([
      [1n, 0n, 3n, 0n],
      [5n, 0n, 7n, 0n],
    ]);
    const memory = batches.map((b) => b!.getChildAt(0)!.data[0]!.values.buffer);
    expect(memory[0]).not.toBe(memory[1]);
  });

  test("after written() the next batch reuses that memory, zeroed again", async () => {
    const call = bindCall([]);
    const ctx = context();
    const stream = await numbered(4).open(call, init(call), ctx);
    const first = await stream.turn(tick, ctx);
    const memory = first!.getChildAt(0)!.data[0]!.values.buffer;
    // Dirty the odd rows: a reused buffer must not show them.
    (first!.getChildAt(0)!.data[0]!.values as BigInt64Array).fill(-1n);
    stream.written!();
    const second = await stream.turn(tick, ctx);
    expect(second!.getChildAt(0)!.data[0]!.values.buffer).toBe(memory);
    expect(values(second)).toEqual([5n, 0n, 7n, 0n]);
    // Not reported written: the third batch gets other memory.
    const third = await stream.turn(tick, ctx);
    expect(third!.getChildAt(0)!.data[0]!.values.buffer).not.toBe(memory);
    expect(values(second)).toEqual([5n, 0n, 7n, 0n]);
    expect(values(third)).toEqual([9n, 0n, 11n, 0n]);
  });
});
