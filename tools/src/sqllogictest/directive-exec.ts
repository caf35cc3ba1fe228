/**
 * Execution of the non-SQL directives (require, require-env, set, mode,
 * load, restart, ...) with DuckDB's semantics: a missing requirement skips
 * the rest of the file; a malformed directive fails it.
 */
import { mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { checkBuildRequirement, loadStatement } from "./extensions.js";
import type { TestRecord } from "./records.js";
import type { ExecContext, FileRun } from "./runner.js";

async function requireExtension(run: FileRun, params: readonly string[]): Promise<void> {
  const name = (params[0] ?? "").toLowerCase();
  const build = checkBuildRequirement(params);
  if (build !== undefined) {
    if (!build) run.skip(`require ${params[0]}`);
    return;
  }
  const sql = loadStatement(name, run.extensionOverrides);
  const connection = await run.session.connection();
  const outcome = await run.session.execute(sql, connection, false);
  if (outcome.ok) {
    // Re-run after `restart` / `load`, like DuckDB re-loads required extensions.
    if (!run.session.startup.includes(sql)) run.session.startup.push(sql);
    return;
  }
  run.notes.push(`require ${params[0]}: ${outcome.error}`);
  run.skip(`require ${params[0]}`);
}

export async function runDirective(
  run: FileRun,
  record: TestRecord,
  ctx: ExecContext,
): Promise<void> {
  const inParallel = (what: string): void => {
    if (ctx.parallel) throw new Error(`Cannot ${what} in parallel`);
  };
  switch (record.kind) {
    case "require":
      return requireExtension(run, record.params);
    case "require-env": {
      const actual = run.env[record.name];
      if (actual === undefined) return run.skip(`require-env ${record.name}`);
      if (record.value !== undefined && actual !== record.value) {
        return run.skip(`require-env ${record.name} ${record.value}`);
      }
      if (run.keywords.variables.has(record.name)) {
        throw new Error(`Environment variable '${record.name}' has already been defined`);
      }
      run.keywords.variables.set(record.name, actual);
      return;
    }
    case "test-env":
      run.keywords.variables.set(record.name, run.env[record.name] ?? record.defaultValue);
      return;
    case "set":
      if (record.name === "ignore_error_messages") run.ignoreErrorMessages = [...record.values];
      else if (record.name === "always_fail_error_messages")
        run.alwaysFailErrorMessages = [...record.values];
      else {
        const seed = Number(record.values[0]);
        if (!Number.isFinite(seed)) throw new Error("set seed requires a floating point parameter");
        const outcome = await run.session.execute(
          `SELECT SETSEED(${seed})`,
          await run.session.connection(),
          false,
        );
        if (!outcome.ok) throw new Error(`Failed to set seed: ${outcome.error}`);
      }
      return;
    case "hash-threshold":
      run.hashThreshold = record.threshold;
      return;
    case "mode":
      switch (record.mode) {
        case "output_hash":
          run.outputHash = true;
          return;
        case "output_result":
        case "debug":
          run.outputResult = true;
          return;
        case "no_output":
          run.outputHash = false;
          run.outputResult = false;
          return;
        default:
          throw new Error(`unrecognized mode: ${record.mode}`);
      }
    case "reset-label":
      if (!run.labels.delete(record.label)) {
        run.fail({ line: record.line, title: `reset label ${record.label}: no such label` }, ctx);
      }
      return;
    case "load": {
      inParallel("load a database");
      const path = run.substitute(record.path, ctx);
      if (path !== "" && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const error = await run.session.load(path, record.readonly);
      if (error !== undefined) throw new Error(`Failed to load database ${path}: ${error}`);
      return;
    }
    case "restart": {
      inParallel("restart database");
      const error = await run.session.restart(record.loadExtensions ?? true);
      if (error !== undefined) throw new Error(`Failed to restart database: ${error}`);
      return;
    }
    case "reconnect":
      inParallel("reconnect");
      return run.session.reconnect();
    case "sleep":
      await delay(record.millis);
      return;
    case "unzip": {
      const input = run.substitute(record.input, ctx);
      const output = run.substitute(
        record.output ?? `__TEST_DIR__/${basename(input).slice(0, -3)}`,
        ctx,
      );
      await writeFile(output, gunzipSync(await readFile(input)));
      return;
    }
    case "continue": {
      const loop = ctx.loops[ctx.loops.length - 1];
      if (loop) loop.skipped = true;
      return;
    }
    case "parse-error":
      run.fail({ line: record.line, title: `Parse error: ${record.message}` }, ctx, true);
      return;
    case "halt":
      run.finished = true;
      return;
    default:
      throw new Error(`unsupported record ${record.kind}`);
  }
}
