/**
 * The AF_UNIX launcher transport, with a real bundled worker started the way the
 * extension's launcher starts it (`node <bundle> --unix <path> --idle-timeout <s>`): it
 * announces the socket on stdout, serves several connections at once, survives a broken
 * one, refuses a second worker on its path, and ends itself once idle.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { CatalogCatalogsResultCodec, ErrorKind } from "@vgi-ts/protocol";
import { TEST_WORKERS } from "./worker-paths.js";
import {
  EMPTY_PARAMS,
  Prng,
  WireClient,
  requestBytes,
  unwrapResult,
  withTimeout,
} from "./support.js";

const BUNDLE = TEST_WORKERS.errors.bundle;
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Launched {
  readonly child: ChildProcess;
  readonly socketPath: string;
  /** What the worker printed on stdout before serving. */
  readonly discovery: string;
  readonly exited: Promise<number | string>;
  stderr(): string;
}

/** Start a worker on `<dir>/w.sock` and wait for its discovery line. */
async function launch(dir: string, idleSeconds: number): Promise<Launched> {
  const socketPath = path.join(dir, "w.sock");
  const child = spawn(
    process.execPath,
    [BUNDLE, "--unix", socketPath, "--idle-timeout", String(idleSeconds)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, VGI_QUIET: "" } },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  cleanups.push(() => child.kill("SIGKILL"));
  const discovery = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (text: string) => {
        out += text;
        if (out.includes("\n")) resolve(out);
      });
      child.once("exit", () => reject(new Error(`worker exited before discovery: ${stderr}`)));
    }),
    10_000,
    "the discovery line",
  );
  return { child, socketPath, discovery, exited, stderr: () => stderr };
}

/** A client on a fresh connection to the worker's socket. */
async function connect(socketPath: string): Promise<{ client: WireClient; socket: Socket }> {
  const socket = createConnection(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const output = socket[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return { client: new WireClient((bytes) => socket.write(bytes), output, 10_000), socket };
}

async function catalogName(client: WireClient): Promise<string | undefined> {
  const response = await client.call(requestBytes(EMPTY_PARAMS, "catalog_catalogs"));
  expect(response.error).toBeUndefined();
  return unwrapResult(response, CatalogCatalogsResultCodec).result.items[0]?.name;
}

function scratch(): string {
  // AF_UNIX paths are short (108 bytes): a directory under /tmp, not a deep TMPDIR.
  const dir = mkdtempSync(path.join(os.tmpdir().length > 60 ? "/tmp" : os.tmpdir(), "vgi-sock-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("unix socket transport", () => {
  test("announces UNIX:<absolute path> and binds an owner-only socket", async () => {
    const worker = await launch(scratch(), 30);
    expect(worker.discovery).toBe(`UNIX:${worker.socketPath}\n`);
    const stat = statSync(worker.socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  test("serves several connections at once, each its own session", async () => {
    const worker = await launch(scratch(), 30);
    const a = await connect(worker.socketPath);
    const b = await connect(worker.socketPath);
    const [nameA, nameB] = await Promise.all([catalogName(a.client), catalogName(b.client)]);
    expect(nameA).toBe("example");
    expect(nameB).toBe("example");
    // Interleaved on both, in turn.
    for (let i = 0; i < 3; i++) {
      expect(await catalogName(b.client)).toBe("example");
      expect(await catalogName(a.client)).toBe("example");
    }
    a.socket.destroy();
    b.socket.destroy();
  });

  test("a connection sending garbage gets an error and ends; the others carry on", async () => {
    const worker = await launch(scratch(), 30);
    const good = await connect(worker.socketPath);
    const bad = await connect(worker.socketPath);
    const response = await bad.client.call(
      new TextEncoder().encode("this is not Arrow IPC at all"),
    );
    expect(response.error?.kind).toBe(ErrorKind.MalformedRequest);
    expect(await catalogName(good.client)).toBe("example");
    const late = await connect(worker.socketPath);
    expect(await catalogName(late.client)).toBe("example");
    expect(worker.child.exitCode).toBeNull();
    for (const c of [good, bad, late]) c.socket.destroy();
  });

  test("many connections writing random bytes and hanging up never take the worker down", async () => {
    const worker = await launch(scratch(), 30);
    const prng = new Prng(20261127);
    const valid = requestBytes(EMPTY_PARAMS, "catalog_catalogs");
    const attempts = Array.from({ length: 24 }, async (_, i) => {
      const socket = createConnection(worker.socketPath);
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.on("error", () => {});
      // Noise, a valid request cut short, or a valid request with its tail flipped.
      const kind = i % 3;
      const bytes =
        kind === 0
          ? prng.bytes(1 + prng.int(4096))
          : kind === 1
            ? valid.subarray(0, 1 + prng.int(valid.byteLength - 1))
            : Uint8Array.from(valid, (b, j) => (j > valid.byteLength - 40 ? b ^ 0xff : b));
      socket.write(bytes);
      await new Promise((resolve) => setTimeout(resolve, prng.int(50)));
      socket.destroy();
    });
    await Promise.all(attempts);
    const { client, socket } = await connect(worker.socketPath);
    expect(await catalogName(client)).toBe("example");
    socket.destroy();
    expect(worker.child.exitCode).toBeNull();
    expect(worker.stderr()).not.toMatch(/Uncaught|FATAL|node:internal/);
  });

  test("a second worker on a live path refuses to start", async () => {
    const dir = scratch();
    const first = await launch(dir, 30);
    await expect(launch(dir, 30)).rejects.toThrow(/already listening/);
    expect(await catalogName((await connect(first.socketPath)).client)).toBe("example");
  });

  test("with no connection for the idle timeout it removes its socket and exits 0", async () => {
    const worker = await launch(scratch(), 1);
    const { client, socket } = await connect(worker.socketPath);
    expect(await catalogName(client)).toBe("example");
    socket.destroy();
    expect(await withTimeout(worker.exited, 10_000, "the idle worker to exit")).toBe(0);
    expect(existsSync(worker.socketPath)).toBe(false);
  });
});
