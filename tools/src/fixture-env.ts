/**
 * The environment the upstream integration suite gates its files on (`require-env
 * VGI_TEST_WORKER`, `require-env VGI_BAD_PROTOCOL_WORKER`, ...), mapped to this
 * repository's fixture workers. One list, used by `vgi-sqllogictest` by default and so by
 * `npm run conformance`, so a new fixture bin is wired up in one place.
 *
 * A variable is only set when its bin exists in packages/fixtures/bin: a file gated on a
 * worker we do not ship is then skipped ("require-env ... not set") instead of failing.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { locateExtension } from "./sqllogictest/extensions.js";

export interface FixtureWorker {
  /** The variable the upstream `.test` files read. */
  env: string;
  /** The bin name in packages/fixtures/package.json (the reference's entry point name). */
  bin: string;
}

/** Upstream variables → fixture bins. Several variables may share one bin, as upstream. */
export const FIXTURE_WORKERS: readonly FixtureWorker[] = [
  { env: "VGI_TEST_WORKER", bin: "vgi-fixture-worker" },
  { env: "VGI_ATTACH_OPTIONS_WORKER", bin: "vgi-fixture-attach-options-worker" },
  // Upstream points both at the same worker; the required option lives in that catalog.
  { env: "VGI_ATTACH_OPTIONS_REQUIRED_WORKER", bin: "vgi-fixture-attach-options-worker" },
  { env: "VGI_BAD_PROTOCOL_WORKER", bin: "vgi-fixture-bad-protocol-worker" },
  { env: "VGI_BAD_ENUM_WORKER", bin: "vgi-fixture-bad-enum-worker" },
  { env: "VGI_SIMPLE_WRITABLE_WORKER", bin: "vgi-fixture-simple-writable-worker" },
  { env: "VGI_RULES_WORKER", bin: "vgi-fixture-rules-worker" },
  { env: "VGI_VERSIONED_WORKER", bin: "vgi-fixture-versioned-worker" },
  { env: "VGI_VERSIONED_TABLES_WORKER", bin: "vgi-fixture-versioned-tables-worker" },
  // Ours: upstream's companion files take VGI_TEST_WORKER itself (and a seeded DuckLake), so
  // they run through tools/scripts/companion-integration.mjs instead; our own companion
  // file names the worker under this variable.
  { env: "VGI_COMPANION_WORKER", bin: "vgi-fixture-companion-worker" },
];

/** Walks up from this module to the directory holding packages/fixtures (src or dist alike). */
export function findFixturesBinDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, "packages", "fixtures", "bin");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`packages/fixtures/bin not found above ${from}`);
    dir = parent;
  }
}

/** The command a variable resolves to: `node <launcher>` (no PATH or npx lookup needed). */
export function fixtureCommand(binDir: string, bin: string): string {
  return `node ${join(binDir, `${bin}.js`)}`;
}

export interface FixtureEnvOptions {
  /** packages/fixtures/bin; found from this module when omitted. */
  binDir?: string;
  /** Where per-run scratch files go (default: os.tmpdir(), i.e. $TMPDIR). */
  scratchDir?: string;
}

/** The variables to set for a run: one per fixture bin that exists, plus per-run paths. */
export function fixtureEnv(options: FixtureEnvOptions = {}): Record<string, string> {
  const binDir = options.binDir ?? findFixturesBinDir();
  const env: Record<string, string> = {};
  for (const { env: name, bin } of FIXTURE_WORKERS) {
    if (existsSync(join(binDir, `${bin}.js`))) env[name] = fixtureCommand(binDir, bin);
  }
  // The schema_reconcile fixture (hosted in VGI_TEST_WORKER) keeps its table in this
  // file; upstream's Makefile gives every run a fresh one.
  const scratch = mkdtempSync(join(options.scratchDir ?? tmpdir(), "vgi-fixture-env-"));
  env.VGI_SCHEMA_RECONCILE_DB = join(scratch, "vgi_schema_reconcile.sqlite");
  // Multi-branch tables read parquet/csv arms from this directory, which the upstream
  // files write with COPY first: the test and the worker must name the same directory.
  env.VGI_TEST_BRANCH_DIR = scratch;
  // Where our own companion file creates the DuckLake (SQLite metadata) the companion
  // worker attaches: a fresh lake per run.
  env.VGI_COMPANION_LAKE = join(scratch, "companion_lake.sqlite");
  // Upstream's iceberg runner sets this only where the iceberg extension loads; ours
  // comes from npm, so the iceberg cold-tier file runs whenever the package is there.
  if (locateExtension("iceberg") !== undefined) env.VGI_TEST_ICEBERG = "1";
  return env;
}
