/**
 * Several processes on one sqlite file at once (children bundled by global-setup.ts):
 * concurrent appends to one log and concurrent sequence claims stay ordered, unique
 * and gap-free. The real cross-process guarantee the worker pool relies on.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, test } from "vitest";
import { APPEND_CHILD, SEQUENCE_CHILD } from "./paths.js";
import { useScratch } from "./scratch.js";

const scratch = useScratch();

// Each test also checks that its children really ran at the same time; on a loaded
// 2-core machine the scheduler sometimes runs them one after another, so a run where
// they did not overlap is retried rather than passed.
const CONCURRENT = { retry: 2 } as const;

describe("several processes on one file", () => {
  test(
    "4 processes × 500 concurrent appends to one log: seq 0..1999, each child in order",
    CONCURRENT,
    async () => {
      const file = path.join(scratch.dir, "multi.sqlite");
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

      const s = scratch.storage({}, file);
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
    },
  );
});

describe("sequences from several processes", () => {
  test(
    "4 processes × 300 concurrent claims of 1..7 values: no value twice, no gap",
    CONCURRENT,
    async () => {
      const file = path.join(scratch.dir, "sequence.sqlite");
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
    },
  );
});
