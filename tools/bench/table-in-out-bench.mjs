// Table-in-out echo through VGI: 5M (BIGINT, VARCHAR) rows stream into the fixture worker's
// `echo` and back, next to DuckDB reading the same rows itself in the same run. DuckDB runs
// one worker process per pipeline thread (substream) and drops them when the query ends,
// so each run starts its workers afresh; their CPU and RSS are sampled from /proc while the
// query runs (summed / maxed over all of them; DuckDB's polling thread is not counted, and
// the last sampling interval before a worker exits is missed).
//
//   node tools/bench/table-in-out-bench.mjs [--runs N] [--threads N]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval } from "node:timers";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, peakRssMiB, processCpuSeconds } from "./proc-stats.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, threads: { type: "string", default: "2" } },
});
const runs = Number(values.runs);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const worker = path.join(root, "packages/fixtures/bin/vgi-fixture-worker.js");
const ROWS = 5_000_000;

const { connection } = await openDuckDB();
await connection.run(`SET threads = ${Number(values.threads)}`);
await connection.run(`ATTACH 'example' AS example (TYPE vgi, LOCATION 'node ${worker}')`);
await connection.run(
  `CREATE TABLE facts AS SELECT i AS id, 'row-' || i::VARCHAR AS label FROM range(${ROWS}) t(i)`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(sql) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  return { seconds: (performance.now() - start) / 1000, rows: reader.getRows() };
}

// Both columns are read, so the echo must carry both.
const checksum = `SELECT count(*), sum(id), sum(length(label)) FROM %SOURCE%`;
const native = [];
const vgi = [];
const cpu = [];
let rss = 0;
let agree = true;
const text = (rows) => JSON.stringify(rows, (_, x) => (typeof x === "bigint" ? String(x) : x));
for (let run = 0; run < runs; run++) {
  const n = await time(checksum.replace("%SOURCE%", "(SELECT * FROM facts)"));
  native.push(n.seconds);
  const before = new Map(
    findWorkers(process.pid, "vgi-fixture-worker").map((p) => [p, processCpuSeconds(p)]),
  );
  const seen = new Map();
  const sample = () => {
    for (const pid of findWorkers(process.pid, "vgi-fixture-worker")) {
      const used = processCpuSeconds(pid) - (before.get(pid) ?? 0);
      if (used > 0) seen.set(pid, Math.max(seen.get(pid) ?? 0, used));
      rss = Math.max(rss, peakRssMiB(pid));
    }
  };
  const sampler = setInterval(sample, 25);
  const v = await time(checksum.replace("%SOURCE%", "example.echo((SELECT * FROM facts))"));
  clearInterval(sampler);
  sample();
  vgi.push(v.seconds);
  cpu.push([...seen.values()].reduce((a, b) => a + b, 0));
  agree &&= text(n.rows) === text(v.rows);
}

const vgiRate = ROWS / median(vgi);
const nativeRate = ROWS / median(native);
console.table([
  {
    case: `table-in-out echo (BIGINT, VARCHAR), threads=${values.threads}`,
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
