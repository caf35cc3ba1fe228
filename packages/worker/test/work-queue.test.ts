import { describe, expect, test } from "vitest";
import {
  MemoryStorage,
  WorkQueue,
  packItems,
  unpackItems,
  type SharedStorage,
} from "../src/index.js";

const EXEC = Uint8Array.from([1, 2, 3]);
const item = (n: number) => Uint8Array.from([n, n + 1]);

describe("work queue items", () => {
  test("pack and unpack round-trip, empty items included", () => {
    const items = [item(1), new Uint8Array(0), item(200)];
    expect(unpackItems(packItems(items))).toEqual(items);
    expect(unpackItems(packItems([]))).toEqual([]);
  });

  test("truncated bytes are a typed error, not a crash", () => {
    const packed = packItems([item(1), item(2)]);
    for (let cut = 0; cut < packed.byteLength; cut++) {
      expect(() => unpackItems(packed.subarray(0, cut))).toThrow(/truncated/);
    }
  });
});

describe("WorkQueue", () => {
  test("every item goes to exactly one of several queues, then all see the end", async () => {
    const storage = new MemoryStorage();
    const primary = new WorkQueue(storage, EXEC);
    await primary.push([item(10), item(20), item(30), item(40), item(50)]);
    // Secondaries are separate objects (other streams, other processes) on the same log.
    const queues = [primary, new WorkQueue(storage, EXEC), new WorkQueue(storage, EXEC)];
    const taken: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const queue of queues) {
        const next = await queue.pop();
        if (next !== null) taken.push(next[0]!);
      }
    }
    expect(taken.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50]);
    for (const queue of queues) expect(await queue.pop()).toBeNull();
  });

  test("interleaved claims from concurrent pops never hand out an item twice", async () => {
    // An async storage whose appends land in a different order than the pops started.
    const memory = new MemoryStorage();
    const storage: SharedStorage = {
      append: async (ns, id, data) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        memory.append(ns, id, data);
      },
      appendAt: (ns, id, seq, data) => memory.appendAt(ns, id, seq, data),
      read: async (ns, id, from) => memory.read(ns, id, from),
      nextSequence: (name, count) => memory.nextSequence(name, count),
      clear: (id) => memory.clear(id),
    };
    const items = Array.from({ length: 40 }, (_, i) => item(i));
    await new WorkQueue(storage, EXEC).push(items);
    const queues = Array.from({ length: 4 }, () => new WorkQueue(storage, EXEC));
    const drain = async (queue: WorkQueue) => {
      const got: number[] = [];
      for (let next = await queue.pop(); next !== null; next = await queue.pop())
        got.push(next[0]!);
      return got;
    };
    const all = (await Promise.all(queues.map(drain))).flat().sort((a, b) => a - b);
    expect(all).toEqual(items.map((bytes) => bytes[0]));
  });

  test("an empty push ends every stream at once", async () => {
    const storage = new MemoryStorage();
    await new WorkQueue(storage, EXEC).push([]);
    expect(await new WorkQueue(storage, EXEC).pop()).toBeNull();
  });

  test("popping before any push says what is wrong", async () => {
    await expect(new WorkQueue(new MemoryStorage(), EXEC).pop()).rejects.toThrow(
      /primary stream's init pushed no items/,
    );
  });

  test("a second push is refused", async () => {
    const storage = new MemoryStorage();
    await new WorkQueue(storage, EXEC).push([item(1)]);
    await expect(new WorkQueue(storage, EXEC).push([item(2)])).rejects.toThrow(/already pushed/);
  });
});
