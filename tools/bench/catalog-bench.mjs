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
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, size: { type: "string", default: "10000" } },
});
const size = Number(values.size);
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "catalog-worker.mjs");
const usageDir = mkdtempSync(path.join(tmpdir(), "catalog-bench-"));

const samples = [];
for (let run = 0; run < Number(values.runs); run++) {
  const { instance, connection } = await openDuckDB();
  const usageFile = path.join(usageDir, `run-${run}`);
  const command = `VGI_BENCH_CATALOG_SIZE=${size} VGI_BENCH_USAGE_FILE=${usageFile} node ${worker}`;
  const start = performance.now();
  const hostCpu = process.cpuUsage();
  await connection.run(`ATTACH 'wide' AS wide (TYPE vgi, LOCATION '${command}')`);
  const reader = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'wide'",
  );
  const seconds = (performance.now() - start) / 1000;
  const host = process.cpuUsage(hostCpu);
  const listed = Number(reader.getRowObjectsJson()[0].n);
  if (listed !== size) throw new Error(`duckdb_tables() listed ${listed} tables, expected ${size}`);
  const fns = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_functions() WHERE database_name = 'wide'",
  );
  connection.closeSync();
  instance.closeSync();
  // CPU seconds say what the wall time would be on a quiet machine (the host waits on
  // the worker and the other way round; little runs concurrently).
  const usage = await workerUsage(usageFile);
  samples.push(seconds);
  console.log(
    `catalog listing: ATTACH + duckdb_tables() of ${size} tables: ${seconds.toFixed(3)} s ` +
      `(duckdb_functions() then sees ${fns.getRowObjectsJson()[0].n} functions); ` +
      `${usage.workers} worker(s) ${usage.cpuSeconds.toFixed(2)} CPU-s, peak RSS ${usage.peakRssMiB.toFixed(0)} MiB; ` +
      `DuckDB host ${((host.user + host.system) / 1e6).toFixed(2)} CPU-s`,
  );
}
samples.sort((a, b) => a - b);
console.log(`catalog listing median: ${samples[Math.floor(samples.length / 2)].toFixed(3)} s`);

/**
 * The workers' own reports, written when they exit (closing DuckDB ends their stdin):
 * summed CPU, largest peak RSS, and how many workers the run spawned.
 */
async function workerUsage(prefix) {
  const reports = () =>
    readdirSync(path.dirname(prefix)).filter((f) => f.startsWith(`${path.basename(prefix)}.`));
  for (let waited = 0; waited < 10_000 && reports().length === 0; waited += 50) {
    await sleep(50);
  }
  await sleep(200); // late exits of other workers
  const usages = reports().map((f) =>
    JSON.parse(readFileSync(path.join(path.dirname(prefix), f), "utf8")),
  );
  return {
    workers: usages.length,
    cpuSeconds: usages.reduce((total, u) => total + u.cpuSeconds, 0),
    peakRssMiB: Math.max(0, ...usages.map((u) => u.peakRssMiB)),
  };
}
