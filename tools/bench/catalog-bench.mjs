// Catalog listing at scale: ATTACH a catalog of 10,000 tables and 10,000 scalar functions
// and scan duckdb_tables() (the extension lists every schema's tables). Each sample is a
// fresh DuckDB instance and a fresh worker process (the extension pools workers per
// process), so the time includes the worker's cold start and its one-time listing encode.
// The worker is bundled and started from a V8 code cache, as the fixture workers are (a
// first ATTACH of a 10-table catalog writes the cache). The extension retires the worker
// that served ATTACH and the listing; duckdb_functions() then starts another, so the
// workers' reports are printed each (the first to exit is the listing's).
//
// The same is then measured over the AF_UNIX launcher (`launch:`): the extension starts
// the worker once, as a daemon, and every later ATTACH (from a fresh DuckDB instance
// each sample) reaches that warm process, whose listing is already encoded. The first
// launch sample pays the start and the encode; the others leave only DuckDB's own work.
//
//   node tools/bench/catalog-bench.mjs [--runs N] [--size N]
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { openDuckDB } from "./duckdb-session.mjs";
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { bundleWorker, workerCommand } from "./bundle-worker.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, size: { type: "string", default: "10000" } },
});
const size = Number(values.size);
const usageDir = mkdtempSync(path.join(tmpdir(), "catalog-bench-"));
await bundleWorker("catalog-worker");
const worker = workerCommand("catalog-worker");
{
  // Writes the code cache (when the worker exits with the instance).
  const { instance, connection } = await openDuckDB();
  await connection.run(
    `ATTACH 'wide' AS wide (TYPE vgi, LOCATION 'VGI_BENCH_CATALOG_SIZE=10 ${worker}')`,
  );
  await connection.run("SELECT count(*) FROM duckdb_tables()");
  connection.closeSync();
  instance.closeSync();
  await sleep(500);
}

const samples = [];
for (let run = 0; run < Number(values.runs); run++) {
  const { instance, connection } = await openDuckDB();
  const usageFile = path.join(usageDir, `run-${run}`);
  const command = `VGI_BENCH_CATALOG_SIZE=${size} VGI_BENCH_USAGE_FILE=${usageFile} ${worker}`;
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
      `${usage.workers} worker(s) ${usage.cpuSeconds.toFixed(2)} CPU-s, peak RSS ${usage.peakRssMiB.toFixed(0)} MiB ` +
      `(each in exit order: ${usage.each}); ` +
      `DuckDB host ${((host.user + host.system) / 1e6).toFixed(2)} CPU-s`,
  );
}
samples.sort((a, b) => a - b);
console.log(`catalog listing median: ${samples[Math.floor(samples.length / 2)].toFixed(3)} s`);

// The launcher execs its command without a shell: the size travels in the environment the
// daemon inherits from this process.
process.env.VGI_BENCH_CATALOG_SIZE = String(size);
const stateDir = mkdtempSync(path.join("/tmp", "catalog-bench-launch-"));
const warm = [];
for (let run = 0; run <= Number(values.runs); run++) {
  const { instance, connection } = await openDuckDB();
  const start = performance.now();
  await connection.run(
    `ATTACH 'wide' AS wide (TYPE vgi, LOCATION 'launch:${worker}', ` +
      `launcher_idle_timeout 5, launcher_state_dir '${stateDir}')`,
  );
  const reader = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'wide'",
  );
  const seconds = (performance.now() - start) / 1000;
  const listed = Number(reader.getRowObjectsJson()[0].n);
  if (listed !== size) throw new Error(`duckdb_tables() listed ${listed} tables, expected ${size}`);
  connection.closeSync();
  instance.closeSync();
  if (run > 0) warm.push(seconds);
  console.log(
    `catalog listing over launch: ${run === 0 ? "cold daemon (start + encode)" : "warm daemon"}: ` +
      `${seconds.toFixed(3)} s`,
  );
}
warm.sort((a, b) => a - b);
console.log(
  `catalog listing over launch:, warm daemon median: ${warm[Math.floor(warm.length / 2)].toFixed(3)} s`,
);

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
  const usages = reports()
    .map((f) => ({
      ...JSON.parse(readFileSync(path.join(path.dirname(prefix), f), "utf8")),
      exitedMs: statSync(path.join(path.dirname(prefix), f)).mtimeMs,
    }))
    .sort((a, b) => a.exitedMs - b.exitedMs);
  return {
    workers: usages.length,
    cpuSeconds: usages.reduce((total, u) => total + u.cpuSeconds, 0),
    peakRssMiB: Math.max(0, ...usages.map((u) => u.peakRssMiB)),
    each: usages
      .map((u) => `${u.cpuSeconds.toFixed(2)} CPU-s ${u.peakRssMiB.toFixed(0)} MiB`)
      .join(", "),
  };
}
