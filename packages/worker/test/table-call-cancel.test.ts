/**
 * Cancelling a table-function stream: `onCancel` runs once with the stream's state and
 * never after the end; a throwing `onCancel` becomes a function error.
 */
import { describe, expect, test } from "vitest";
import { RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { tableFunction } from "@vgi-ts/worker";
import { bindCall, context, init } from "./table-call-builders.js";

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
