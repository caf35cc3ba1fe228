import { describe, expect, it } from "vitest";
import { tableFromArrays } from "apache-arrow";
import { VgiError } from "@vgi-ts/protocol";
import { MemoryStorage, executionStorage } from "../src/index.js";

const EXEC = new Uint8Array([1, 2, 3, 4]);
const OTHER = new Uint8Array([9, 9]);

describe("MemoryStorage read limit", () => {
  it("pages through a log from a sequence number", () => {
    const storage = new MemoryStorage();
    for (const byte of [10, 11, 12, 13]) storage.append("log", EXEC, new Uint8Array([byte]));
    expect(storage.read("log", EXEC, 1, 2).map((e) => [e.seq, e.data[0]])).toEqual([
      [1, 11],
      [2, 12],
    ]);
    expect(storage.read("log", EXEC, 3, 5).map((e) => e.seq)).toEqual([3]);
    expect(storage.read("log", EXEC, 4, 1)).toEqual([]);
    expect(storage.read("log", EXEC, 0).length).toBe(4);
  });
});

describe("executionStorage", () => {
  it("stores record batches as IPC and reads them back in order, one execution only", async () => {
    const storage = new MemoryStorage();
    const bound = executionStorage(storage, EXEC);
    const first = tableFromArrays({ v: new Int32Array([1, 2, 3]) }).batches[0]!;
    const second = tableFromArrays({ v: new Int32Array([4]) }).batches[0]!;
    await bound.appendBatch("buf", first);
    await bound.appendBatch("buf", second);
    const all = await bound.readBatches("buf");
    expect(all.map(({ seq, batch }) => [seq, batch.numRows])).toEqual([
      [0, 3],
      [1, 1],
    ]);
    expect([...all[0]!.batch.getChild("v")!]).toEqual([1, 2, 3]);
    const next = await bound.readBatches("buf", 1, 1);
    expect([...next[0]!.batch.getChild("v")!]).toEqual([4]);
    expect(await executionStorage(storage, OTHER).readBatches("buf")).toEqual([]);
  });

  it("refuses the framework's own namespaces", async () => {
    const bound = executionStorage(new MemoryStorage(), EXEC);
    await expect(bound.append("vgi.buffering.init", new Uint8Array(1))).rejects.toThrow(VgiError);
    await expect(bound.read("vgi.anything")).rejects.toThrow(/reserved/);
  });
});
