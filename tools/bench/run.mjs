#!/usr/bin/env node
// `npm run bench`: throughput of VGI functions through real DuckDB + the vgi extension,
// each against native DuckDB doing the same work in the same run. Reports rows/s, the
// ratio to native, and the worker processes' own CPU seconds and peak RSS.
// Benchmarks, not tests: nothing here asserts a time.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, workerUsage } from "./proc-stats.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, "bench-worker.mjs");
const runs = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(connection, sql) {
  const start = process.hrtime.bigint();
  const result = await connection.runAndReadAll(sql);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rows: result.getRows() };
}

const CASES = [
  {
    name: "scalar BIGINT x+1",
    rows: 10_000_000,
    setup: [],
    vgi: "SELECT sum(b.main.add_one(i)) FROM range(10000000) t(i)",
    native: "SELECT sum(i + 1) FROM range(10000000) t(i)",
  },
  {
    name: "scalar VARCHAR upper",
    rows: 2_000_000,
    setup: [
      "CREATE TABLE strs AS SELECT 'value-' || i::VARCHAR || '-abcdefghij' AS s FROM range(2000000) t(i)",
    ],
    vgi: "SELECT sum(length(b.main.upper_ascii(s))) FROM strs",
    native: "SELECT sum(length(upper(s))) FROM strs",
  },
];

async function coldStart() {
  // A fresh process per sample: the extension pools workers process-wide.
  const script = `
    import { openDuckDB } from ${JSON.stringify(path.join(here, "duckdb-session.mjs"))};
    const { connection } = await openDuckDB();
    const t0 = process.hrtime.bigint();
    await connection.run("ATTACH 'bench' AS b (TYPE vgi, LOCATION 'node ${worker}')");
    await connection.runAndReadAll("SELECT b.main.add_one(1)");
    console.log(Number(process.hrtime.bigint() - t0) / 1e6);`;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: here,
      encoding: "utf8",
    });
    samples.push(Number(out.trim()));
  }
  return median(samples);
}

const { connection } = await openDuckDB();
await connection.run(`ATTACH 'bench' AS b (TYPE vgi, LOCATION 'node ${worker}')`);
await connection.run("SET threads = 1");
const results = [];
for (const c of CASES) {
  for (const sql of c.setup) await connection.run(sql);
  await time(connection, c.vgi); // warm-up: spawns the worker, JIT-compiles the hot loop
  const pids = findWorkers(process.pid, "bench-worker.mjs");
  const before = workerUsage(pids);
  const vgi = [];
  for (let i = 0; i < runs; i++) vgi.push((await time(connection, c.vgi)).seconds);
  const after = workerUsage(pids);
  const native = [];
  for (let i = 0; i < runs; i++) native.push((await time(connection, c.native)).seconds);
  const [v, n] = [median(vgi), median(native)];
  results.push({
    case: c.name,
    rows: c.rows,
    "vgi s": v.toFixed(3),
    "vgi Mrows/s": (c.rows / v / 1e6).toFixed(2),
    "native s": n.toFixed(3),
    "vgi/native": (v / n).toFixed(1) + "x",
    "worker CPU s/run": ((after.cpu - before.cpu) / runs).toFixed(3),
    "worker peak RSS MiB": after.rss.toFixed(0),
  });
}
const cold = await coldStart();
console.table(results);
console.log(
  `ATTACH + first call, cold worker (median of ${runs} fresh processes): ${cold.toFixed(0)} ms`,
);
