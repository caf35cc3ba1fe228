#!/usr/bin/env node
// The worker catalog-bench.mjs attaches: catalog `wide` with 10,000 tables (each over the
// one table function `rows`) and 10,000 scalar functions in schema main.
import { writeFileSync } from "node:fs";
import { Int64 } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { defineCatalog } from "@vgi-ts/catalog";
import { scalarFunction, serveWorker, tableFunction } from "@vgi-ts/worker";

const COUNT = Number(process.env.VGI_BENCH_CATALOG_SIZE ?? 10_000);

// The bench reads this worker's own CPU time and peak RSS from here once it exits (the
// extension's pool may retire it before the bench could look at /proc).
const usageFile = process.env.VGI_BENCH_USAGE_FILE;
if (usageFile !== undefined) {
  process.on("exit", () => {
    const cpu = process.cpuUsage();
    const usage = {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    writeFileSync(`${usageFile}.${process.pid}`, JSON.stringify(usage));
  });
}
const bigint = { sqlName: "BIGINT", arrowType: () => new Int64() };

const rows = tableFunction({
  name: "rows",
  arguments: [{ name: "count", type: bigint }],
  columns: { n: bigint },
  start: ({ args }) => ({ left: Number(args.count) }),
  produce: (state) => {
    if (state.left <= 0) return null;
    const out = new BigInt64Array(state.left).map((_, i) => BigInt(i));
    state.left = 0;
    return { n: out };
  },
});

const functions = Array.from({ length: COUNT }, (_, i) =>
  scalarFunction({
    name: `f_${i}`,
    description: `function ${i}`,
    arguments: [{ name: "x", type: bigint }],
    returns: bigint,
    compute: (input) => input.columns[0],
  }),
);

const tables = Array.from({ length: COUNT }, (_, i) => ({
  name: `t_${i}`,
  comment: `table ${i}`,
  columns: { n: sql.bigint, v: sql.bigint },
  scan: { functionName: "rows", positional: [BigInt(i % 10)] },
}));

serveWorker({
  catalogs: [
    defineCatalog({
      name: "wide",
      schemas: [{ path: "main", functions: [rows, ...functions], tables }],
    }),
  ],
}).catch((error) => {
  process.stderr.write(`catalog bench worker: ${error?.stack ?? error}\n`);
  process.exit(1);
});
