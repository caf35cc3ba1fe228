#!/usr/bin/env node
// The worker catalog-bench.mjs attaches: catalog `wide` with 10,000 tables (each over the
// one table function `rows`) and 10,000 scalar functions in schema main.
import { writeFileSync } from "node:fs";
import { serveWorker } from "@vgi-ts/worker";
import { wideCatalog } from "./catalog-wide.mjs";

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
serveWorker({
  catalogs: [wideCatalog(COUNT)],
}).catch((error) => {
  process.stderr.write(`catalog bench worker: ${error?.stack ?? error}\n`);
  process.exit(1);
});
