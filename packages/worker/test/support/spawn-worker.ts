/**
 * Spawned workers: a bundled worker run as DuckDB runs it (`node <bundle>`), with a
 * wire client on its pipes, its stderr collected and its exit observed.
 */
import { WireClient } from "./wire-client.js";

// ---- spawned workers ----------------------------------------------------------------------

export interface SpawnedWorker {
  readonly child: import("node:child_process").ChildProcessWithoutNullStreams;
  readonly client: WireClient;
  /** Everything the worker wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Run a bundled worker as DuckDB does (`node <bundle>`), with a client on its pipes. */
export async function spawnWorker(
  bundle: string,
  env: Record<string, string> = {},
): Promise<SpawnedWorker> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, VGI_WORKER_DEBUG: "", VGI_QUIET: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    stderr += text;
  });
  // A worker that exits early makes writes fail with EPIPE; the test sees the exit.
  child.stdin.on("error", () => {});
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const output = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const client = new WireClient((bytes) => child.stdin.write(bytes), output, 10_000);
  return { child, client, stderr: () => stderr, exited };
}
