#!/usr/bin/env node
/**
 * vgi-sqllogictest: runs sqllogictest files (e.g. the DuckDB vgi extension's
 * integration suite) against real DuckDB 1.5.5 with the vgi extension, one
 * child process per file, and writes a run-once-inspect-many report.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fixtureEnv } from "../fixture-env.js";
import { discover } from "./discover.js";
import { countStatuses, formatFailure, totalsLine, writeReport, type RunReport } from "./report.js";
import type { FileResult } from "./results.js";
import { runFiles } from "./scheduler.js";

const USAGE = `Usage: vgi-sqllogictest [options] [files or directories...]

  --suite <dir>          run every .test file below <dir> (repeatable)
  --files-from <path>    run the files listed in <path>, one per line (e.g. failed.txt)
  --filter <pattern>     only files whose path contains <pattern>, or matches it as a glob
  --exclude-file <path>  skip files listed in <path>: "path [reason]" per line, # comments
  --env KEY=VALUE        set an environment variable for the test processes (repeatable)
  --no-fixture-env       do not point VGI_TEST_WORKER, VGI_BAD_PROTOCOL_WORKER, ... at this
                         repository's fixture workers (by default each variable not already
                         set in the environment or by --env names its fixture bin)
  --extension NAME=PATH  load extension NAME from PATH instead of its npm package
  --jobs <n>             files run in parallel (default 2)
  --timeout <seconds>    per-file timeout; the file fails and its process is killed (default 120)
  --cwd <dir>            working directory of the test processes (default: current directory)
  --out <dir>            report directory (default .conformance/latest)
  --keep-test-dirs       keep each file's __TEST_DIR__ after it ran
  --verbose              print every failure in full as it happens
  -h, --help             show this help`;

function keyValues(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0) throw new Error(`${flag} expects KEY=VALUE, got "${value}"`);
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/**
 * The test processes' extra environment: the fixture workers' variables as defaults (below
 * both the inherited environment and --env), then --env.
 */
function runEnv(explicit: Record<string, string>, withFixtures: boolean): Record<string, string> {
  if (!withFixtures) return explicit;
  const defaults = Object.entries(fixtureEnv()).filter(([key]) => process.env[key] === undefined);
  return { ...Object.fromEntries(defaults), ...explicit };
}

function positiveNumber(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${flag} expects a positive number, got "${text}"`);
  return value;
}

function progressLine(result: FileResult, done: number, total: number): string {
  const label = { passed: "PASS", failed: "FAIL", skipped: "SKIP" }[result.status];
  const head = `[${done}/${total}] ${label} ${result.file}`;
  const time = `(${(result.durationMs / 1000).toFixed(1)}s)`;
  if (result.status === "skipped") return `${head}: ${result.skipReason ?? "skipped"}`;
  if (result.status === "passed") return `${head} ${time}`;
  const first = result.failures[0];
  const more = result.failures.length > 1 ? ` (+${result.failures.length - 1} more)` : "";
  return `${head} ${time}: line ${first?.line ?? 0}: ${first?.title.split("\n")[0] ?? "failed"}${more}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      suite: { type: "string", multiple: true, default: [] },
      "files-from": { type: "string", multiple: true, default: [] },
      filter: { type: "string", multiple: true, default: [] },
      "exclude-file": { type: "string", multiple: true, default: [] },
      env: { type: "string", multiple: true, default: [] },
      "no-fixture-env": { type: "boolean", default: false },
      extension: { type: "string", multiple: true, default: [] },
      jobs: { type: "string" },
      timeout: { type: "string" },
      cwd: { type: "string" },
      out: { type: "string", default: ".conformance/latest" },
      "keep-test-dirs": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const baseDir = process.cwd();
  const discovery = discover({
    suites: values.suite,
    paths: positionals,
    filesFrom: values["files-from"].map((p) => readFileSync(resolve(baseDir, p), "utf8")),
    filters: values.filter,
    excludeLists: values["exclude-file"].map((p) => readFileSync(resolve(baseDir, p), "utf8")),
    baseDir,
  });
  if (discovery.missing.length > 0) {
    console.error(`vgi-sqllogictest: not found: ${discovery.missing.join(", ")}`);
    return 2;
  }
  const jobs = Math.floor(positiveNumber(values.jobs, 2, "--jobs"));
  const timeoutMs = positiveNumber(values.timeout, 120, "--timeout") * 1000;
  const outDir = resolve(baseDir, values.out);
  const total = discovery.files.length + discovery.excluded.length;
  const startedAt = new Date();
  let done = 0;
  const report: RunReport = { startedAt: startedAt.toISOString(), durationMs: 0, files: [] };
  const print = (result: FileResult): void => {
    done++;
    console.log(progressLine(result, done, total));
    if (values.verbose) {
      for (const failure of result.failures) console.log(formatFailure(result.file, failure));
    }
  };
  for (const { file, reason } of discovery.excluded) {
    const result: FileResult = {
      file: file.name,
      status: "skipped",
      skipReason: `excluded: ${reason}`,
      failures: [],
      notes: [],
      recordsExecuted: 0,
      durationMs: 0,
    };
    report.files.push({ file, result });
    print(result);
  }
  const results = await runFiles({
    files: discovery.files,
    runnerEntry: fileURLToPath(new URL("./file-runner.js", import.meta.url)),
    jobs,
    timeoutMs,
    cwd: resolve(baseDir, values.cwd ?? "."),
    env: runEnv(keyValues(values.env, "--env"), !values["no-fixture-env"]),
    extensionOverrides: keyValues(values.extension, "--extension"),
    keepTestDirs: values["keep-test-dirs"],
    onResult: (result) => print(result),
  });
  results.forEach((result, i) => {
    const file = discovery.files[i];
    if (file !== undefined) report.files.push({ file, result });
  });
  report.files.sort((a, b) => a.file.path.localeCompare(b.file.path));
  report.durationMs = Date.now() - startedAt.getTime();
  writeReport(outDir, report);
  const totals = countStatuses(report.files.map((f) => f.result));
  console.log(`report: ${outDir}/summary.txt`);
  console.log(totalsLine(totals));
  return totals.failed > 0 ? 1 : 0;
}

process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`vgi-sqllogictest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
