import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MemoryStorage } from "@vgi-ts/worker";
import {
  SqliteStorage,
  defaultSharedStoragePath,
  openSharedStorage,
  type SqliteStorageOptions,
} from "../src/index.js";
import { APPEND_CHILD, SEQUENCE_CHILD } from "./paths.js";

const EXEC_A = Uint8Array.from([0xaa, 0x01]);
const EXEC_B = Uint8Array.from([0xbb, 0x02]);
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

let dir: string;
const open: SqliteStorage[] = [];

function storage(options?: SqliteStorageOptions, file = path.join(dir, "shared.sqlite")) {
  const s = new SqliteStorage(file, options);
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "vgi-storage-sqlite-"));
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteStorage", () => {
  test("round trip", () => {
    const s = storage();
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
    const s = storage();
    for (let i = 0; i < 50; i++) s.append("agg", EXEC_A, bytes(`entry ${i}`));
    const entries = s.read("agg", EXEC_A, 0);
    expect(entries.map((e) => e.seq)).toEqual([...Array(50).keys()]);
    expect(entries.map((e) => text(e.data))).toEqual(
      [...Array(50).keys()].map((i) => `entry ${i}`),
    );
  });

  test("read from fromSeq", () => {
    const s = storage();
    for (let i = 0; i < 5; i++) s.append("agg", EXEC_A, bytes(`${i}`));
    expect(s.read("agg", EXEC_A, 3).map((e) => [e.seq, text(e.data)])).toEqual([
      [3, "3"],
      [4, "4"],
    ]);
    expect(s.read("agg", EXEC_A, 5)).toEqual([]);
    expect(s.read("agg", EXEC_A, 100)).toEqual([]);
  });

  test("stores a copy: the caller may reuse its buffers; ids may be views", () => {
    const s = storage();
    const backing = Uint8Array.from([9, 9, 0xaa, 0x01, 9]);
    const idView = backing.subarray(2, 4); // same bytes as EXEC_A, at an offset
    const data = bytes("abc");
    s.append("agg", idView, data);
    data.fill(0);
    backing.fill(0);
    expect(text(s.read("agg", EXEC_A, 0)[0]!.data)).toBe("abc");
  });

  test("empty and large entries", () => {
    const s = storage();
    const large = new Uint8Array(3 << 20).map((_, i) => i % 251);
    s.append("agg", EXEC_A, new Uint8Array(0));
    s.append("agg", EXEC_A, large);
    const [empty, big] = s.read("agg", EXEC_A, 0);
    expect(empty?.data.byteLength).toBe(0);
    expect(Buffer.compare(big!.data, large)).toBe(0);
  });

  test("logs are per (namespace, execution); clear drops one execution in every namespace", () => {
    const s = storage();
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
    const file = path.join(dir, "shared.sqlite");
    const first = storage({}, file);
    const second = storage({}, file);
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

    const reopened = storage({}, file);
    expect(reopened.read("agg", EXEC_A, 0).map((e) => [e.seq, text(e.data)])).toEqual(expected);
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  test("opening deletes executions idle for longer than maxAgeMs, whole", () => {
    const file = path.join(dir, "shared.sqlite");
    const hour = 60 * 60 * 1000;
    let clock = 1_000_000_000_000;
    const writer = storage({ now: () => clock }, file);
    writer.append("agg", EXEC_A, bytes("a, stale"));
    writer.append("agg", EXEC_B, bytes("b, old entry of a live execution"));
    clock += 50 * 60 * 1000;
    writer.append("scan", EXEC_B, bytes("b, recent"));
    writer.close();

    clock += 20 * 60 * 1000; // A idle 70 min, B idle 20 min
    const kept = storage({ now: () => clock, maxAgeMs: Infinity }, file);
    expect(kept.read("agg", EXEC_A, 0)).toHaveLength(1);
    kept.close();

    const swept = storage({ now: () => clock }, file);
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
    const file = path.join(dir, "seq.sqlite");
    const a = storage({ now: () => now, maxAgeMs: 10 }, file);
    expect(a.nextSequence("rows", 1)).toBe(1n);
    expect(a.nextSequence("rows", 5)).toBe(2n);
    expect(a.nextSequence("other", 2)).toBe(1n);
    expect(a.nextSequence("rows", 1)).toBe(7n);
    a.append("log", EXEC_A, bytes("x"));
    a.clear(EXEC_A);
    now += 1_000_000;
    // A storage opening later sweeps idle logs, never counters.
    const b = storage({ now: () => now, maxAgeMs: 10 }, file);
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
    const s = storage();
    s.close();
    s.close();
    expect(() => s.append("agg", EXEC_A, bytes("x"))).toThrow();
  });

  test("bad options and unopenable paths fail clearly", () => {
    expect(() => storage({ maxAgeMs: -1 })).toThrow(/maxAgeMs/);
    expect(() => storage({ busyTimeoutMs: Number.NaN })).toThrow(/busyTimeoutMs/);
    const missing = path.join(dir, "no", "such", "dir", "x.sqlite");
    expect(() => storage({}, missing)).toThrow(/cannot open shared storage .*x\.sqlite/);
  });

  test("a file of another schema version is refused", () => {
    const file = path.join(dir, "shared.sqlite");
    const s = storage({}, file);
    (s as unknown as { db: { pragma(sql: string): unknown } }).db.pragma("user_version = 99");
    s.close();
    expect(() => storage({}, file)).toThrow(/schema version 99/);
  });
});

describe("openSharedStorage", () => {
  test("sqlite at VGI_WORKER_SHARED_STORAGE_PATH by default", () => {
    const file = path.join(dir, "env.sqlite");
    const s = openSharedStorage({ VGI_WORKER_SHARED_STORAGE_PATH: file });
    try {
      expect(s).toBeInstanceOf(SqliteStorage);
      expect((s as SqliteStorage).path).toBe(file);
      s.append("agg", EXEC_A, bytes("x"));
      expect(existsSync(file)).toBe(true);
    } finally {
      void s.close?.();
    }
    const explicit = openSharedStorage({
      VGI_WORKER_SHARED_STORAGE: " SQLite ",
      VGI_WORKER_SHARED_STORAGE_PATH: file,
    });
    expect(explicit.read("agg", EXEC_A, 0)).toHaveLength(1);
    void explicit.close?.();
  });

  test("memory", () => {
    expect(openSharedStorage({ VGI_WORKER_SHARED_STORAGE: "memory" })).toBeInstanceOf(
      MemoryStorage,
    );
  });

  test("an unknown backend names the allowed ones", () => {
    expect(() => openSharedStorage({ VGI_WORKER_SHARED_STORAGE: "redis" })).toThrow(
      /VGI_WORKER_SHARED_STORAGE="redis" .*sqlite, memory/,
    );
  });

  describe("the default file, in os.tmpdir()", () => {
    let savedTmp: string | undefined;
    beforeEach(() => {
      savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = dir;
    });
    afterEach(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    });

    test("is named with the uid and readable by its owner only", () => {
      const file = defaultSharedStoragePath();
      expect(path.dirname(file)).toBe(dir);
      expect(path.basename(file)).toMatch(/^vgi-ts-shared-.+\.sqlite$/);
      if (process.getuid)
        expect(path.basename(file)).toBe(`vgi-ts-shared-${process.getuid()}.sqlite`);
      const s = openSharedStorage({}) as SqliteStorage;
      s.append("agg", EXEC_A, bytes("x"));
      s.close();
      expect(s.path).toBe(file);
      if (process.platform !== "win32") {
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(statSync(`${file}-wal`, { throwIfNoEntry: false }) ?? { mode: 0o600 }).toSatisfy(
          (st: { mode: number }) => (st.mode & 0o077) === 0,
        );
      }
      // Reopening the file it made is fine.
      void openSharedStorage({}).close?.();
    });

    test.skipIf(process.platform === "win32")("a symlink planted at its name is refused", () => {
      const target = path.join(dir, "elsewhere.sqlite");
      writeFileSync(target, "");
      symlinkSync(target, defaultSharedStoragePath());
      expect(() => openSharedStorage({})).toThrow(/refusing shared storage/);
    });
  });
});

describe("several processes on one file", () => {
  test("4 processes × 500 concurrent appends to one log: seq 0..1999, each child in order", async () => {
    const file = path.join(dir, "multi.sqlite");
    const namespace = "agg";
    const execution = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const children = 4;
    const perChild = 500;

    const procs = [...Array(children).keys()].map((child) => {
      const proc = spawn(
        process.execPath,
        [
          APPEND_CHILD.bundle,
          file,
          namespace,
          Buffer.from(execution).toString("hex"),
          String(child),
          String(perChild),
        ],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      let stderr = "";
      proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const lines = createInterface({ input: proc.stdout });
      const ready = new Promise<void>((resolve, reject) => {
        lines.on("line", (line) => line === "ready" && resolve());
        proc.on("exit", (code) => reject(new Error(`child ${child} exited ${code}: ${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => proc.on("exit", resolve));
      return { proc, ready, exited, stderr: () => stderr };
    });

    // All children have opened the file (racing to create it); start them together.
    await Promise.all(procs.map((p) => p.ready));
    for (const p of procs) p.proc.stdin.end("go\n");
    const codes = await Promise.all(procs.map((p) => p.exited));
    procs.forEach((p, i) => expect(codes[i], `child ${i} stderr:\n${p.stderr()}`).toBe(0));

    const s = storage({}, file);
    const entries = s.read(namespace, execution, 0);
    expect(entries).toHaveLength(children * perChild);
    expect(entries.map((e) => e.seq)).toEqual([...Array(children * perChild).keys()]);
    const seen: number[][] = [...Array(children)].map(() => []);
    for (const { data } of entries) {
      const view = Buffer.from(data);
      seen[view.readUInt32LE(0)]!.push(view.readUInt32LE(4));
    }
    for (const own of seen) expect(own).toEqual([...Array(perChild).keys()]);
    // The appends really interleaved (the children ran at the same time).
    const firstChildRuns = entries.reduce(
      (runs, e, i) =>
        i > 0 &&
        Buffer.from(e.data).readUInt32LE(0) !== Buffer.from(entries[i - 1]!.data).readUInt32LE(0)
          ? runs + 1
          : runs,
      1,
    );
    expect(firstChildRuns).toBeGreaterThan(children);
  });
});

describe("sequences from several processes", () => {
  test("4 processes × 300 concurrent claims of 1..7 values: no value twice, no gap", async () => {
    const file = path.join(dir, "sequence.sqlite");
    const children = 4;
    const perChild = 300;
    const procs = [...Array(children).keys()].map((child) => {
      const proc = spawn(
        process.execPath,
        [SEQUENCE_CHILD.bundle, file, "vgi.tables.rowid", String(perChild)],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      let stderr = "";
      proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const lines = createInterface({ input: proc.stdout });
      const blocks: [bigint, number][] = [];
      const ready = new Promise<void>((resolve, reject) => {
        lines.on("line", (line) => {
          if (line === "ready") resolve();
          else if (line !== "done") {
            const [first, size] = line.split(" ");
            blocks.push([BigInt(first!), Number(size)]);
          }
        });
        proc.on("exit", (code) => reject(new Error(`child ${child} exited ${code}: ${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => proc.on("exit", resolve));
      return { proc, ready, exited, blocks, stderr: () => stderr };
    });
    await Promise.all(procs.map((p) => p.ready));
    for (const p of procs) p.proc.stdin.end("go\n");
    const codes = await Promise.all(procs.map((p) => p.exited));
    procs.forEach((p, i) => expect(codes[i], `child ${i} stderr:\n${p.stderr()}`).toBe(0));

    const values: bigint[] = [];
    for (const p of procs) {
      expect(p.blocks).toHaveLength(perChild);
      // Each child's own claims increase.
      for (let i = 1; i < p.blocks.length; i++) {
        expect(p.blocks[i]![0] > p.blocks[i - 1]![0]).toBe(true);
      }
      for (const [first, size] of p.blocks) {
        for (let k = 0; k < size; k++) values.push(first + BigInt(k));
      }
    }
    values.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    // Every value 1..total exactly once: unique across processes and without gaps.
    expect(values).toEqual(values.map((_, i) => BigInt(i + 1)));
    // The claims really interleaved: some child's values are not one contiguous range.
    const interleaved = procs.filter((p) => {
      const span = p.blocks.at(-1)![0] - p.blocks[0]![0];
      const own = p.blocks.reduce((sum, [, size]) => sum + size, 0);
      return span >= BigInt(own);
    });
    expect(interleaved.length).toBeGreaterThan(0);
  });
});
