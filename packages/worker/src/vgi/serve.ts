/**
 * The entry point a worker program calls: serve the given catalogs over the transport
 * the command line asks for: stdio by default, as DuckDB spawns workers, or with
 * `--unix <path> [--idle-timeout <seconds>]` an AF_UNIX socket, as the extension's
 * launcher (`LOCATION 'launch:<command>'`) runs them.
 * Environment: `VGI_WORKER_DEBUG=1` logs every call and error to stderr;
 * `VGI_QUIET=1` silences the worker's own stderr output. Otherwise the worker writes
 * one line to stderr only for a request it could not read (`[vgi-ts <id>] <kind>: ...`);
 * after input it cannot frame it answers the error and exits with code 0.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { CatalogRegistry, type Catalog } from "@vgi-ts/catalog";
import type { VgiError } from "@vgi-ts/protocol";
import { workerNice } from "../rpc/stream-priority.js";
import { Router } from "../rpc/router.js";
import { cancelOpenStreams } from "../rpc/pipe-connection.js";
import { serveStdio } from "../transports/stdio.js";
import { announceUnixSocket, serveUnixSocket } from "../transports/unix-socket.js";
import { createVgiProtocol } from "./vgi-protocol.js";
import type { SharedStorage } from "../storage/shared-storage.js";

export interface WorkerOptions {
  readonly catalogs: readonly Catalog[];
  /**
   * Where state shared by the processes of one query lives (aggregate states, ...).
   * Defaults to this process's memory, which is right only when one process serves a
   * whole query; pass `openSharedStorage()` from `@vgi-ts/storage-sqlite` otherwise.
   */
  readonly storage?: SharedStorage;
  /** Process environment to read settings from (defaults to `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The protocol version this worker enforces (default: the VGI version it implements).
   * Only a test fixture changes it, to see a mismatch rejected end to end.
   */
  readonly protocolVersion?: string;
  /** Command-line arguments to read the transport from (defaults to `process.argv`). */
  readonly argv?: readonly string[];
  /**
   * The nice value (0-19) of the main thread once it serves a stream, so that it does
   * not preempt the DuckDB thread writing its input (see stream-priority.ts). Defaults
   * to `VGI_WORKER_NICE`, else 5; 0 leaves the priority alone.
   */
  readonly streamNice?: number;
}

/** `--unix <path>` and `--idle-timeout <seconds>` (the launcher's), other arguments ignored. */
function unixSocketArgs(argv: readonly string[]): { path: string; idleSeconds: number } | null {
  const { values } = parseArgs({
    args: [...argv],
    options: { unix: { type: "string" }, "idle-timeout": { type: "string" } },
    strict: false,
    allowPositionals: true,
  });
  if (typeof values.unix !== "string") return null;
  const idle = Number(values["idle-timeout"] ?? 300);
  return { path: values.unix, idleSeconds: Number.isFinite(idle) ? idle : 300 };
}

export function createRouter(
  catalogs: readonly Catalog[],
  storage?: SharedStorage,
  protocolVersion?: string,
): Router {
  const protocol = createVgiProtocol(new CatalogRegistry(catalogs), storage);
  return new Router([
    protocolVersion === undefined ? protocol : { ...protocol, version: protocolVersion },
  ]);
}

/** How long a signalled worker waits for cancel hooks (DuckDB escalates to SIGKILL at 2 s). */
const CANCEL_GRACE_MS = 1000;

export async function serveWorker(options: WorkerOptions): Promise<void> {
  const env = options.env ?? process.env;
  const debug = env.VGI_WORKER_DEBUG === "1" || env.VGI_WORKER_DEBUG === "true";
  const quiet = env.VGI_QUIET === "1" || env.VGI_QUIET === "true";
  const serverId = randomBytes(6).toString("hex");
  const streamNice = workerNice(env, options.streamNice);
  const router = createRouter(options.catalogs, options.storage, options.protocolVersion);
  const onError = (error: VgiError, method: string | undefined): void => {
    if (quiet) return;
    if (debug)
      process.stderr.write(
        `[vgi-ts ${serverId}] ${method ?? "?"} failed: ${error.stack ?? error.message}\n`,
      );
    // A request that could not be read at all (bad framing or routing metadata) belongs
    // to no call: leave one typed line on stderr, where the extension collects it.
    else if (method === undefined)
      process.stderr.write(
        `[vgi-ts ${serverId}] ${error.kind}: ${error.message.replace(/\s+/g, " ")}\n`,
      );
  };
  const unix = unixSocketArgs(options.argv ?? process.argv.slice(2));
  installSignalHandlers(unix === null);
  if (unix !== null) {
    // stdout carries only the discovery line, and the launcher closes it after reading.
    console.log = console.error;
    console.info = console.error;
    await serveUnixSocket(router, {
      serverId,
      onError,
      streamNice,
      path: unix.path,
      idleTimeoutSeconds: unix.idleSeconds,
      onBound: announceUnixSocket,
    });
    return;
  }
  try {
    await serveStdio(router, { serverId, onError, streamNice });
  } catch (error) {
    // DuckDB drops a table-in-out substream's worker at the end of the query by closing
    // its pipes, possibly while the answer is being written: a normal end, not a crash.
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

/**
 * DuckDB closes stdin to stop a worker, and signals it (SIGTERM) when it abandons a
 * connection mid-stream. A signal ends the process without a stack dump, after giving
 * the cancel hooks of open streams a moment (best effort, at most `CANCEL_GRACE_MS`).
 */
function installSignalHandlers(stdoutIsProtocol: boolean): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      const grace = setTimeout(() => process.exit(0), CANCEL_GRACE_MS);
      void cancelOpenStreams().finally(() => {
        clearTimeout(grace);
        process.exit(0);
      });
    });
  }
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // Over stdio a closed stdout is DuckDB gone; a launched worker's was only for discovery.
    if (error.code === "EPIPE" && stdoutIsProtocol) process.exit(0);
  });
}
