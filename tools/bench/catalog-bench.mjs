// Catalog listing at scale: ATTACH a catalog of 10,000 tables and 10,000 scalar functions
// and scan duckdb_tables() (the extension lists every schema's tables). Each sample is a
// fresh DuckDB instance and a fresh worker process (the extension pools workers per
// process), so the time includes the worker's cold start and its one-time listing encode.
//
//   node tools/bench/catalog-bench.mjs [--runs N] [--size N]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, peakRssMiB, processCpuSeconds } from "./proc-stats.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, size: { type: "string", default: "10000" } },
});
const size = Number(values.size);
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "catalog-worker.mjs");
const command = `VGI_BENCH_CATALOG_SIZE=${size} node ${worker}`;

const samples = [];
for (let run = 0; run < Number(values.runs); run++) {
  const { instance, connection } = await openDuckDB();
  const start = performance.now();
  const hostCpu = process.cpuUsage();
  await connection.run(`ATTACH 'wide' AS wide (TYPE vgi, LOCATION '${command}')`);
  const reader = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'wide'",
  );
  const seconds = (performance.now() - start) / 1000;
  const host = process.cpuUsage(hostCpu);
  // CPU seconds say what the wall time would be on a quiet machine (the host waits on
  // the worker and the other way round; little runs concurrently).
  const workers = findWorkers(process.pid, "catalog-worker.mjs");
  const workerCpu = workers.reduce((total, pid) => total + processCpuSeconds(pid), 0);
  const workerRss = Math.max(0, ...workers.map(peakRssMiB));
  const listed = Number(reader.getRowObjectsJson()[0].n);
  if (listed !== size) throw new Error(`duckdb_tables() listed ${listed} tables, expected ${size}`);
  const fns = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_functions() WHERE database_name = 'wide'",
  );
  samples.push(seconds);
  console.log(
    `catalog listing: ATTACH + duckdb_tables() of ${size} tables: ${seconds.toFixed(3)} s ` +
      `(duckdb_functions() then sees ${fns.getRowObjectsJson()[0].n} functions); ` +
      `worker ${workerCpu.toFixed(2)} CPU-s, peak RSS ${workerRss.toFixed(0)} MiB; ` +
      `DuckDB host ${((host.user + host.system) / 1e6).toFixed(2)} CPU-s`,
  );
  connection.closeSync();
  instance.closeSync();
}
samples.sort((a, b) => a - b);
console.log(`catalog listing median: ${samples[Math.floor(samples.length / 2)].toFixed(3)} s`);
