// Grouped aggregate through VGI: `vgi_sum` over 5M rows in 1,000 groups, next to DuckDB's own
// `sum` in the same run. The fixture worker keeps states in shared sqlite storage, and DuckDB
// spreads one query's calls over several pooled worker processes: CPU and RSS are summed /
// maxed over all of them (read from /proc, so DuckDB's polling thread is not counted).
//
//   node tools/bench/aggregate-bench.mjs [--runs N] [--threads N] [--profile DIR]
//
// --profile DIR starts the workers with `node --cpu-prof --cpu-prof-dir DIR` (one
// .cpuprofile per worker process, written when DuckDB closes it).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, peakRssMiB, processCpuSeconds } from "./proc-stats.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    threads: { type: "string", default: "2" },
    profile: { type: "string" },
  },
});
const runs = Number(values.runs);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const worker = path.join(root, "packages/fixtures/bin/vgi-fixture-worker.js");
const ROWS = 5_000_000;
const GROUPS = 1_000;

const { instance, connection } = await openDuckDB();
await connection.run(`SET threads = ${Number(values.threads)}`);
const node = values.profile
  ? `node --cpu-prof --cpu-prof-dir ${path.resolve(values.profile)}`
  : "node";
await connection.run(`ATTACH 'example' AS example (TYPE vgi, LOCATION '${node} ${worker}')`);
await connection.run(
  `CREATE TABLE facts AS SELECT i % ${GROUPS} AS g, i AS v FROM range(${ROWS}) t(i)`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(sql) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  return { seconds: (performance.now() - start) / 1000, rows: reader.getRows() };
}

const checksum = `SELECT count(*), sum(s) FROM (SELECT g, %AGG%(v) AS s FROM facts GROUP BY g)`;
const native = [];
const vgi = [];
const cpu = [];
let rss = 0;
let agree = true;
for (let run = 0; run < runs; run++) {
  const n = await time(checksum.replace("%AGG%", "sum"));
  native.push(n.seconds);
  const before = new Map(
    findWorkers(process.pid, "vgi-fixture-worker").map((p) => [p, processCpuSeconds(p)]),
  );
  const v = await time(checksum.replace("%AGG%", "example.vgi_sum"));
  vgi.push(v.seconds);
  const pids = findWorkers(process.pid, "vgi-fixture-worker");
  cpu.push(pids.reduce((total, pid) => total + processCpuSeconds(pid) - (before.get(pid) ?? 0), 0));
  rss = Math.max(rss, ...pids.map(peakRssMiB));
  agree &&=
    JSON.stringify(n.rows, (_, x) => (typeof x === "bigint" ? String(x) : x)) ===
    JSON.stringify(v.rows, (_, x) => (typeof x === "bigint" ? String(x) : x));
}

const vgiRate = ROWS / median(vgi);
const nativeRate = ROWS / median(native);
console.table([
  {
    case: `grouped sum, ${GROUPS} groups, threads=${values.threads}`,
    rows: ROWS,
    "vgi Mrows/s": (vgiRate / 1e6).toFixed(2),
    "native Mrows/s": (nativeRate / 1e6).toFixed(1),
    "vgi/native": `${(nativeRate / vgiRate).toFixed(1)}x`,
    "workers CPU s/run": median(cpu).toFixed(3),
    "worker peak RSS MiB": Math.round(rss),
    "results agree": agree,
  },
]);
if (!agree) process.exitCode = 1;
// Closing DuckDB closes the workers' stdin: they exit and write their profiles.
connection.closeSync();
instance.closeSync();
