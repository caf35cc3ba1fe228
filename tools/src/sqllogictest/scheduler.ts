/**
 * Runs test files in child processes (one per file, a fresh DuckDB each)
 * with bounded concurrency and a per-file timeout. Each child gets its own
 * process group so a timeout also kills the vgi worker processes it spawned.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileRunnerArgs } from "./file-runner.js";
import type { ChildMessage, FileResult } from "./results.js";

export interface TestFile {
  /** Absolute path. */
  path: string;
  /** How the file is named in output (relative to the invocation directory when possible). */
  name: string;
  /** Reporting group: the top-level directory below its suite. */
  group: string;
}

export interface ScheduleOptions {
  files: readonly TestFile[];
  /** Path of the built file-runner.js. */
  runnerEntry: string;
  jobs: number;
  timeoutMs: number;
  /** Working directory of every child. */
  cwd: string;
  /** Extra environment for the children (on top of process.env). */
  env: Readonly<Record<string, string>>;
  extensionOverrides: Readonly<Record<string, string>>;
  /** Keep each file's __TEST_DIR__ instead of deleting it afterwards. */
  keepTestDirs?: boolean;
  onStart?: (file: TestFile) => void;
  onResult?: (result: FileResult, file: TestFile, index: number) => void;
}

/** Output kept from a child: the tail matters most when a worker crashes. */
const MAX_OUTPUT = 256 * 1024;
/** How long a child may take to exit after it has reported its result. */
const EXIT_GRACE_MS = 10_000;

/** Children still running; killed (with their workers) if this process exits. */
const active = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of active) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * A `launch:` worker is a daemon the extension starts once per state directory and reuses
 * from any DuckDB process. It lives in the process group of the file that started it, so
 * it dies with that file: give every file its own state directory (the extension puts it
 * under `$XDG_RUNTIME_DIR`), so files running side by side never share a daemon.
 */
function launcherStateDir(
  env: Readonly<Record<string, string | undefined>>,
  testDir: string,
): Record<string, string> {
  const launches = Object.values(env).some((value) => value?.startsWith("launch:") === true);
  return launches ? { XDG_RUNTIME_DIR: testDir } : {};
}

function runOne(file: TestFile, options: ScheduleOptions): Promise<FileResult> {
  const testDir = mkdtempSync(join(tmpdir(), "vgi-slt-"));
  const args: FileRunnerArgs = {
    path: file.path,
    name: file.name,
    testDir,
    workingDir: options.cwd,
    extensionOverrides: options.extensionOverrides,
  };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = fork(options.runnerEntry, [JSON.stringify(args)], {
      cwd: options.cwd,
      env: {
        ...process.env,
        UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? "8",
        ...options.env,
        ...launcherStateDir({ ...process.env, ...options.env }, testDir),
        QUERY_FARM_TELEMETRY_OPT_OUT: "1",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: [],
      detached: true,
    });
    let output = "";
    const capture = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (output.length > MAX_OUTPUT * 2) output = output.slice(-MAX_OUTPUT);
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    let result: FileResult | undefined;
    let timedOut = false;
    active.add(child);
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "result") return;
      result = message.result;
      setTimeout(() => killGroup(child, "SIGKILL"), EXIT_GRACE_MS).unref();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => capture(Buffer.from(`\n[spawn error] ${error.message}\n`)));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      active.delete(child);
      // Workers the extension left behind in the child's group.
      killGroup(child, "SIGKILL");
      if (!options.keepTestDirs) rmSync(testDir, { recursive: true, force: true });
      const stderr = output.trim() === "" ? undefined : output.slice(-MAX_OUTPUT).trimEnd();
      const durationMs = Date.now() - started;
      if (result !== undefined) {
        resolve({ ...result, file: file.name, stderr, durationMs });
        return;
      }
      const title = timedOut
        ? `timed out after ${Math.round(options.timeoutMs / 1000)} s (process killed)`
        : `runner process exited (${signal ?? `code ${code}`}) without a result`;
      resolve({
        file: file.name,
        status: "failed",
        failures: [{ line: 0, title }],
        notes: [],
        recordsExecuted: 0,
        durationMs,
        stderr,
        timedOut,
      });
    });
  });
}

/** Runs every file; results come back in the order of `options.files`. */
export async function runFiles(options: ScheduleOptions): Promise<FileResult[]> {
  const results: FileResult[] = new Array<FileResult>(options.files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.files.length) {
      const index = next++;
      const file = options.files[index];
      if (file === undefined) continue;
      options.onStart?.(file);
      const result = await runOne(file, options);
      results[index] = result;
      options.onResult?.(result, file, index);
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs, options.files.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}
