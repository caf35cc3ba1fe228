// Writable catalog tables through VGI: statements on `tx_writable` (transactions, rows in
// shared sqlite storage), each timed end to end through DuckDB. Every write batch used to
// re-read and re-fold the table's whole change log, so these grow with the table size.
//
//   node tools/bench/writable-bench.mjs [--rows N] [--threads N]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { openDuckDB } from "./duckdb-session.mjs";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    threads: { type: "string", default: "2" },
    profile: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const worker = path.join(root, "packages/fixtures/bin/vgi-fixture-simple-writable-worker.js");
const scratch = mkdtempSync(path.join(os.tmpdir(), "vgi-writable-bench-"));
process.env.VGI_WORKER_SHARED_STORAGE_PATH = path.join(scratch, "shared.sqlite");

const { connection } = await openDuckDB();
await connection.run(`SET threads = ${Number(values.threads)}`);
// --profile DIR: one .cpuprofile per worker process, written when DuckDB closes it.
const node = values.profile
  ? `node --cpu-prof --cpu-prof-dir ${path.resolve(values.profile)}`
  : "node";
await connection.run(`ATTACH 'tx_writable' AS w (TYPE vgi, LOCATION '${node} ${worker}')`);

async function time(label, sql) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s  ${JSON.stringify(reader.getRows()[0] ?? [], (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`,
  );
  return seconds;
}

const half = Math.floor(ROWS / 2);
await time(
  `INSERT ${ROWS} rows, primary key (accounts)`,
  `INSERT INTO w.accounts SELECT i, 'o' || i, i FROM range(${ROWS}) t(i)`,
);
await time(
  `INSERT ${ROWS} rows, no key (events)`,
  `INSERT INTO w.events SELECT i, 'e' || i FROM range(${ROWS}) t(i)`,
);
await time(
  `INSERT 1 row into ${ROWS} (accounts)`,
  `INSERT INTO w.accounts VALUES (${ROWS}, 'one', 1)`,
);
await time(
  `INSERT 1 row into ${ROWS} again (accounts)`,
  `INSERT INTO w.accounts VALUES (${ROWS + 1}, 'two', 2)`,
);
await time(
  `UPDATE ${ROWS / 10} of ${ROWS} (accounts)`,
  `UPDATE w.accounts SET balance = balance + 1 WHERE id % 10 = 0`,
);
await time(`DELETE ${half} of ${ROWS} (events)`, `DELETE FROM w.events WHERE n % 2 = 0`);
await time(`DELETE ${half} of ${ROWS} (accounts)`, `DELETE FROM w.accounts WHERE id % 2 = 0`);
await time(`SELECT count, sums (accounts)`, `SELECT count(*), sum(balance) FROM w.accounts`);
await time(`SELECT count (events)`, `SELECT count(*), sum(n) FROM w.events`);
connection.closeSync();
rmSync(scratch, { recursive: true, force: true });
