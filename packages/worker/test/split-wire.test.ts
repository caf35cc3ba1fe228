/**
 * Scan splits over the wire: `table_function_plan` answers with sealed split tokens, and
 * an `init` presenting a token from another bind is refused with a typed error (the
 * extension then fails the query); the same token under its own bind opens the stream.
 */
import { afterEach, describe, expect, test } from "vitest";
import { Int64, vectorFromArray } from "apache-arrow";
import { defineCatalog } from "@vgi-ts/catalog";
import {
  BindResultCodec,
  ErrorKind,
  GlobalInitResponseCodec,
  InitParamsCodec,
  TableFunctionPlanParamsCodec,
  TableFunctionPlanResultCodec,
  sql,
  type BindRequestInput,
} from "@vgi-ts/protocol";
import { tableFunction } from "@vgi-ts/worker";
import { startConnection, type Harness } from "./harness.js";
import { argumentsStream, requestBytes, unwrapResult } from "./support.js";

const ranges = tableFunction<{ start: number; stop: number }[]>({
  name: "ranges",
  arguments: [{ name: "count", type: sql.bigint }],
  columns: { n: sql.bigint },
  splits: {
    plan: ({ args }) => [
      { split: { start: 0, stop: Number(args.count) / 2 } },
      { split: { start: Number(args.count) / 2, stop: Number(args.count) } },
    ],
  },
  start: ({ splits }) => (splits ?? []).map((s) => ({ ...(s as { start: number; stop: number }) })),
  produce: () => null,
});

function bindRequest(attach: Uint8Array, count: bigint): BindRequestInput {
  const value = vectorFromArray([count], new Int64()).data[0]!;
  return {
    functionName: "ranges",
    arguments: argumentsStream([["count", value]]),
    functionType: "TABLE",
    attachOpaqueData: attach,
    resolvedSecretsProvided: false,
    schemaPath: ["main"],
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  harness?.close();
  await harness?.served;
  harness = undefined;
});

describe("split tokens over the wire", () => {
  test("plan, then init: another bind's token is refused, its own bind's is read", async () => {
    harness = startConnection([
      defineCatalog({ name: "splits", schemas: [{ path: "main", functions: [ranges] }] }),
    ]);
    const { client } = harness;
    const attach = await client.attach("splits");
    const planned = bindRequest(attach, 10n);
    const plan = await client.call(
      requestBytes(
        TableFunctionPlanParamsCodec.encode({
          request: { bindCall: planned, minSplits: 2n, filtersComplete: true },
        }),
        "table_function_plan",
      ),
    );
    expect(plan.error).toBeUndefined();
    const { result } = unwrapResult(plan, TableFunctionPlanResultCodec);
    expect(result.splits).toHaveLength(2);
    const token = result.splits[1]!.token;

    const bound = await client.bind(planned);
    const { outputSchema } = unwrapResult(bound, BindResultCodec).result as {
      outputSchema: Uint8Array;
    };
    const init = (bindCall: BindRequestInput) =>
      client.call(
        requestBytes(
          InitParamsCodec.encode({ request: { bindCall, outputSchema, splitTokens: [token] } }),
          "init",
        ),
      );

    const refused = await init(bindRequest(attach, 20n));
    expect(refused.error?.kind).toBe(ErrorKind.SplitTokenMismatch);
    expect(refused.error?.message).toMatch(/planned for another call/);
    expect(harness.errors).toContainEqual({ kind: ErrorKind.SplitTokenMismatch, method: "init" });

    const opened = await init(planned);
    expect(opened.error).toBeUndefined();
    const header = GlobalInitResponseCodec.decodeRow(opened.data[0]!, 0);
    expect(header.executionId.byteLength).toBe(16);
  });
});
