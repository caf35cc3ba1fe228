#!/usr/bin/env node
// The catalog bench's worker-side work without DuckDB or pipes, in CPU milliseconds
// (process.cpuUsage), each sample a fresh process started the way the bench starts its
// worker (the bundle from a V8 code cache): start-up (Node + loading the bundle),
// defining the `wide` catalog, the first listing of its tables (catalog_schema_contents_
// tables), encoding that reply's IPC stream, and, separately, the first function listing.
// Garbage collection time (from perf_hooks) is shown per step in brackets.
//
//   node tools/bench/catalog-listing-cpu.mjs [--runs N] [--size N] [--profile DIR]
//
// `--profile DIR` starts each sample with `--cpu-prof --cpu-prof-dir=DIR`. The sample
// itself is catalog-listing-child.mjs, bundled as the bench's worker is.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import path from "node:path";
import { bundleWorker } from "./bundle-worker.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

{
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "7" },
      size: { type: "string", default: "10000" },
      profile: { type: "string" },
    },
  });
  const bundle = await bundleWorker("catalog-listing-child");
  const flags =
    values.profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${values.profile}`];
  const run = () =>
    JSON.parse(
      execFileSync(process.execPath, [...flags, path.join(here, "launch-cached.cjs"), bundle], {
        env: { ...process.env, VGI_BENCH_CATALOG_SIZE: values.size },
        encoding: "utf8",
      }),
    );
  run(); // writes the code cache
  const samples = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const sample = run();
    samples.push(sample);
    console.log(format(sample));
  }
  const median = {};
  for (const key of Object.keys(samples[0])) {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    median[key] = sorted[Math.floor(sorted.length / 2)];
  }
  console.log(`median (each step separately): ${format(median)}`);
}

function format(s) {
  const step = (name, key) => `${name} ${s[key].toFixed(0)} [gc ${s[`${key}Gc`].toFixed(0)}]`;
  return [
    step("start", "start"),
    step("define", "define"),
    step("tables", "tables"),
    step("reply", "reply"),
    `= ${s.total.toFixed(0)} ms CPU;`,
    step("functions", "functions"),
    `(ms CPU)`,
  ].join(" ");
}
