#!/usr/bin/env node
// Appends per second to one SqliteStorage log, for 2 KiB entries, in one process, on a
// fresh file in os.tmpdir() (set TMPDIR to measure another disk). Uses the built package:
// run `npx tsup` (or the root `npm run build`) first.
//
// Prints the wall-clock rate and the rate per second of this process's CPU time (user +
// system). On a busy machine the wall rate also counts waiting for a core and for the
// disk; the CPU rate is what the storage itself costs.
//
//   node bench/append.mjs [count=50000] [entryBytes=2048]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteStorage } from "../dist/index.js";

const count = Number(process.argv[2] ?? 50_000);
const size = Number(process.argv[3] ?? 2048);
const dir = mkdtempSync(path.join(os.tmpdir(), "vgi-storage-bench-"));
try {
  const storage = new SqliteStorage(path.join(dir, "bench.sqlite"));
  const executionId = Uint8Array.from({ length: 16 }, (_, i) => i);
  const entry = new Uint8Array(size).map((_, i) => i % 251);

  for (let i = 0; i < 1000; i++) storage.append("warmup", executionId, entry);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) storage.append("bench", executionId, entry);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const readStart = process.hrtime.bigint();
  const entries = storage.read("bench", executionId, 0);
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  if (entries.length !== count) throw new Error(`read ${entries.length} entries, not ${count}`);
  storage.close();

  const perSecond = (n, s) => Math.round(n / s).toLocaleString("en-US");
  console.log(
    `append: ${count} × ${size} B in ${seconds.toFixed(3)} s = ${perSecond(count, seconds)} appends/s ` +
      `(${((count * size) / seconds / 2 ** 20).toFixed(1)} MiB/s); ` +
      `${cpuSeconds.toFixed(3)} s CPU = ${perSecond(count, cpuSeconds)} appends per CPU-second`,
  );
  console.log(
    `read:   ${count} entries in ${readSeconds.toFixed(3)} s = ` +
      `${perSecond(count, readSeconds)} entries/s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
