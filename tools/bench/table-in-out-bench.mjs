// Table-in-out echo through VGI: 5M (BIGINT, VARCHAR) rows stream into a pass-through
// table-in-out function and back, next to DuckDB reading the same rows itself in the same
// run. Two workers, each attached in its own catalog (three cases):
// - `bench.main.echo` (bench-worker.mjs, bundled, `reuseWorkers`): the extension hands
//   each substream's worker back to its pool when the stream ends, so after the first
//   query every query runs on warm processes. This is the headline figure.
// - `example.echo` (the fixture worker, as the reference fixture declares it: no
//   finalize): the extension retires each substream's worker with its query, and the
//   example catalog's transaction commit then spawns a fresh one, so every query pays
//   cold starts.
// - `example.echo` again over the AF_UNIX launcher (`launch:`): one long-lived worker
//   process serves both substreams' connections, so no query pays a cold start, but the
//   two share one process and its event loop, and socket reads are asynchronous (no
//   blocking reads between the batches of an exchange, as on a pipe).
// Each worker is measured in its own DuckDB instance with only its catalog attached (the
// example catalog's transactions would otherwise bracket every query). CPU and RSS of the
// workers are sampled from /proc while each query runs (summed / maxed over them;
// DuckDB's polling thread is not counted, and the last sampling interval before a worker
// exits is missed).
//
//   node tools/bench/table-in-out-bench.mjs [--runs N] [--threads N]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval } from "node:timers";
import { openDuckDB } from "./duckdb-session.mjs";
import { WorkerSampler } from "./proc-stats.mjs";
import { BUNDLED_WORKER, WORKER_COMMAND, bundleWorker } from "./bundle-worker.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, threads: { type: "string", default: "2" } },
});
const runs = Number(values.runs);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixtureWorker = path.join(root, "packages/fixtures/bin/vgi-fixture-worker.js");
const ROWS = 5_000_000;

await bundleWorker();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const text = (rows) => JSON.stringify(rows, (_, x) => (typeof x === "bigint" ? String(x) : x));

// Both columns are read, so the echo must carry both.
const checksum = `SELECT count(*), sum(id), sum(length(label)) FROM %SOURCE%`;

/**
 * Attaches `catalog` from `command` in a fresh DuckDB instance and runs the echo `runs`
 * times next to native; returns the row for the table.
 */
async function measure(label, catalog, command, call, workerNeedle, options = "") {
  const { instance, connection } = await openDuckDB();
  await connection.run(`SET threads = ${Number(values.threads)}`);
  await connection.run(
    `ATTACH '${catalog}' AS ${catalog} (TYPE vgi, LOCATION '${command}'${options})`,
  );
  await connection.run(
    `CREATE TABLE facts AS SELECT i AS id, 'row-' || i::VARCHAR AS label FROM range(${ROWS}) t(i)`,
  );
  const time = async (sql) => {
    const start = performance.now();
    const reader = await connection.runAndReadAll(sql);
    return { seconds: (performance.now() - start) / 1000, rows: reader.getRows() };
  };
  const native = [];
  const vgi = [];
  const cpu = [];
  let rss = 0;
  let agree = true;
  for (let run = 0; run < runs; run++) {
    const n = await time(checksum.replace("%SOURCE%", "(SELECT * FROM facts)"));
    native.push(n.seconds);
    const workers = new WorkerSampler(process.pid, workerNeedle);
    const sampler = setInterval(() => workers.sample(), 25);
    const v = await time(checksum.replace("%SOURCE%", `${call}((SELECT * FROM facts))`));
    clearInterval(sampler);
    cpu.push(workers.sample());
    rss = Math.max(rss, workers.peakRss);
    vgi.push(v.seconds);
    agree &&= text(n.rows) === text(v.rows);
  }
  connection.closeSync();
  instance.closeSync();
  const vgiRate = ROWS / median(vgi);
  const nativeRate = ROWS / median(native);
  return {
    case: `${label}, threads=${values.threads}`,
    rows: ROWS,
    "vgi Mrows/s": (vgiRate / 1e6).toFixed(2),
    "first run Mrows/s": (ROWS / vgi[0] / 1e6).toFixed(2),
    "native Mrows/s": (nativeRate / 1e6).toFixed(1),
    "vgi/native": `${(nativeRate / vgiRate).toFixed(1)}x`,
    "workers CPU s/run": median(cpu).toFixed(3),
    "worker peak RSS MiB": Math.round(rss),
    "results agree": agree,
  };
}

const table = [
  await measure(
    "echo, reuseWorkers (bench worker)",
    "bench",
    WORKER_COMMAND,
    "bench.main.echo",
    path.basename(BUNDLED_WORKER),
  ),
  await measure(
    "example.echo, no finalize (fixture worker)",
    "example",
    `node ${fixtureWorker}`,
    "example.echo",
    "vgi-fixture-worker",
  ),
  await measure(
    "example.echo over launch: (fixture worker, one warm process)",
    "example",
    `launch:node ${fixtureWorker}`,
    "example.echo",
    "vgi-fixture-worker",
    // Gone a second after the bench lets go, instead of the default five minutes.
    ", launcher_idle_timeout 1",
  ),
];
console.log(`table-in-out echo: median of ${runs} runs (the first run includes cold starts)`);
console.table(table);
if (table.some((row) => !row["results agree"])) process.exitCode = 1;
