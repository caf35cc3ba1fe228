/**
 * The subprocess transport: DuckDB spawns the worker through `sh -c` and speaks Arrow
 * IPC on its stdin/stdout; stderr is free for diagnostics (the extension drains it and
 * attaches it to errors). This adapter only moves bytes.
 */
import { writeSync } from "node:fs";
import { IpcReader } from "@vgi-ts/protocol";
import { PipeConnection, type ConnectionHooks } from "../rpc/pipe-connection.js";
import type { Router } from "../rpc/router.js";

export interface StdioOptions extends ConnectionHooks {
  readonly serverId: string;
}

/** Serve stdin/stdout until stdin closes. */
export async function serveStdio(router: Router, options: StdioOptions): Promise<void> {
  // stdout carries protocol bytes only: anything user code prints goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const reader = new IpcReader(process.stdin[Symbol.asyncIterator]());
  const connection = new PipeConnection(router, reader, writeAll, options.serverId, options);
  await connection.serve();
}

/**
 * Synchronous, complete writes: one logical batch per call and no interleaving with
 * anything else. `writeSync` on a full pipe throws EAGAIN when the fd is non-blocking,
 * so retry until the reader catches up.
 */
function writeAll(bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) {
    try {
      offset += writeSync(1, bytes, offset, bytes.byteLength - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
