// Table function scan through VGI: `example.sequence` producing 20M BIGINT rows, next to
// DuckDB's own `range()` doing the same in the same run. Worker CPU seconds and peak RSS
// come from /proc (summed / maxed over all fixture-worker processes), so DuckDB's polling
// thread is not counted.
//
//   node tools/bench/table-bench.mjs [--runs N] [--rows N] [--batch N] [--verbose]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, peakRssMiB, processCpuSeconds } from "./proc-stats.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    rows: { type: "string", default: "20000000" },
    batch: { type: "string", default: "262144" },
    verbose: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const ROWS = Number(values.rows);
const BATCH = Number(values.batch);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const worker = path.join(root, "packages/fixtures/bin/vgi-fixture-worker.js");

const { connection } = await openDuckDB();
await connection.run("SET threads = 1");
await connection.run(`ATTACH 'example' AS example (TYPE vgi, LOCATION 'node ${worker}')`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(sql) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  return { seconds: (performance.now() - start) / 1000, rows: reader.getRows() };
}

// sum(n) makes DuckDB read every value; count(*) alone could skip the column.
const vgiSql = `SELECT count(*), sum(n) FROM example.sequence(${ROWS}, batch_size := ${BATCH})`;
const nativeSql = `SELECT count(*), sum(range) FROM range(${ROWS})`;
await time(vgiSql); // warm: worker spawned, JIT warm
const native = [];
const vgi = [];
const cpu = [];
let rss = 0;
let agree = true;
const json = (rows) => JSON.stringify(rows, (_, x) => (typeof x === "bigint" ? String(x) : x));
for (let run = 0; run < runs; run++) {
  const n = await time(nativeSql);
  native.push(n.seconds);
  const before = new Map(
    findWorkers(process.pid, "vgi-fixture-worker").map((p) => [p, processCpuSeconds(p)]),
  );
  const v = await time(vgiSql);
  vgi.push(v.seconds);
  const pids = findWorkers(process.pid, "vgi-fixture-worker");
  cpu.push(pids.reduce((total, pid) => total + processCpuSeconds(pid) - (before.get(pid) ?? 0), 0));
  rss = Math.max(rss, ...pids.map(peakRssMiB));
  if (values.verbose) {
    console.log(
      `run ${run}: ${v.seconds.toFixed(3)} s, worker CPU ${cpu.at(-1).toFixed(3)} s, ` +
        `peak RSS ${Math.round(rss)} MiB`,
    );
  }
  agree &&= json(n.rows) === json(v.rows);
}

const vgiRate = ROWS / median(vgi);
const nativeRate = ROWS / median(native);
console.table([
  {
    case: `table scan BIGINT, batch ${BATCH}`,
    rows: ROWS,
    "vgi Mrows/s": (vgiRate / 1e6).toFixed(1),
    "native Mrows/s": (nativeRate / 1e6).toFixed(1),
    "vgi/native": `${(nativeRate / vgiRate).toFixed(1)}x`,
    "worker CPU s/run": median(cpu).toFixed(3),
    "worker peak RSS MiB": Math.round(rss),
    "results agree": agree,
  },
]);
if (!agree) process.exitCode = 1;
