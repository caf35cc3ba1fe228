/**
 * Keyed writes racing from two worker processes (two storage views over one log, each
 * with its own cached folds): the second writer's key check ran on a snapshot the first
 * writer's append made stale, so its conditional append is refused and it checks again.
 */
import { describe, expect, it } from "vitest";
import {
  Int64,
  Table,
  Utf8,
  tableFromArrays,
  vectorFromArray,
  type RecordBatch,
} from "apache-arrow";
import { ErrorKind, VgiError, sql } from "@vgi-ts/protocol";
import { MemoryStorage, TableStore, type SharedStorage } from "../src/index.js";
import { ROW_ID, writableTableSpec } from "../src/functions/writable-table-definition.js";
import { insertRows, updateRows } from "../src/functions/writable-table-writes.js";

const spec = writableTableSpec({
  name: "t",
  columns: { id: sql.bigint, name: sql.varchar },
  primaryKey: ["id"],
});

/**
 * A process's view of the shared log whose reads answer late, so both writers read
 * before either writes.
 */
function processView(memory: MemoryStorage): SharedStorage {
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    append: (ns, id, data) => memory.append(ns, id, data),
    appendAt: (ns, id, seq, data) => memory.appendAt(ns, id, seq, data),
    read: async (ns, id, from, limit) => {
      const entries = memory.read(ns, id, from, limit);
      await later(); // the answer may be stale by the time the reader sees it
      return entries;
    },
    nextSequence: (name, count) => memory.nextSequence(name, count),
    clear: (id) => memory.clear(id),
  };
}

function batch(ids: bigint[], names: string[]): RecordBatch {
  return new Table({
    id: vectorFromArray(ids, new Int64()),
    name: vectorFromArray(names, new Utf8()),
  }).batches[0]!;
}

async function liveRows(storage: SharedStorage, scope: Parameters<TableStore["rows"]>[0]) {
  const batches = await new TableStore(storage).rows(scope, "t", ROW_ID);
  return batches.flatMap((b) => b.toArray().map((row) => `${row.id}:${row.name}`));
}

describe.each([
  ["without a transaction", null],
  ["in one transaction (parallel streams of one statement)", new Uint8Array([9, 9])],
])("two processes insert the same new key %s", (_, transactionId) => {
  const scope = { attachId: new Uint8Array([1]), transactionId };

  it("one insert wins, the other fails with constraint_violation", async () => {
    const memory = new MemoryStorage();
    const results = await Promise.allSettled([
      insertRows(spec, scope, processView(memory), batch([7n], ["first"]), "throw"),
      insertRows(spec, scope, processView(memory), batch([7n], ["second"]), "throw"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failed] = results.filter((r) => r.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(VgiError);
    expect(((failed as PromiseRejectedResult).reason as VgiError).kind).toBe(
      ErrorKind.ConstraintViolation,
    );
    expect(await liveRows(memory, scope)).toHaveLength(1);
  });

  it("ON CONFLICT DO NOTHING keeps one row per key, and distinct keys all land", async () => {
    const memory = new MemoryStorage();
    const written = await Promise.all([
      insertRows(spec, scope, processView(memory), batch([1n, 2n], ["a", "b"]), "nothing"),
      insertRows(spec, scope, processView(memory), batch([2n, 3n], ["B", "c"]), "nothing"),
    ]);
    expect(written[0]!.numRows + written[1]!.numRows).toBe(3);
    const rows = await liveRows(memory, scope);
    expect(rows.map((row) => row.split(":")[0]).sort()).toEqual(["1", "2", "3"]);
  });
});

describe("an UPDATE that moves a key races an INSERT of that key", () => {
  it("only one of them gets the key", async () => {
    const memory = new MemoryStorage();
    const scope = { attachId: new Uint8Array([2]), transactionId: null };
    const [inserted] = [await insertRows(spec, scope, memory, batch([1n], ["one"]), "throw")];
    const rowId = inserted!.getChild(ROW_ID)!.get(0) as bigint;
    const update = tableFromArrays({
      id: BigInt64Array.from([5n]),
      [ROW_ID]: BigInt64Array.from([rowId]),
    }).batches[0]!;
    const results = await Promise.allSettled([
      updateRows(spec, scope, processView(memory), update),
      insertRows(spec, scope, processView(memory), batch([5n], ["five"]), "throw"),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const keys = (await liveRows(memory, scope)).map((row) => row.split(":")[0]);
    expect(keys.filter((k) => k === "5")).toHaveLength(1);
  });
});
