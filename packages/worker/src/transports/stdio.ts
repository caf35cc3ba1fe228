/**
 * The subprocess transport: DuckDB spawns the worker through `sh -c` and speaks Arrow
 * IPC on its stdin/stdout; stderr is free for diagnostics (the extension drains it and
 * attaches it to errors). This adapter only moves bytes.
 *
 * Input: stdin 'data' chunks are pushed straight into the reader (no async iterator),
 * so a batch that has arrived is decoded and answered in the same tick. Output: one
 * synchronous vectored write per logical batch, straight from the Arrow buffers.
 */
import { writeSync, writevSync } from "node:fs";
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
  const stdin = process.stdin;
  const reader = new IpcReader(null, {
    pause: () => stdin.pause(),
    resume: () => stdin.resume(),
  });
  stdin.on("data", (chunk: Buffer) => reader.push(chunk));
  stdin.on("end", () => reader.end());
  stdin.on("error", (error) => reader.end(error));
  const connection = new PipeConnection(router, reader, writeParts, options.serverId, options);
  try {
    await connection.serve();
  } finally {
    stdin.pause();
  }
}

/** Past this many parts, writev is split (IOV_MAX is 1024 on Linux). */
const MAX_PARTS_PER_WRITE = 512;

/**
 * Synchronous, complete writes: one logical batch per call and no interleaving with
 * anything else. A write can be partial, and on a non-blocking fd a full pipe throws
 * EAGAIN: continue from where it stopped once the reader has caught up.
 */
export function writeParts(parts: readonly Uint8Array[], fd = 1): void {
  let index = 0;
  let skip = 0; // bytes of parts[index] already written
  while (index < parts.length) {
    if (parts[index]!.byteLength === skip) {
      index++;
      skip = 0;
      continue;
    }
    let written: number;
    try {
      if (index === parts.length - 1 || skip !== 0) {
        const part = parts[index]!;
        written = writeSync(fd, part, skip, part.byteLength - skip);
      } else {
        written = writevSync(fd, parts.slice(index, index + MAX_PARTS_PER_WRITE) as Uint8Array[]);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      continue;
    }
    // Advance over what was written, possibly several parts and part of one more.
    written += skip;
    while (index < parts.length && written >= parts[index]!.byteLength) {
      written -= parts[index]!.byteLength;
      index++;
    }
    skip = written;
  }
}
