import { describe, expect, it } from "vitest";
import { MemoryStorage, TableStore, transactionScope } from "../src/index.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("transactionScope", () => {
  it("keeps values per transaction and key; the last set wins", async () => {
    const storage = new MemoryStorage();
    const one = transactionScope(storage, bytes(1)).storage;
    const two = transactionScope(storage, bytes(2)).storage;
    expect(await one.get("k")).toBeNull();
    await one.set("k", bytes(10));
    await one.set("other", bytes(20));
    await two.set("k", bytes(30));
    expect(await one.get("k")).toEqual(bytes(10));
    await one.set("k", bytes(11));
    expect(await one.get("k")).toEqual(bytes(11));
    expect(await one.get("other")).toEqual(bytes(20));
    expect(await two.get("k")).toEqual(bytes(30));
  });

  it("is dropped when the transaction ends, and only that transaction", async () => {
    const storage = new MemoryStorage();
    const one = transactionScope(storage, bytes(1)).storage;
    const two = transactionScope(storage, bytes(2)).storage;
    await one.set("k", bytes(1));
    await one.append("log", bytes(2));
    await two.set("k", bytes(3));
    await new TableStore(storage).rollback(bytes(1));
    expect(await one.get("k")).toBeNull();
    expect(await one.read("log")).toEqual([]);
    expect(await two.get("k")).toEqual(bytes(3));
  });

  it("refuses the framework's namespaces for logs", async () => {
    const scope = transactionScope(new MemoryStorage(), bytes(1));
    await expect(scope.storage.append("vgi.tables.tx", bytes(1))).rejects.toThrow(/reserved/);
  });
});
