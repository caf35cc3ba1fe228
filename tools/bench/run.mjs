#!/usr/bin/env node
// `npm run bench`: throughput of VGI scalar functions through real DuckDB + the vgi
// extension, each against native DuckDB doing the same work in the same run. Reports
// rows/s, the ratio to native, the worker's own CPU seconds and peak RSS (from /proc),
// and the time of ATTACH + first call from a cold process.
//
// Options:
//   --runs N        timed runs per case (median reported; default 5, or $BENCH_RUNS)
//   --floor         also time DuckDB against a worker that only plays back a recorded
//                   session (playback-worker.mjs): the cost of the extension and pipes
//                   alone, an upper bound for any worker
//   --record DIR    only record each case's session (DIR/<case>.in / .out) for
//                   replay.mjs and playback-worker.mjs, then exit
//   --case NAME     only this case (int | varchar)
//   --set NAME=VAL  a DuckDB setting for every session (repeatable), e.g.
//                   --set vgi_exchange_input_dedup=false
//   --worker-env NAME=VAL  an environment variable for the workers (repeatable), e.g.
//                   --worker-env VGI_STDIO_RECYCLE_INPUT=1
//
// Benchmarks, not tests: nothing here asserts a time. Wall times depend on what else the
// machine runs; the worker CPU seconds depend much less on it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseArgs } from "node:util";
import { WORKER_COMMAND, bundleWorker } from "./bundle-worker.mjs";
import { openDuckDB } from "./duckdb-session.mjs";
import { findWorkers, workerUsage } from "./proc-stats.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

const CASES = [
  {
    id: "int",
    name: "scalar BIGINT x+1",
    rows: 10_000_000,
    setup: [],
    vgi: "SELECT sum(b.main.add_one(i)) FROM range(10000000) t(i)",
    native: "SELECT sum(i + 1) FROM range(10000000) t(i)",
  },
  {
    id: "varchar",
    name: "scalar VARCHAR upper",
    rows: 2_000_000,
    setup: [
      "CREATE TABLE strs AS SELECT 'value-' || i::VARCHAR || '-abcdefghij' AS s FROM range(2000000) t(i)",
    ],
    vgi: "SELECT sum(length(b.main.upper_utf8(s))) FROM strs",
    native: "SELECT sum(length(upper(s))) FROM strs",
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const shellQuote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
/** ATTACH's LOCATION is a SQL string literal holding a shell command. */
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

async function time(connection, sql) {
  const start = process.hrtime.bigint();
  const result = await connection.runAndReadAll(sql);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, rows: result.getRows() };
}

/** `--set` settings, passed on to child sessions through the environment. */
const SETTINGS = JSON.parse(process.env.VGI_BENCH_SETTINGS ?? "[]");

async function attach(connection, command) {
  await connection.run(`ATTACH 'bench' AS b (TYPE vgi, LOCATION ${sqlString(command)})`);
  await connection.run("SET threads = 1");
  for (const setting of SETTINGS) {
    const eq = setting.indexOf("=");
    await connection.run(`SET ${setting.slice(0, eq)} = ${setting.slice(eq + 1)}`);
  }
}

/**
 * Child-process mode: one fresh DuckDB, ATTACH `command`, the case's setup and its vgi
 * query once; prints the query's seconds. A fresh process each time, because the
 * extension pools workers process-wide.
 */
async function childSession(caseId, command) {
  const c = CASES.find((x) => x.id === caseId);
  const { connection } = await openDuckDB();
  await attach(connection, command);
  for (const sql of c.setup) await connection.run(sql);
  const { seconds, rows } = await time(connection, c.vgi);
  console.log(JSON.stringify({ seconds, result: String(rows[0][0]) }));
}

function session(caseId, command) {
  const out = execFileSync(process.execPath, [self, "--child", caseId, command], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop());
}

function record(c, dir) {
  const input = path.join(dir, `${c.id}.in`);
  const output = path.join(dir, `${c.id}.out`);
  session(c.id, `tee ${shellQuote(input)} | ${WORKER_COMMAND} | tee ${shellQuote(output)}`);
  return { input, output };
}

/**
 * ATTACH + first call in a fresh DuckDB process (the extension pools workers
 * process-wide), so the worker starts cold. `env` is the DuckDB process's environment,
 * which the worker inherits.
 */
async function coldStart(runs, env = process.env) {
  const script = `
    import { openDuckDB } from ${JSON.stringify(path.join(here, "duckdb-session.mjs"))};
    const { connection } = await openDuckDB();
    const t0 = process.hrtime.bigint();
    await connection.run(${JSON.stringify(`ATTACH 'bench' AS b (TYPE vgi, LOCATION ${sqlString(WORKER_COMMAND)})`)});
    await connection.runAndReadAll("SELECT b.main.add_one(1)");
    console.log(Number(process.hrtime.bigint() - t0) / 1e6);`;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: here,
      encoding: "utf8",
      env,
    });
    samples.push(Number(out.trim()));
  }
  return median(samples);
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      runs: { type: "string" },
      floor: { type: "boolean", default: false },
      record: { type: "string" },
      case: { type: "string" },
      child: { type: "string" },
      set: { type: "string", multiple: true },
      "worker-env": { type: "string", multiple: true },
    },
    allowPositionals: true,
  });
  if (values.child !== undefined) {
    await childSession(values.child, positionals[0]);
    return;
  }
  // Workers inherit DuckDB's environment (this process's, or a child session's).
  for (const assignment of values["worker-env"] ?? []) {
    const eq = assignment.indexOf("=");
    process.env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  if (values.set !== undefined) {
    SETTINGS.push(...values.set);
    process.env.VGI_BENCH_SETTINGS = JSON.stringify(SETTINGS);
  }
  const runs = Number(values.runs ?? process.env.BENCH_RUNS ?? 5);
  const cases = CASES.filter((c) => values.case === undefined || c.id === values.case);
  await bundleWorker();

  if (values.record !== undefined) {
    mkdirSync(values.record, { recursive: true });
    for (const c of cases) {
      const { input, output } = record(c, values.record);
      console.log(`${c.name}: ${input} ${output}`);
    }
    return;
  }

  const { connection } = await openDuckDB();
  await attach(connection, WORKER_COMMAND);
  const results = [];
  for (const c of cases) {
    for (const sql of c.setup) await connection.run(sql);
    const warm = await time(connection, c.vgi); // spawns the worker, JIT-compiles the hot loop
    const expected = (await time(connection, c.native)).rows[0][0];
    if (String(warm.rows[0][0]) !== String(expected)) {
      throw new Error(`${c.name}: vgi result ${warm.rows[0][0]} != native ${expected}`);
    }
    const pids = findWorkers(process.pid, "bench-worker.cjs");
    const before = workerUsage(pids);
    const vgi = [];
    for (let i = 0; i < runs; i++) vgi.push((await time(connection, c.vgi)).seconds);
    const after = workerUsage(pids);
    const native = [];
    for (let i = 0; i < runs; i++) native.push((await time(connection, c.native)).seconds);
    const [v, n] = [median(vgi), median(native)];
    const row = {
      case: c.name,
      rows: c.rows,
      "vgi Mrows/s": (c.rows / v / 1e6).toFixed(2),
      "native Mrows/s": (c.rows / n / 1e6).toFixed(1),
      "vgi/native": (v / n).toFixed(1) + "x",
      "worker CPU s/run": ((after.cpu - before.cpu) / runs).toFixed(3),
      "worker peak RSS MiB": after.rss.toFixed(0),
    };
    if (values.floor) {
      const dir = mkdtempSync(path.join(tmpdir(), "vgi-bench-"));
      try {
        const { output } = record(c, dir);
        const floor = [];
        for (let i = 0; i < runs; i++) {
          const player = path.join(here, "playback-worker.mjs");
          const run = session(c.id, `node ${shellQuote(player)} ${shellQuote(output)}`);
          if (run.result !== String(expected)) throw new Error(`${c.name}: playback diverged`);
          floor.push(run.seconds);
        }
        row["floor Mrows/s"] = (c.rows / median(floor) / 1e6).toFixed(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    results.push(row);
  }
  // The first cold start after bundling writes the worker's code cache; the measured
  // ones use it, as every start after the first would.
  await coldStart(1);
  const cold = await coldStart(runs);
  console.table(results);
  console.log(
    `ATTACH + first call, cold worker (median of ${runs} fresh processes): ${cold.toFixed(0)} ms`,
  );
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const bare = await coldStart(runs, env);
    console.log(
      `  ${bare.toFixed(0)} ms without NODE_EXTRA_CA_CERTS (it is set here, and every node ` +
        "process parses that CA bundle at startup: ~0.1 s of CPU)",
    );
  }
  if (values.floor) {
    console.log(
      "floor: the same query against playback-worker.mjs, which answers from a recording " +
        "and does no Arrow work (extension + pipes + scheduling only)",
    );
  }
}

await main();
