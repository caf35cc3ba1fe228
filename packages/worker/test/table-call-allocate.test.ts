/**
 * `ctx.allocate` in a table function's `produce`: output memory is reused for the next
 * batch only once the stream reports the previous one written, and comes back zeroed.
 */
import { describe, expect, test } from "vitest";
import { RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { tableFunction } from "@vgi-ts/worker";
import { bindCall, context, init } from "./table-call-builders.js";

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
