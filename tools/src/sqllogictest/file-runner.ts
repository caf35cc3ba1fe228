/**
 * Child-process entry: runs exactly one test file in a fresh DuckDB and sends
 * its FileResult to the parent over IPC. A process per file is needed
 * because the vgi extension keeps a process-global worker pool and some
 * tests crash workers on purpose.
 *
 * Usage (by the scheduler): fork(file-runner.js, [JSON of FileRunnerArgs]).
 */
import type { ChildMessage, FileResult } from "./results.js";
import { runTestFile, type RunFileOptions } from "./runner.js";

export type FileRunnerArgs = RunFileOptions;

async function main(): Promise<void> {
  // The vgi extension phones home unless told not to, and crashes offline.
  process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
  const args = JSON.parse(process.argv[2] ?? "{}") as FileRunnerArgs;
  let result: FileResult;
  try {
    result = await runTestFile(args);
  } catch (error) {
    result = {
      file: args.name ?? args.path,
      status: "failed",
      failures: [{ line: 0, title: `runner error: ${(error as Error).stack ?? String(error)}` }],
      notes: [],
      recordsExecuted: 0,
      durationMs: 0,
    };
  }
  const message: ChildMessage = { type: "result", result };
  if (process.send) {
    // Exit explicitly: extension threads or worker handles may keep the loop alive.
    process.send(message, () => process.exit(0));
  } else {
    process.stdout.write(`${JSON.stringify(message)}\n`, () => process.exit(0));
  }
}

void main();
