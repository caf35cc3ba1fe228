/**
 * The AF_UNIX launcher transport (`LOCATION 'launch:<command>'`). The extension runs
 * `<command> --unix <path> --idle-timeout <seconds>` once per (command, directory,
 * `VGI_RPC_*` environment), system-wide: the worker binds the socket, prints
 * `UNIX:<path>` on stdout, and from then on serves every connection any DuckDB process
 * opens to it, each one a vgi-rpc session exactly like a stdio pipe. With no connection
 * open for `--idle-timeout` seconds it closes the socket and ends (a grace of at least
 * 60 s covers the time before the first connection).
 *
 * Connections share one process and one event loop: a warm worker answers in
 * milliseconds, and a function's in-process caches serve every query. A reply is copied
 * into one buffer before the socket takes it, because socket writes complete later and
 * functions may reuse their output memory once a write call returns.
 */
import { chmodSync, lstatSync, unlinkSync, writeSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { IpcReader, toVgiError } from "@vgi-ts/protocol";
import { PipeConnection, type ConnectionHooks } from "../rpc/pipe-connection.js";
import type { Router } from "../rpc/router.js";

export interface UnixSocketOptions extends ConnectionHooks {
  readonly serverId: string;
  /** Where to bind (made absolute). */
  readonly path: string;
  /** Seconds without connections before the worker ends; 0 or less: never. */
  readonly idleTimeoutSeconds: number;
  /** Told the bound path once the socket listens (the launcher's discovery line). */
  readonly onBound?: (path: string) => void;
}

/** The launcher waits at least this long for a first connection. */
const STARTUP_GRACE_SECONDS = 60;

/** Serve connections on a Unix socket until the idle timeout closes it. */
export async function serveUnixSocket(router: Router, options: UnixSocketOptions): Promise<void> {
  const socketPath = path.resolve(options.path);
  await refuseLiveListener(socketPath);
  removeStaleSocket(socketPath);
  let active = 0;
  const server = createServer((socket) => {
    active++;
    idle.disarm();
    socket.once("close", () => {
      if (--active === 0) idle.arm(options.idleTimeoutSeconds);
    });
    void serveConnection(router, socket, options);
  });
  const idle = new IdleTimer(() => {
    if (active === 0) server.close();
  });
  await listen(server, socketPath);
  const bound = identity(socketPath);
  options.onBound?.(socketPath);
  // No idle timeout (0): serve until killed, without a start-up deadline either.
  if (options.idleTimeoutSeconds > 0) {
    idle.arm(Math.max(options.idleTimeoutSeconds, STARTUP_GRACE_SECONDS));
  }
  await new Promise<void>((resolve) => server.once("close", resolve));
  idle.disarm();
  // libuv removes the path when the server closes; should it still be there, it is ours
  // only if it is the same file: a new worker may have bound the path in between.
  if (bound !== null && identity(socketPath) === bound) removeStaleSocket(socketPath);
}

/**
 * Which file is at `socketPath` (null: none). Device and inode alone are not enough: a
 * file created right after ours was removed often gets our inode number back.
 */
function identity(socketPath: string): string | null {
  try {
    const stat = lstatSync(socketPath, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.birthtimeNs}:${stat.ctimeNs}`;
  } catch {
    return null;
  }
}

/** One vgi-rpc session over an accepted connection. */
async function serveConnection(
  router: Router,
  socket: Socket,
  options: UnixSocketOptions,
): Promise<void> {
  const reader = new IpcReader(null, {
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  });
  socket.on("data", (chunk: Buffer) => reader.push(chunk));
  socket.on("end", () => reader.end());
  socket.on("error", (error) => reader.end(error));
  const write = (parts: readonly Uint8Array[]): void => {
    if (socket.destroyed || !socket.writable) {
      throw Object.assign(new Error("the client closed the connection"), { code: "EPIPE" });
    }
    socket.write(Buffer.concat(parts));
  };
  const connection = new PipeConnection(router, reader, write, options.serverId, options);
  try {
    await connection.serve();
  } catch (error) {
    // One broken connection ends only itself: the others and the worker carry on. DuckDB
    // resets a connection it retires (after an error reply): a normal end.
    if (!isReset(error)) options.onError?.(toVgiError(error), undefined);
  } finally {
    socket.end();
  }
}

function isReset(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}

/** Bind owner-only: the socket file is created under a 0077 umask, then chmod 0600. */
async function listen(server: Server, socketPath: string): Promise<void> {
  const umask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(socketPath, 0o600);
}

/** Two workers on one path would split DuckDB's connections: refuse a live one. */
function refuseLiveListener(socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createConnection(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      reject(new Error(`another process is already listening on ${socketPath}`));
    });
    probe.once("error", () => resolve());
  });
}

/** A socket file left by a worker that died: binding would fail with EADDRINUSE. */
function removeStaleSocket(socketPath: string): void {
  try {
    if (lstatSync(socketPath).isSocket()) unlinkSync(socketPath);
  } catch {
    // Nothing there.
  }
}

class IdleTimer {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly fire: () => void) {}

  arm(seconds: number): void {
    this.disarm();
    if (seconds <= 0) return;
    this.timer = setTimeout(this.fire, seconds * 1000);
  }

  disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The launcher's discovery line, written synchronously before anything else. */
export function announceUnixSocket(socketPath: string): void {
  writeSync(1, `UNIX:${socketPath}\n`);
}
