/**
 * SqliteStorage on one file in one process: the append log (order, copies, namespaces,
 * clearing), sharing the file between instances, expiry of idle executions, sequences,
 * and how it fails (closed, bad options, a foreign schema version).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStorage } from "@vgi-ts/worker";
import { EXEC_A, EXEC_B, bytes, text, useScratch } from "./scratch.js";

const scratch = useScratch();

describe("SqliteStorage", () => {
  test("round trip", () => {
    const s = scratch.storage();
    s.append("agg", EXEC_A, bytes("hello"));
    const entries = s.read("agg", EXEC_A, 0);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.seq).toBe(0);
    expect(entries[0]?.data).toBeInstanceOf(Uint8Array);
    expect(text(entries[0]!.data)).toBe("hello");
    expect(s.read("agg", EXEC_B, 0)).toEqual([]);
    expect(s.read("other", EXEC_A, 0)).toEqual([]);
  });

  test("entries come back in append order with seq 0, 1, 2, …", () => {
    const s = scratch.storage();
    for (let i = 0; i < 50; i++) s.append("agg", EXEC_A, bytes(`entry ${i}`));
    const entries = s.read("agg", EXEC_A, 0);
    expect(entries.map((e) => e.seq)).toEqual([...Array(50).keys()]);
    expect(entries.map((e) => text(e.data))).toEqual(
      [...Array(50).keys()].map((i) => `entry ${i}`),
    );
  });

  test("appendAt appends only at the log's next position (sqlite and memory alike)", () => {
    for (const s of [scratch.storage(), new MemoryStorage()]) {
      expect(s.appendAt("log", EXEC_A, 1, bytes("gap"))).toBe(false);
      expect(s.appendAt("log", EXEC_A, 0, bytes("first"))).toBe(true);
      // A writer that read the log when it was empty lost the race.
      expect(s.appendAt("log", EXEC_A, 0, bytes("stale"))).toBe(false);
      s.append("log", EXEC_A, bytes("second"));
      expect(s.appendAt("log", EXEC_A, 1, bytes("stale"))).toBe(false);
      expect(s.appendAt("log", EXEC_A, 2, bytes("third"))).toBe(true);
      // Other logs have their own positions.
      expect(s.appendAt("log", EXEC_B, 0, bytes("b"))).toBe(true);
      expect(s.appendAt("other", EXEC_A, 0, bytes("o"))).toBe(true);
      expect(s.read("log", EXEC_A, 0).map((e) => [e.seq, text(e.data)])).toEqual([
        [0, "first"],
        [1, "second"],
        [2, "third"],
      ]);
    }
  });

  test("read from fromSeq", () => {
    const s = scratch.storage();
    for (let i = 0; i < 5; i++) s.append("agg", EXEC_A, bytes(`${i}`));
    expect(s.read("agg", EXEC_A, 3).map((e) => [e.seq, text(e.data)])).toEqual([
      [3, "3"],
      [4, "4"],
    ]);
    expect(s.read("agg", EXEC_A, 5)).toEqual([]);
    expect(s.read("agg", EXEC_A, 100)).toEqual([]);
  });

  test("stores a copy: the caller may reuse its buffers; ids may be views", () => {
    const s = scratch.storage();
    const backing = Uint8Array.from([9, 9, 0xaa, 0x01, 9]);
    const idView = backing.subarray(2, 4); // same bytes as EXEC_A, at an offset
    const data = bytes("abc");
    s.append("agg", idView, data);
    data.fill(0);
    backing.fill(0);
    expect(text(s.read("agg", EXEC_A, 0)[0]!.data)).toBe("abc");
  });

  test("empty and large entries", () => {
    const s = scratch.storage();
    const large = new Uint8Array(3 << 20).map((_, i) => i % 251);
    s.append("agg", EXEC_A, new Uint8Array(0));
    s.append("agg", EXEC_A, large);
    const [empty, big] = s.read("agg", EXEC_A, 0);
    expect(empty?.data.byteLength).toBe(0);
    expect(Buffer.compare(big!.data, large)).toBe(0);
  });

  test("logs are per (namespace, execution); clear drops one execution in every namespace", () => {
    const s = scratch.storage();
    s.append("agg", EXEC_A, bytes("a-agg-0"));
    s.append("agg", EXEC_A, bytes("a-agg-1"));
    s.append("scan", EXEC_A, bytes("a-scan-0"));
    s.append("agg", EXEC_B, bytes("b-agg-0"));
    s.append("scan", EXEC_B, bytes("b-scan-0"));
    // Each log numbers its own entries from 0.
    expect(s.read("scan", EXEC_A, 0).map((e) => e.seq)).toEqual([0]);
    expect(s.read("agg", EXEC_B, 0).map((e) => e.seq)).toEqual([0]);

    s.clear(EXEC_A);
    expect(s.read("agg", EXEC_A, 0)).toEqual([]);
    expect(s.read("scan", EXEC_A, 0)).toEqual([]);
    expect(s.read("agg", EXEC_B, 0).map((e) => text(e.data))).toEqual(["b-agg-0"]);
    expect(s.read("scan", EXEC_B, 0).map((e) => text(e.data))).toEqual(["b-scan-0"]);

    // A cleared log starts again from 0.
    s.append("agg", EXEC_A, bytes("again"));
    expect(s.read("agg", EXEC_A, 0).map((e) => [e.seq, text(e.data)])).toEqual([[0, "again"]]);
    s.clear(Uint8Array.from([0x12])); // nothing stored: no error
  });

  test("two storages on one file see each other's entries, and the file persists", () => {
    const file = path.join(scratch.dir, "shared.sqlite");
    const first = scratch.storage({}, file);
    const second = scratch.storage({}, file);
    first.append("agg", EXEC_A, bytes("from first"));
    second.append("agg", EXEC_A, bytes("from second"));
    first.append("agg", EXEC_A, bytes("first again"));
    const expected = [
      [0, "from first"],
      [1, "from second"],
      [2, "first again"],
    ];
    expect(second.read("agg", EXEC_A, 0).map((e) => [e.seq, text(e.data)])).toEqual(expected);
    first.close();
    second.close();

    const reopened = scratch.storage({}, file);
    expect(reopened.read("agg", EXEC_A, 0).map((e) => [e.seq, text(e.data)])).toEqual(expected);
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  test("opening deletes executions idle for longer than maxAgeMs, whole", () => {
    const file = path.join(scratch.dir, "shared.sqlite");
    const hour = 60 * 60 * 1000;
    let clock = 1_000_000_000_000;
    const writer = scratch.storage({ now: () => clock }, file);
    writer.append("agg", EXEC_A, bytes("a, stale"));
    writer.append("agg", EXEC_B, bytes("b, old entry of a live execution"));
    clock += 50 * 60 * 1000;
    writer.append("scan", EXEC_B, bytes("b, recent"));
    writer.close();

    clock += 20 * 60 * 1000; // A idle 70 min, B idle 20 min
    const kept = scratch.storage({ now: () => clock, maxAgeMs: Infinity }, file);
    expect(kept.read("agg", EXEC_A, 0)).toHaveLength(1);
    kept.close();

    const swept = scratch.storage({ now: () => clock }, file);
    expect(swept.read("agg", EXEC_A, 0)).toEqual([]);
    expect(swept.read("agg", EXEC_B, 0).map((e) => text(e.data))).toEqual([
      "b, old entry of a live execution",
    ]);
    expect(swept.read("scan", EXEC_B, 0)).toHaveLength(1);
    expect(swept.sweep(hour)).toBe(0);
    expect(swept.sweep(10 * 60 * 1000)).toBe(2);
    expect(swept.read("agg", EXEC_B, 0)).toEqual([]);
  });

  test("sequences: consecutive blocks per name, kept across opens, clear and expiry", () => {
    let now = 1_000;
    const file = path.join(scratch.dir, "seq.sqlite");
    const a = scratch.storage({ now: () => now, maxAgeMs: 10 }, file);
    expect(a.nextSequence("rows", 1)).toBe(1n);
    expect(a.nextSequence("rows", 5)).toBe(2n);
    expect(a.nextSequence("other", 2)).toBe(1n);
    expect(a.nextSequence("rows", 1)).toBe(7n);
    a.append("log", EXEC_A, bytes("x"));
    a.clear(EXEC_A);
    now += 1_000_000;
    // A storage opening later sweeps idle logs, never counters.
    const b = scratch.storage({ now: () => now, maxAgeMs: 10 }, file);
    expect(b.nextSequence("rows", 1)).toBe(8n);
    expect(() => b.nextSequence("rows", 0)).toThrow(RangeError);
    expect(() => b.nextSequence("rows", 1.5)).toThrow(RangeError);
    expect(b.nextSequence("rows", 1)).toBe(9n);
  });

  test("MemoryStorage sequences behave the same", () => {
    const m = new MemoryStorage();
    expect(m.nextSequence("rows", 3)).toBe(1n);
    expect(m.nextSequence("rows", 1)).toBe(4n);
    m.clear(EXEC_A);
    expect(m.nextSequence("rows", 1)).toBe(5n);
    expect(() => m.nextSequence("rows", -1)).toThrow(RangeError);
  });

  test("close twice is fine; calls after close throw", () => {
    const s = scratch.storage();
    s.close();
    s.close();
    expect(() => s.append("agg", EXEC_A, bytes("x"))).toThrow();
  });

  test("bad options and unopenable paths fail clearly", () => {
    expect(() => scratch.storage({ maxAgeMs: -1 })).toThrow(/maxAgeMs/);
    expect(() => scratch.storage({ busyTimeoutMs: Number.NaN })).toThrow(/busyTimeoutMs/);
    const missing = path.join(scratch.dir, "no", "such", "dir", "x.sqlite");
    expect(() => scratch.storage({}, missing)).toThrow(/cannot open shared storage .*x\.sqlite/);
  });

  test("a file of another schema version is refused", () => {
    const file = path.join(scratch.dir, "shared.sqlite");
    const s = scratch.storage({}, file);
    (s as unknown as { db: { pragma(sql: string): unknown } }).db.pragma("user_version = 99");
    s.close();
    expect(() => scratch.storage({}, file)).toThrow(/schema version 99/);
  });
});
