import { describe, expect, it } from "vitest";
import { tableFromArrays, type RecordBatch } from "apache-arrow";
import { MemoryStorage, TableStore, decodeWriteOptions } from "../src/index.js";
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
