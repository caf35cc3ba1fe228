/**
 * A real worker process (the bundled error test worker) spoken to over its stdin and
 * stdout by a hand-made client: wire-level errors come back as typed error batches, and
 * no input — however broken — makes the process die with an uncaught exception.
 */
import { afterEach, describe, expect, test } from "vitest";
import { Field, RecordBatch, Schema, Struct, Utf8, makeData, vectorFromArray } from "apache-arrow";
import {
  CatalogCatalogsResultCodec,
  ErrorKind,
  PROTOCOL_VERSION_KEY,
  REQUEST_VERSION_KEY,
  encodeStream,
} from "@vgi-ts/protocol";
import { TEST_WORKERS } from "./worker-paths.js";
import {
  EMPTY_PARAMS,
  Prng,
  requestBytes,
  requestMetadata,
  spawnWorker,
  unwrapResult,
  withTimeout,
  type SpawnedWorker,
} from "./support.js";

const BUNDLE = TEST_WORKERS.errors.bundle;
const running: SpawnedWorker[] = [];

async function start(): Promise<SpawnedWorker> {
  const worker = await spawnWorker(BUNDLE);
  running.push(worker);
  return worker;
}

afterEach(async () => {
  for (const worker of running.splice(0)) {
    worker.child.stdin.end();
    const code = await withTimeout(worker.exited, 5_000, "the worker to exit").catch(() => {
      worker.child.kill("SIGKILL");
      return "killed";
    });
    expect(code, `worker exit; stderr:\n${worker.stderr()}`).toBe(0);
  }
});

async function expectServing(worker: SpawnedWorker): Promise<void> {
  const response = await worker.client.call(requestBytes(EMPTY_PARAMS, "catalog_catalogs"));
  expect(response.error).toBeUndefined();
  expect(unwrapResult(response, CatalogCatalogsResultCodec).result.items[0]?.name).toBe("example");
}

/** A stack dump or an uncaught-exception report on stderr. */
const CRASH = /^\s+at |Uncaught|UnhandledPromiseRejection|node:internal|FATAL ERROR|Error: /m;

describe("wire errors from a spawned worker", () => {
  test("unknown method → method_not_implemented error batch", async () => {
    const worker = await start();
    const response = await worker.client.call(requestBytes(EMPTY_PARAMS, "no_such_method"));
    expect(response.error?.kind).toBe(ErrorKind.MethodNotImplemented);
    expect(response.error?.message).toContain("no_such_method");
    await expectServing(worker);
  });

  test("wrong protocol version → protocol_version_mismatch error batch", async () => {
    const worker = await start();
    const response = await worker.client.call(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [PROTOCOL_VERSION_KEY]: "1.0.0" }),
    );
    expect(response.error?.kind).toBe(ErrorKind.ProtocolVersionMismatch);
    expect(response.error?.message).toMatch(/client speaks 1\.0\.0, worker speaks 2\.0\.0/);
    await expectServing(worker);
  });

  test("wrong request version → request_version_mismatch error batch", async () => {
    const worker = await start();
    const response = await worker.client.call(
      requestBytes(EMPTY_PARAMS, "catalog_catalogs", { [REQUEST_VERSION_KEY]: "7" }),
    );
    expect(response.error?.kind).toBe(ErrorKind.RequestVersionMismatch);
    await expectServing(worker);
  });

  test("malformed request batch (params of the wrong schema) → malformed_request", async () => {
    const worker = await start();
    const schema = new Schema([new Field("request", new Utf8(), true)]);
    const params = new RecordBatch(
      schema,
      makeData({
        type: new Struct(schema.fields),
        length: 1,
        children: [vectorFromArray(["not an IPC stream"], new Utf8()).data[0]!],
      }),
    );
    const response = await worker.client.call(requestBytes(params, "catalog_attach"));
    expect(response.error?.kind).toBe(ErrorKind.MalformedRequest);
    await expectServing(worker);
  });

  test("malformed request batch (two batches, no method) → malformed_request, one stderr line", async () => {
    const worker = await start();
    const batch = new RecordBatch(
      EMPTY_PARAMS.schema,
      EMPTY_PARAMS.data,
      requestMetadata("catalog_catalogs"),
    );
    const two = await worker.client.call(encodeStream(batch.schema, [batch, batch]));
    expect(two.error?.kind).toBe(ErrorKind.MalformedRequest);
    const noMethod = await worker.client.call(
      requestBytes(EMPTY_PARAMS, "x", { "vgi_rpc.method": undefined }),
    );
    expect(noMethod.error?.kind).toBe(ErrorKind.MalformedRequest);
    await expectServing(worker);
    const lines = worker.stderr().trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\[vgi-ts [0-9a-f]+\] malformed_request: /);
    expect(worker.stderr()).not.toMatch(CRASH);
  });

  test("bytes that are not Arrow IPC: error batch, one stderr line, clean exit with stdin still open", async () => {
    const worker = await start();
    await expectServing(worker);
    worker.client.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    const response = await worker.client.response();
    expect(response?.error?.kind).toBe(ErrorKind.MalformedRequest);
    expect(await withTimeout(worker.exited, 5_000, "the worker to exit")).toBe(0);
    expect(worker.stderr()).toMatch(/^\[vgi-ts [0-9a-f]+\] malformed_request: [^\n]+\n$/);
  });
});

describe("garbage on stdin never crashes the worker", () => {
  const SEED = Number(process.env.VGI_FUZZ_SEED ?? 0xbadf00d);
  const CASES = 16 * Number(process.env.VGI_FUZZ_RUNS ?? 1);

  test(
    `${CASES} seeded workers, each fed valid calls then garbage`,
    { timeout: 60_000 },
    async () => {
      const rng = new Prng(SEED);
      const valid = requestBytes(EMPTY_PARAMS, "catalog_catalogs");
      const outcomes = new Map<string, number>();
      // Two workers at a time: enough overlap for 2 cores, bounded memory.
      const runOne = async (index: number): Promise<void> => {
        const what = `case ${index} (seed ${SEED})`;
        const worker = await spawnWorker(BUNDLE);
        try {
          await expectServing(worker);
          const garbage = ((): Uint8Array => {
            switch (rng.int(5)) {
              case 0:
                return rng.bytes(1 + rng.int(4096));
              case 1: // a valid request cut short, then noise
                return Uint8Array.from([
                  ...valid.subarray(0, rng.int(valid.length)),
                  ...rng.bytes(rng.int(64)),
                ]);
              case 2: {
                // a valid request with flipped bytes
                const bytes = Uint8Array.from(valid);
                for (let k = 1 + rng.int(8); k > 0; k--)
                  bytes[rng.int(bytes.length)] = rng.int(256);
                return bytes;
              }
              case 3: // continuation marker and an absurd length
                return Uint8Array.from([
                  0xff,
                  0xff,
                  0xff,
                  0xff,
                  ...rng.bytes(4),
                  ...rng.bytes(rng.int(32)),
                ]);
              default: // noise between two valid requests
                return Uint8Array.from([...valid, ...rng.bytes(1 + rng.int(256)), ...valid]);
            }
          })();
          const closeStdin = rng.int(2) === 0;
          worker.client.write(garbage);
          if (closeStdin) worker.child.stdin.end();
          // Read whatever comes back until the worker ends its output or goes quiet.
          const responses: (string | undefined)[] = [];
          let outputEnded = false;
          for (;;) {
            const next = await withTimeout(worker.client.response(), 1_500, "a response").catch(
              (error: unknown) => (String(error).includes("timed out") ? "quiet" : error),
            );
            if (next === null) outputEnded = true;
            if (next === "quiet" || next === null) break;
            if (next instanceof Error || typeof next === "string") throw next;
            responses.push((next as { error?: { kind: string } }).error?.kind ?? "ok");
          }
          if (!outputEnded) {
            // Quiet with its output open: it waits for the rest of a message it has begun
            // (garbage can look like a frame header). End of input must end it cleanly.
            if (!closeStdin) worker.child.stdin.end();
            for (;;) {
              const next = await withTimeout(worker.client.response(), 5_000, `${what}: EOF`);
              if (next === null) break;
              responses.push(next.error?.kind ?? "ok");
            }
          }
          const alive = !outputEnded;
          const code = await withTimeout(worker.exited, 5_000, `${what}: the worker to exit`);
          expect(code, `${what}: exit code; stderr:\n${worker.stderr()}`).toBe(0);
          expect(worker.stderr(), `${what}: stderr`).not.toMatch(CRASH);
          for (const line of worker
            .stderr()
            .split("\n")
            .filter((l) => l !== "")) {
            expect(line, what).toMatch(/^\[vgi-ts [0-9a-f]+\] [a-z_]+: /);
          }
          const key = `${responses.join(",") || "no response"} → ${alive ? "quiet until stdin closed" : "exited"}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        } finally {
          if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
        }
      };
      const queue = Array.from({ length: CASES }, (_, i) => i);
      await Promise.all(
        [0, 1].map(async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) await runOne(i);
        }),
      );
      if (process.env.VGI_FUZZ_VERBOSE === "1") console.log(outcomes);
      // Most garbage cannot be framed: the worker answered malformed_request and exited.
      expect([...outcomes.keys()].some((key) => key.includes("malformed_request"))).toBe(true);
    },
  );
});
