/**
 * Table-in-out functions without the wire: the FunctionInfo they advertise, overload
 * matching, the INPUT exchange (pass-through moves the input's column data, projection
 * by name, checks on what a function returns, parent rows) and the FINALIZE phase
 * reading the INPUT phase's state back from shared storage.
 */
import { describe, expect, test } from "vitest";
import {
  DataType,
  Field,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import {
  BindRequestCodec,
  decodeSchema,
  encodeSchema,
  sql,
  type InitRequest,
  type TableInOutFunctionInitPhase,
} from "@vgi-ts/protocol";
import {
  CallContext,
  MemoryStorage,
  TABLE,
  TABLE_IN_OUT_STATE_NAMESPACE,
  TableInOutOutput,
  argumentsSchema,
  decodeBindCall,
  tableInOutFunction,
  type BindCall,
  type TableInOutDefinition,
} from "@vgi-ts/worker";
import { initRequest } from "./init-request.js";
import { argumentsStream } from "./support.js";

const INPUT = new Schema([
  new Field("id", new Int64(), true),
  new Field("label", new Utf8(), true),
]);

function bindCall(input: Schema, constants: readonly [string, Data][] = []): BindCall {
  const request = BindRequestCodec.decodeRow(
    BindRequestCodec.encode({
      functionName: "f",
      arguments: argumentsStream(constants),
      functionType: "TABLE",
      inputSchema: encodeSchema(input),
      resolvedSecretsProvided: false,
    }),
    0,
  );
  return decodeBindCall(request);
}

function inputBatch(ids: bigint[], labels: string[]): RecordBatch {
  const children = [
    vectorFromArray(ids, new Int64()).data[0]!,
    vectorFromArray(labels, new Utf8()).data[0]!,
  ];
  return new RecordBatch(
    INPUT,
    makeData({ type: new Struct(INPUT.fields), length: ids.length, children }),
  );
}

const data = { name: "data", type: TABLE } as const;
const ctx = () => new CallContext("init", undefined, "test");

async function openInput<S>(
  definition: TableInOutDefinition<S>,
  fields: Partial<InitRequest> = {},
) {
  const fn = tableInOutFunction(definition);
  const call = bindCall(INPUT);
  const output = decodeSchema(fn.bind(call).outputSchema, "output");
  const storage = new MemoryStorage();
  const stream = await fn.open(call, initRequest(call, output, fields), ctx(), storage);
  return { fn, call, output, stream, storage };
}

describe("what a table-in-out function advertises", () => {
  test("the TABLE argument is a null-typed field marked vgi_type=table", () => {
    const schema = argumentsSchema([{ name: "n", type: sql.bigint }, data]);
    expect(DataType.isNull(schema.fields[1]!.type)).toBe(true);
    expect(schema.fields[1]!.metadata.get("vgi_type")).toBe("table");
  });

  test("has_finalize and input_from_args follow the definition", () => {
    const plain = tableInOutFunction({ name: "p", arguments: [data] }).describe(["main"]);
    expect(plain.hasFinalize).toBe(false);
    expect(plain.inputFromArgs).toBe(false);
    const withFinalize = tableInOutFunction({
      name: "f",
      arguments: [data],
      finalize: () => [],
    }).describe(["main"]);
    expect(withFinalize.hasFinalize).toBe(true);
    const reused = tableInOutFunction({ name: "u", arguments: [data], reuseWorkers: true });
    expect(reused.describe(["main"]).hasFinalize).toBe(true);
    const rows = tableInOutFunction({
      name: "r",
      inputFromArgs: true,
      arguments: [
        { name: "xs", type: sql.double, varargs: true },
        { name: "flag", type: sql.boolean, named: true },
      ],
    }).describe(["main"]);
    expect(rows.inputFromArgs).toBe(true);
  });

  test("shapes DuckDB rejects are refused when the function is defined", () => {
    expect(() => tableInOutFunction({ name: "none", arguments: [] })).toThrow(/exactly one TABLE/);
    expect(() =>
      tableInOutFunction({ name: "two", arguments: [data, { ...data, name: "more" }] }),
    ).toThrow(/exactly one TABLE/);
    expect(() =>
      tableInOutFunction({ name: "row", inputFromArgs: true, arguments: [], reuseWorkers: true }),
    ).toThrow(/row transform cannot have finalize or reuseWorkers/);
    expect(() =>
      tableInOutFunction({
        name: "rt",
        inputFromArgs: true,
        arguments: [{ name: "x", type: sql.bigint }],
        finalize: () => [],
      }),
    ).toThrow(/cannot have finalize/);
  });

  test("a classic function matches only calls with a streamed table; row transforms by arity", () => {
    const classic = tableInOutFunction({ name: "c", arguments: [data] });
    expect(classic.matchScore(bindCall(INPUT))).not.toBeNull();
    const two = tableInOutFunction({
      name: "g",
      inputFromArgs: true,
      arguments: [
        { name: "a", type: sql.double },
        { name: "b", type: sql.double },
      ],
    });
    const doubles = (n: number) =>
      new Schema(
        Array.from({ length: n }, (_, i) => new Field(`c${i}`, sql.double.arrowType(), true)),
      );
    expect(two.matchScore(bindCall(doubles(2)))).toBe(4);
    expect(two.matchScore(bindCall(doubles(3)))).toBeNull();
  });
});

describe("two-phase bind", () => {
  test("secret lookups are asked for first; with the secrets resolved bind decides the output", () => {
    const fn = tableInOutFunction({
      name: "needs_secret",
      arguments: [data],
      secretLookups: () => [{ secretType: "vgi_example", scope: "s3://bucket/" }],
    });
    const first = fn.bind(bindCall(INPUT));
    expect(first.lookupSecretTypes).toEqual(["vgi_example"]);
    expect(first.lookupScopes).toEqual(["s3://bucket/"]);
    expect(decodeSchema(first.outputSchema, "output").fields).toEqual([]);
    const resolved = { ...bindCall(INPUT) };
    const second = fn.bind({
      ...resolved,
      request: { ...resolved.request, resolvedSecretsProvided: true },
    });
    expect(second.lookupSecretTypes).toEqual([]);
    expect(decodeSchema(second.outputSchema, "output").fields.map((f) => f.name)).toEqual([
      "id",
      "label",
    ]);
  });
});

describe("the INPUT exchange", () => {
  test("a pass-through hands back the input's own column data", async () => {
    const { stream } = await openInput({ name: "echo", arguments: [data] });
    const input = inputBatch([1n, 2n], ["a", "b"]);
    const output = await stream.turn(input, ctx());
    expect(output!.numRows).toBe(2);
    expect(output!.data.children[0]).toBe(input.data.children[0]);
    expect(output!.data.children[1]).toBe(input.data.children[1]);
  });

  test("with projection pushdown the output carries the projected columns, picked by name", async () => {
    const { stream } = await openInput(
      { name: "echo", arguments: [data], projectionPushdown: true },
      { projectionIds: [1n] },
    );
    expect(stream.outputSchema.fields.map((f) => f.name)).toEqual(["label"]);
    const input = inputBatch([1n], ["x"]);
    const output = await stream.turn(input, ctx());
    expect(output!.numCols).toBe(1);
    expect(output!.data.children[0]).toBe(input.data.children[1]);
  });

  test("null is an empty batch of the output schema; plain values are built", async () => {
    const { stream } = await openInput({
      name: "t",
      arguments: [data],
      columns: { n: sql.bigint },
      process: (input) => (input.numRows === 0 ? null : { n: [BigInt(input.numRows)] }),
    });
    const empty = await stream.turn(inputBatch([], []), ctx());
    expect(empty!.numRows).toBe(0);
    expect(empty!.schema.fields.map((f) => f.name)).toEqual(["n"]);
    const one = await stream.turn(inputBatch([5n, 6n, 7n], ["a", "b", "c"]), ctx());
    expect(one!.getChild("n")!.toArray()).toEqual(new BigInt64Array([3n]));
  });

  test("a missing column, a wrong type, uneven lengths and a thrown error are typed errors", async () => {
    const cases: [TableInOutDefinition<undefined>["process"], RegExp, string][] = [
      [() => ({ other: [1n] }), /produced no column 'n'/, "contract_violation"],
      [
        () => ({ n: vectorFromArray(["x"], new Utf8()) }),
        /produced Utf8 for column 'n'/,
        "type_mismatch",
      ],
      [
        () => ({ n: [1n], m: [1n, 2n] }),
        /column 'm' has 2 rows, column 'n' has 1/,
        "contract_violation",
      ],
      [
        () => {
          throw new TypeError("broken");
        },
        /TypeError: broken/,
        "function_error",
      ],
    ];
    for (const [process, message, kind] of cases) {
      const { stream } = await openInput({
        name: "bad",
        arguments: [data],
        columns: { n: sql.bigint, m: sql.bigint },
        process,
      });
      await expect(stream.turn(inputBatch([1n], ["a"]), ctx())).rejects.toMatchObject({
        kind,
        message: expect.stringMatching(message),
      });
    }
  });

  test("parent rows travel as base64 little-endian int32 in the batch metadata", async () => {
    const { stream } = await openInput({
      name: "fan",
      arguments: [data],
      columns: { k: sql.bigint },
      process: () => new TableInOutOutput({ k: [0n, 1n, 0n] }, [0, 0, 2]),
    });
    const output = await stream.turn(inputBatch([1n, 2n, 3n], ["a", "b", "c"]), ctx());
    const encoded = output!.metadata.get("vgi_rpc.parent_row#b64")!;
    const bytes = Buffer.from(encoded, "base64");
    expect([...new Int32Array(bytes.buffer, bytes.byteOffset, 3)]).toEqual([0, 0, 2]);

    const { stream: wrong } = await openInput({
      name: "fan",
      arguments: [data],
      columns: { k: sql.bigint },
      process: () => new TableInOutOutput({ k: [0n] }, [0, 1]),
    });
    await expect(wrong.turn(inputBatch([1n], ["a"]), ctx())).rejects.toThrow(
      /2 parent rows for 1 output rows/,
    );
  });
});

describe("the FINALIZE phase", () => {
  interface Count {
    rows: bigint;
  }
  const counting: TableInOutDefinition<Count> = {
    name: "count",
    arguments: [data],
    columns: { rows: sql.bigint },
    start: () => ({ rows: 0n }),
    process: (input, state) => {
      state.rows += BigInt(input.numRows);
      return null;
    },
    finalize: (states) => [{ rows: [states.reduce((n, s) => n + s.rows, 0n)] }],
  };

  async function finalize(
    storage: MemoryStorage,
    executionId: Uint8Array,
    phase: TableInOutFunctionInitPhase = "FINALIZE",
  ) {
    const fn = tableInOutFunction(counting);
    const call = bindCall(INPUT);
    const output = decodeSchema(fn.bind(call).outputSchema, "output");
    return fn.open(call, initRequest(call, output, { phase, executionId }), ctx(), storage);
  }

  test("the state left at the end of input comes back in finalize, then storage is cleared", async () => {
    const { stream, storage } = await openInput(counting, { phase: "INPUT" });
    await stream.turn(inputBatch([1n, 2n], ["a", "b"]), ctx());
    await stream.turn(inputBatch([3n], ["c"]), ctx());
    await stream.close!(ctx());
    const executionId = (stream.header!.getChild("execution_id")!.get(0) as Uint8Array).slice();
    expect(storage.read(TABLE_IN_OUT_STATE_NAMESPACE, executionId, 0)).toHaveLength(1);

    const finalizer = await finalize(storage, executionId);
    const batch = await finalizer.turn(
      new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: 0, children: [] })),
      ctx(),
    );
    expect(batch!.getChild("rows")!.toArray()).toEqual(new BigInt64Array([3n]));
    expect(await finalizer.turn(batch!, ctx())).toBeNull();
    expect(storage.read(TABLE_IN_OUT_STATE_NAMESPACE, executionId, 0)).toHaveLength(0);
  });

  test("reuseWorkers: INPUT leaves no state behind, FINALIZE ends at once with no rows", async () => {
    const reused: TableInOutDefinition<Count> = { ...counting, finalize: undefined };
    const { stream, storage, fn, call, output } = await openInput(
      { ...reused, process: (input) => ({ rows: [BigInt(input.numRows)] }), reuseWorkers: true },
      { phase: "INPUT" },
    );
    const batch = await stream.turn(inputBatch([1n, 2n], ["a", "b"]), ctx());
    expect(batch!.getChild("rows")!.toArray()).toEqual(new BigInt64Array([2n]));
    await stream.close!(ctx());
    const executionId = (stream.header!.getChild("execution_id")!.get(0) as Uint8Array).slice();
    expect(storage.read(TABLE_IN_OUT_STATE_NAMESPACE, executionId, 0)).toHaveLength(0);
    const finalizer = await fn.open(
      call,
      initRequest(call, output, { phase: "FINALIZE", executionId }),
      ctx(),
      storage,
    );
    expect(await finalizer.turn(batch!, ctx())).toBeNull();
  });

  test("a function without finalize refuses the FINALIZE phase; finalize needs the execution id", async () => {
    const fn = tableInOutFunction({ name: "echo", arguments: [data] });
    const call = bindCall(INPUT);
    expect(() =>
      fn.open(
        call,
        initRequest(call, INPUT, { phase: "FINALIZE", executionId: new Uint8Array(16) }),
        ctx(),
      ),
    ).toThrow(/has no finalize/);
    await expect(
      (async () => finalize(new MemoryStorage(), null as unknown as Uint8Array))(),
    ).rejects.toThrow(/needs the execution id/);
  });
});
