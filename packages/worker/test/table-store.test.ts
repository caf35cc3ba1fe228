import { describe, expect, it } from "vitest";
import { tableFromArrays, type RecordBatch } from "apache-arrow";
import { MemoryStorage, TableStore, decodeWriteOptions, type SharedStorage } from "../src/index.js";
import { encodeBatch } from "@vgi-ts/protocol";

const ATTACH = new Uint8Array([1, 1]);
const OTHER_ATTACH = new Uint8Array([2, 2]);
const TX = new Uint8Array([7, 7, 7]);

function put(ids: bigint[], names: string[]): RecordBatch {
  return tableFromArrays({ name: names, rowid: BigInt64Array.from(ids) }).batches[0]!;
}

function ids(only: bigint[]): RecordBatch {
  return tableFromArrays({ rowid: BigInt64Array.from(only) }).batches[0]!;
}

async function names(store: TableStore, scope: Parameters<TableStore["rows"]>[0]) {
  const batches = await store.rows(scope, "t", "rowid");
  return batches.flatMap((b) => b.toArray().map((row) => String(row.name)));
}

describe("TableStore", () => {
  it("folds puts and deletes in row id order; an updated row keeps its place", async () => {
    const store = new TableStore(new MemoryStorage());
    const scope = { attachId: ATTACH, transactionId: null };
    await store.write(scope, [
      { kind: "put", table: "t", rows: put([1n, 2n, 3n], ["a", "b", "c"]) },
    ]);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([1n], ["A"]) }]);
    await store.write(scope, [{ kind: "delete", table: "t", rows: ids([2n]) }]);
    await store.write(scope, [{ kind: "put", table: "u", rows: put([9n], ["other table"]) }]);
    expect(await names(store, scope)).toEqual(["A", "c"]);
    expect(await names(store, { attachId: OTHER_ATTACH, transactionId: null })).toEqual([]);
  });

  it("stages a transaction's writes: seen by it alone until commit, dropped by rollback", async () => {
    const storage = new MemoryStorage();
    const store = new TableStore(storage);
    const committed = { attachId: ATTACH, transactionId: null };
    const inTx = { attachId: ATTACH, transactionId: TX };
    await store.write(committed, [{ kind: "put", table: "t", rows: put([1n], ["base"]) }]);
    await store.write(inTx, [{ kind: "put", table: "t", rows: put([2n], ["mine"]) }]);
    await store.write(inTx, [{ kind: "delete", table: "t", rows: ids([1n]) }]);
    expect(await names(store, inTx)).toEqual(["mine"]);
    expect(await names(store, committed)).toEqual(["base"]);

    await store.rollback(TX);
    expect(await names(store, inTx)).toEqual(["base"]);

    await store.write(inTx, [{ kind: "put", table: "t", rows: put([3n], ["kept"]) }]);
    await store.write(inTx, [{ kind: "put", table: "t", rows: put([4n], ["also"]) }]);
    await store.commit(ATTACH, TX);
    expect(await names(store, committed)).toEqual(["base", "kept", "also"]);
    // One committed entry per commit: applied whole or not at all.
    expect(storage.read("vgi.tables", ATTACH, 0)).toHaveLength(2);
    expect(storage.read("vgi.tables.tx", TX, 0)).toHaveLength(0);
  });

  it("keeps its fold between calls and catches up on what another process wrote", async () => {
    const memory = new MemoryStorage();
    // Two storage objects over one log: two processes, each with its own cached folds.
    const view = (): SharedStorage => ({
      append: (ns, id, data) => memory.append(ns, id, data),
      appendAt: (ns, id, seq, data) => memory.appendAt(ns, id, seq, data),
      read: (ns, id, from, limit) => memory.read(ns, id, from, limit),
      nextSequence: (name, count) => memory.nextSequence(name, count),
      clear: (id) => memory.clear(id),
    });
    const mine = new TableStore(view());
    const theirs = new TableStore(view());
    const scope = { attachId: ATTACH, transactionId: null };
    await mine.write(scope, [{ kind: "put", table: "t", rows: put([1n, 2n], ["a", "b"]) }]);
    expect(await names(mine, scope)).toEqual(["a", "b"]);
    await theirs.write(scope, [{ kind: "put", table: "t", rows: put([2n], ["B"]) }]);
    await theirs.write(scope, [{ kind: "delete", table: "t", rows: ids([1n]) }]);
    expect(await names(mine, scope)).toEqual(["B"]);
    expect(await names(theirs, scope)).toEqual(["B"]);
  });

  it("folds again from the start when the log was dropped and written anew", async () => {
    const storage = new MemoryStorage();
    const store = new TableStore(storage);
    const scope = { attachId: ATTACH, transactionId: null };
    await store.write(scope, [{ kind: "put", table: "t", rows: put([1n], ["old"]) }]);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([2n], ["older"]) }]);
    expect(await names(store, scope)).toEqual(["old", "older"]);
    // Expiry drops the log; new writes start it again at seq 0, past the fold's position.
    storage.clear(ATTACH);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([5n], ["new"]) }]);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([6n], ["newer"]) }]);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([7n], ["newest"]) }]);
    expect(await names(store, scope)).toEqual(["new", "newer", "newest"]);
  });

  it("finds rows by id and by key through the committed rows and a transaction's", async () => {
    const storage = new MemoryStorage();
    const store = new TableStore(storage);
    const committed = { attachId: ATTACH, transactionId: null };
    const inTx = { attachId: ATTACH, transactionId: TX };
    const byName = (batch: RecordBatch) => batch.toArray().map((row) => String(row.name));
    await store.write(committed, [
      { kind: "put", table: "t", rows: put([1n, 2n, 3n], ["a", "b", "c"]) },
    ]);
    let tx = await store.snapshot(inTx, "t", "rowid", byName);
    expect(tx.keyOwner("b")).toBe(2n);
    expect(tx.locate(3n)?.row).toBe(2);
    // In the transaction: rename 2 to "z", delete 3, add 4 "c".
    await store.write(inTx, [{ kind: "put", table: "t", rows: put([2n], ["z"]) }]);
    await store.write(inTx, [{ kind: "delete", table: "t", rows: ids([3n]) }]);
    await store.write(inTx, [{ kind: "put", table: "t", rows: put([4n], ["c"]) }]);
    tx = await store.snapshot(inTx, "t", "rowid", byName);
    expect(tx.keyOwner("b")).toBeUndefined();
    expect(tx.keyOwner("z")).toBe(2n);
    expect(tx.keyOwner("c")).toBe(4n);
    expect(tx.keyOwner("a")).toBe(1n);
    expect(tx.locate(3n)).toBeNull();
    expect(tx.locate(2n)!.batch.getChild("name")!.get(tx.locate(2n)!.row)).toBe("z");
    // Outside the transaction nothing moved.
    const outside = await store.snapshot(committed, "t", "rowid", byName);
    expect(outside.keyOwner("b")).toBe(2n);
    expect(outside.keyOwner("c")).toBe(3n);
    expect(outside.locate(4n)).toBeNull();
    await store.commit(ATTACH, TX);
    const after = await store.snapshot(committed, "t", "rowid", byName);
    expect(after.keyOwner("c")).toBe(4n);
    expect(after.keyOwner("b")).toBeUndefined();
    expect(await names(store, committed)).toEqual(["a", "z", "c"]);
  });

  it("handles row ids beyond 2^53 and negative ones, in id order", async () => {
    const store = new TableStore(new MemoryStorage());
    const scope = { attachId: ATTACH, transactionId: TX };
    const big = 2n ** 60n;
    await store.write(scope, [
      {
        kind: "put",
        table: "t",
        rows: put([big + 1n, -5n, 7n, big], ["b1", "neg", "seven", "b0"]),
      },
    ]);
    await store.write(scope, [{ kind: "delete", table: "t", rows: ids([big + 1n]) }]);
    await store.write(scope, [{ kind: "put", table: "t", rows: put([big], ["B0"]) }]);
    expect(await names(store, scope)).toEqual(["neg", "seven", "B0"]);
    const snapshot = await store.snapshot(scope, "t", "rowid");
    expect(snapshot.locate(big + 1n)).toBeNull();
    expect(snapshot.locate(-5n)?.row).toBe(1);
    expect(snapshot.locate(2n ** 53n)).toBeNull();
  });

  it("refuses a log entry it cannot read", async () => {
    const storage = new MemoryStorage();
    storage.append("vgi.tables", ATTACH, new Uint8Array([200, 0, 0, 0, 1]));
    await expect(
      new TableStore(storage).rows({ attachId: ATTACH, transactionId: null }, "t", "rowid"),
    ).rejects.toThrow(/truncated/);
  });
});

describe("decodeWriteOptions", () => {
  it("reads result_mode and on_conflict; refuses unknown values", () => {
    const options = (mode: string, conflict = "throw") =>
      encodeBatch(tableFromArrays({ result_mode: [mode], on_conflict: [conflict] }).batches[0]!);
    expect(decodeWriteOptions(options("rows"))).toMatchObject({ returnRows: true });
    expect(decodeWriteOptions(options("count", "nothing"))).toMatchObject({
      returnRows: false,
      onConflict: "nothing",
    });
    expect(decodeWriteOptions(null)).toMatchObject({ returnRows: false, onConflict: "throw" });
    expect(() => decodeWriteOptions(options("everything"))).toThrow(/result_mode/);
    expect(() => decodeWriteOptions(options("rows", "update"))).toThrow(/on_conflict/);
    expect(() => decodeWriteOptions("rows")).toThrow(/BLOB/);
  });
});
