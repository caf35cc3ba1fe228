/**
 * Scan splits through a table function: `plan` seals each split the function describes,
 * `open` with a split token hands `start` that split (in a "process" that only shares
 * storage with the planner), and a token is refused by an init of another bind, another
 * projection or another transaction, or by a function that plans no splits.
 */
import { describe, expect, test } from "vitest";
import {
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import {
  BindRequestCodec,
  ErrorKind,
  TableFunctionPlanResultCodec,
  sql,
  type InitRequest,
  type TableFunctionPlanRequest,
} from "@vgi-ts/protocol";
import {
  CallContext,
  MemoryStorage,
  decodeBindCall,
  tableFunction,
  type BindCall,
  type SharedStorage,
  type TableFunctionDefinition,
} from "@vgi-ts/worker";
import { initRequest } from "./init-request.js";
import { argumentsStream } from "./support.js";

interface Range {
  readonly start: number;
  readonly stop: number;
}

function bindCall(count: bigint, transaction: Uint8Array | null = null): BindCall {
  const data: Data = vectorFromArray([count], new Int64()).data[0]!;
  const request = BindRequestCodec.decodeRow(
    BindRequestCodec.encode({
      functionName: "ranges",
      arguments: argumentsStream([["count", data]]),
      functionType: "TABLE",
      resolvedSecretsProvided: false,
      transactionOpaqueData: transaction,
      schemaPath: ["main"],
    }),
    0,
  );
  return decodeBindCall(request);
}

const OUTPUT = new Schema([
  new Field("n", new Int64(), true),
  new Field("part", new Int64(), true),
]);

function planRequest(call: BindCall, fields: Partial<TableFunctionPlanRequest> = {}) {
  return {
    bindCall: call.request,
    bindOpaqueData: null,
    projectionIds: null,
    pushdownFilters: null,
    joinKeys: null,
    rowLimit: null,
    targetSplitBytes: null,
    minSplits: 2n,
    maxSplitsPerResponse: null,
    cursor: null,
    refinedFilters: null,
    filtersComplete: true,
    startPosition: null,
    endPosition: null,
    orderByColumnName: null,
    orderByDirection: null,
    orderByNullOrder: null,
    orderByLimit: null,
    tablesamplePercentage: null,
    tablesampleSeed: null,
    ...fields,
  } as TableFunctionPlanRequest;
}

const init = (call: BindCall, fields: Partial<InitRequest> = {}): InitRequest =>
  initRequest(call, OUTPUT, fields);

/** `ranges(count)`: 0..count-1 in three splits; records what init and start saw. */
function rangesFunction(extra: Partial<TableFunctionDefinition<Range[]>> = {}) {
  const seen = { inits: 0, splits: [] as (readonly unknown[] | null)[] };
  const fn = tableFunction<Range[]>({
    name: "ranges",
    projectionPushdown: true,
    arguments: [{ name: "count", type: sql.bigint }],
    columns: { n: sql.bigint, part: sql.bigint },
    splits: {
      plan: ({ args }) => {
        const count = Number(args.count);
        return [0, 1, 2].map((i) => ({
          split: { start: Math.floor((count * i) / 3), stop: Math.floor((count * (i + 1)) / 3) },
          estimatedRows: Math.floor((count * (i + 1)) / 3) - Math.floor((count * i) / 3),
          rowsExact: true,
        }));
      },
    },
    init: () => {
      seen.inits++;
    },
    start: ({ args, splits }) => {
      seen.splits.push(splits);
      return splits === null
        ? [{ start: 0, stop: Number(args.count) }]
        : splits.map((s) => ({ ...(s as Range) }));
    },
    produce: (state, call) => {
      const range = state.shift();
      if (range === undefined) return null;
      const n = Array.from({ length: range.stop - range.start }, (_, i) => BigInt(range.start + i));
      const chunk: Record<string, bigint[]> = {};
      if (call.columns.includes("n")) chunk.n = n;
      if (call.columns.includes("part")) chunk.part = n.map(() => BigInt(range.start));
      return chunk;
    },
    ...extra,
  });
  return { fn, seen };
}

const ctx = () => new CallContext("init", undefined, "test");
const TICK = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: 0 }));

async function tokensOf(
  fn: ReturnType<typeof rangesFunction>["fn"],
  call: BindCall,
  storage: SharedStorage,
  fields: Partial<TableFunctionPlanRequest> = {},
): Promise<Uint8Array[]> {
  return (await wirePlan(fn, call, storage, fields)).splits.map((split) => split.token);
}

/** The plan result as DuckDB reads it: encoded, then decoded. */
async function wirePlan(
  fn: ReturnType<typeof rangesFunction>["fn"],
  call: BindCall,
  storage: SharedStorage,
  fields: Partial<TableFunctionPlanRequest> = {},
) {
  const result = await fn.plan(call, planRequest(call, fields), storage);
  return TableFunctionPlanResultCodec.decodeRow(TableFunctionPlanResultCodec.encode(result), 0);
}

async function readAll(
  fn: ReturnType<typeof rangesFunction>["fn"],
  call: BindCall,
  request: InitRequest,
  storage: SharedStorage,
): Promise<bigint[]> {
  const stream = await fn.open(call, request, ctx(), storage);
  const out: bigint[] = [];
  for (let batch = await stream.turn(TICK, ctx()); batch !== null;) {
    const column = batch.getChild("n");
    if (column !== null) out.push(...(column.toArray() as BigInt64Array));
    batch = await stream.turn(TICK, ctx());
  }
  return out;
}

describe("FunctionInfo", () => {
  test("supports_splits and the token lifetime are advertised only with splits", () => {
    const info = rangesFunction().fn.describe(["main"]);
    expect(info.supportsSplits).toBe(true);
    expect(info.splitTokenTtlSeconds).toBe(3600n);
    const forever = rangesFunction({ splits: { plan: () => [], ttlSeconds: null } });
    expect(forever.fn.describe(["main"]).splitTokenTtlSeconds).toBeNull();
    const plain = rangesFunction({ splits: undefined }).fn.describe(["main"]);
    expect(plain.supportsSplits).toBeFalsy();
    expect(() => rangesFunction({ splits: { plan: () => [], ttlSeconds: 0.5 } })).toThrow(
      "splits.ttlSeconds must be a positive whole number or null",
    );
  });
});

describe("plan, then one stream per split", () => {
  test("the plan describes every split; each token reads its split exactly once", async () => {
    const storage = new MemoryStorage();
    const planner = rangesFunction();
    const call = bindCall(10n);
    const result = await wirePlan(planner.fn, call, storage);
    expect(result.estimatedTotalSplits).toBe(3n);
    expect(result.estimatedTotalRows).toBe(10n);
    expect(result.scope).toBe("query");
    const splits = result.splits;
    expect(splits.map((s) => s.estimatedRows)).toEqual([3n, 3n, 4n]);
    expect(splits.map((s) => JSON.parse(new TextDecoder().decode(s.payload)) as Range)).toEqual([
      { start: 0, stop: 3 },
      { start: 3, stop: 6 },
      { start: 6, stop: 10 },
    ]);

    // Another "process": a fresh function object that only shares the storage.
    const reader = rangesFunction();
    const rows: bigint[][] = [];
    for (const split of splits) {
      rows.push(
        await readAll(reader.fn, call, init(call, { splitTokens: [split.token] }), storage),
      );
    }
    expect(rows).toEqual([
      [0n, 1n, 2n],
      [3n, 4n, 5n],
      [6n, 7n, 8n, 9n],
    ]);
    expect(reader.seen.splits).toEqual([
      [{ start: 0, stop: 3 }],
      [{ start: 3, stop: 6 }],
      [{ start: 6, stop: 10 }],
    ]);
    // Split streams replace init's work sharing: the init hook does not run.
    expect(reader.seen.inits).toBe(0);
  });

  test("several tokens in one init are read by one stream", async () => {
    const storage = new MemoryStorage();
    const { fn, seen } = rangesFunction();
    const call = bindCall(6n);
    const tokens = await tokensOf(fn, call, storage);
    expect(await readAll(fn, call, init(call, { splitTokens: tokens }), storage)).toEqual([
      0n,
      1n,
      2n,
      3n,
      4n,
      5n,
    ]);
    expect(seen.splits[0]).toHaveLength(3);
  });

  test("without tokens (split scans switched off) the stream reads everything", async () => {
    const storage = new MemoryStorage();
    const { fn, seen } = rangesFunction();
    const call = bindCall(4n);
    expect(await readAll(fn, call, init(call), storage)).toEqual([0n, 1n, 2n, 3n]);
    expect(seen.splits).toEqual([null]);
    expect(seen.inits).toBe(1);
  });
});

describe("a token is refused by another call", () => {
  test("a token from another bind (other arguments)", async () => {
    const storage = new MemoryStorage();
    const { fn } = rangesFunction();
    const [token] = await tokensOf(fn, bindCall(10n), storage);
    const other = bindCall(20n);
    await expect(
      fn.open(other, init(other, { splitTokens: [token!] }), ctx(), storage),
    ).rejects.toMatchObject({
      kind: ErrorKind.SplitTokenMismatch,
      message: expect.stringMatching(/planned for another call/) as unknown,
    });
  });

  test("a token planned for another projection", async () => {
    const storage = new MemoryStorage();
    const { fn } = rangesFunction();
    const call = bindCall(10n);
    const [token] = await tokensOf(fn, call, storage, { projectionIds: [0n] });
    await expect(
      fn.open(call, init(call, { splitTokens: [token!], projectionIds: [1n] }), ctx(), storage),
    ).rejects.toMatchObject({ kind: ErrorKind.SplitTokenMismatch });
    expect(
      await readAll(fn, call, init(call, { splitTokens: [token!], projectionIds: [0n] }), storage),
    ).toEqual([0n, 1n, 2n]);
  });

  test("a token planned in another transaction", async () => {
    const storage = new MemoryStorage();
    const { fn } = rangesFunction();
    const [token] = await tokensOf(fn, bindCall(10n, Uint8Array.of(1)), storage);
    const later = bindCall(10n, Uint8Array.of(2));
    await expect(
      fn.open(later, init(later, { splitTokens: [token!] }), ctx(), storage),
    ).rejects.toMatchObject({ kind: ErrorKind.SplitTokenTransaction });
  });

  test("a token sealed under another storage's key (another deployment)", async () => {
    const { fn } = rangesFunction();
    const call = bindCall(10n);
    const [token] = await tokensOf(fn, call, new MemoryStorage());
    await expect(
      fn.open(call, init(call, { splitTokens: [token!] }), ctx(), new MemoryStorage()),
    ).rejects.toMatchObject({ kind: ErrorKind.SplitTokenInvalid });
  });

  test("a function without splits refuses to plan and refuses tokens", async () => {
    const storage = new MemoryStorage();
    const { fn } = rangesFunction({ splits: undefined });
    const call = bindCall(10n);
    await expect(fn.plan(call, planRequest(call), storage)).rejects.toMatchObject({
      kind: ErrorKind.InvalidArgument,
    });
    const [token] = await tokensOf(rangesFunction().fn, call, storage);
    await expect(
      fn.open(call, init(call, { splitTokens: [token!] }), ctx(), storage),
    ).rejects.toMatchObject({ kind: ErrorKind.MalformedRequest });
  });
});
