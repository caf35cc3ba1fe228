#!/usr/bin/env node
// Runs the upstream companion-catalog files (test/sql/integration/catalog/companion_*.test) the
// way upstream's test/run_companion_integration.sh does: seed a DuckLake, point the companion
// fixture worker at it, then three runs with different worker environments (plain; a poison
// second companion; the companion attached hidden). Each file needs its own environment, so
// they cannot share one vgi-sqllogictest run.
//
//   node tools/scripts/companion-integration.mjs [<upstream test/sql/integration>] [--out <dir>]
//
// The suite defaults to $VGI_UPSTREAM_SUITE. Reports go to <out>/<file>/ (default
// .conformance/companion). Exit status 1 when any file failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findFixturesBinDir, fixtureCommand } from "../dist/index.js";
import { seedCompanionLake } from "./seed-companion-lake.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.resolve(here, "../bin/vgi-sqllogictest.js");

/** The three upstream runs: file and the worker environment beyond the lake's target. */
export const COMPANION_RUNS = [
  { file: "catalog/companion_catalogs.test", env: {} },
  { file: "catalog/companion_partial_failure.test", env: { VGI_TEST_COMPANION_POISON: "1" } },
  { file: "catalog/companion_hidden.test", env: { VGI_TEST_COMPANION_HIDDEN: "1" } },
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string", default: ".conformance/companion" } },
});
const suite = positionals[0] ?? process.env.VGI_UPSTREAM_SUITE;
if (suite === undefined || !existsSync(suite)) {
  console.log("no upstream suite given (argument or VGI_UPSTREAM_SUITE): companion run skipped");
  process.exit(0);
}

const scratch = mkdtempSync(path.join(tmpdir(), "vgi-companion-"));
let failed = false;
try {
  const target = await seedCompanionLake(scratch);
  console.log(`seeded DuckLake at ${target}`);
  const worker = fixtureCommand(findFixturesBinDir(runner), "vgi-fixture-companion-worker");
  for (const run of COMPANION_RUNS) {
    const env = { VGI_TEST_WORKER: worker, VGI_TEST_COMPANION_TARGET: target, ...run.env };
    const args = [runner, "--suite", path.join(suite, run.file)];
    for (const [key, value] of Object.entries(env)) args.push("--env", `${key}=${value}`);
    args.push("--out", path.join(values.out, path.basename(run.file, ".test")));
    const result = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (result.status !== 0) failed = true;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
