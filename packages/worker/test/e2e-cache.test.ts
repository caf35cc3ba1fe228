/**
 * Result-cache control end to end: DuckDB 1.5.5 with the npm `vgi` extension attaches
 * test/workers/cache-worker.ts, whose functions advertise `vgi.cache.*` and append a
 * line to a calls file on every real invocation. Counting those lines shows what the
 * extension's result cache served without calling a worker, and when it called again
 * (expiry, no_store, flush, revalidation).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { TEST_WORKERS } from "./worker-paths.js";

const require = createRequire(import.meta.url);

function extensionPath(name: string): string {
  const pkg = require.resolve(`@haybarn/ext-${name}-h1-5-5-linux-x64/package.json`);
  return path.join(path.dirname(pkg), "bin", `${name}.duckdb_extension`);
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let scratch: string;
let callsFile: string;
let versionFile: string;

beforeAll(async () => {
  process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
  scratch = mkdtempSync(path.join(os.tmpdir(), "vgi-cache-e2e-"));
  callsFile = path.join(scratch, "calls.log");
  versionFile = path.join(scratch, "version.txt");
  writeFileSync(versionFile, "v1");
  // Worker processes inherit DuckDB's (this process's) environment when spawned.
  process.env.VGI_TS_CACHE_CALLS = callsFile;
  process.env.VGI_TS_CACHE_VERSION = versionFile;
  instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
  connection = await instance.connect();
  await connection.run(`LOAD ${sqlString(extensionPath("vgi"))}`);
  const command = `node ${TEST_WORKERS.cache.bundle}`;
  await connection.run(`ATTACH 'cachetest' AS ct (TYPE vgi, LOCATION ${sqlString(command)})`);
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
  delete process.env.VGI_TS_CACHE_CALLS;
  delete process.env.VGI_TS_CACHE_VERSION;
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await connection.run("SELECT * FROM vgi_result_cache_flush()");
  writeFileSync(callsFile, "");
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The invocations the worker processes recorded since the test began. */
function calls(): string[] {
  return readFileSync(callsFile, "utf8").split("\n").filter(Boolean);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("result cache through DuckDB", () => {
  test("a cacheable table result is served again without calling the worker", async () => {
    const first = await rows("SELECT n, stamp FROM ct.counted_numbers(3) ORDER BY n");
    expect(first.map((row) => row.n)).toEqual(["0", "1", "2"]);
    expect(calls()).toEqual(["counted_numbers 3"]);

    // Same call: same rows (same stamp), and no worker saw it.
    expect(await rows("SELECT n, stamp FROM ct.counted_numbers(3) ORDER BY n")).toEqual(first);
    expect(calls()).toEqual(["counted_numbers 3"]);

    // Different arguments are a different entry.
    expect(await rows("SELECT count(*) AS c FROM ct.counted_numbers(4)")).toEqual([{ c: "4" }]);
    expect(calls()).toEqual(["counted_numbers 3", "counted_numbers 4"]);

    const entries = await rows(
      "SELECT ttl_seconds, scope FROM vgi_result_cache() WHERE function = 'counted_numbers'",
    );
    expect(entries).toEqual([
      { ttl_seconds: "300", scope: "catalog" },
      { ttl_seconds: "300", scope: "catalog" },
    ]);
  });

  test("the entry expires after the advertised ttl and the worker is called again", async () => {
    await rows("SELECT * FROM ct.counted_numbers(5, ttl := 1)");
    await rows("SELECT * FROM ct.counted_numbers(5, ttl := 1)");
    expect(calls()).toEqual(["counted_numbers 5"]);
    await sleep(1_300);
    await rows("SELECT * FROM ct.counted_numbers(5, ttl := 1)");
    expect(calls()).toEqual(["counted_numbers 5", "counted_numbers 5"]);
  });

  test("no_store is never cached", async () => {
    const first = await rows("SELECT stamp FROM ct.counted_uncached()");
    await sleep(5);
    const second = await rows("SELECT stamp FROM ct.counted_uncached()");
    expect(calls()).toEqual(["counted_uncached", "counted_uncached"]);
    expect(second).not.toEqual(first);
    expect(
      await rows(
        "SELECT count(*) AS c FROM vgi_result_cache() WHERE function = 'counted_uncached'",
      ),
    ).toEqual([{ c: "0" }]);
  });

  test("a flush forgets the result: the next call reaches the worker", async () => {
    await rows("SELECT * FROM ct.counted_numbers(2)");
    await rows("SELECT * FROM vgi_result_cache_flush()");
    await rows("SELECT * FROM ct.counted_numbers(2)");
    expect(calls()).toEqual(["counted_numbers 2", "counted_numbers 2"]);
  });

  test("a stale revalidatable result is confirmed with not_modified, then replaced", async () => {
    await connection.run("SET vgi_result_cache_revalidate_min_bytes = 0");
    writeFileSync(versionFile, "v1");
    const first = await rows("SELECT stamp FROM ct.counted_revalidated()");
    expect(calls()).toEqual(["counted_revalidated full if_none_match=none"]);

    // Stale at once (ttl 0): the repeat asks with the stored etag; the worker answers
    // not_modified with no rows, and the stored row is what the query returns.
    expect(await rows("SELECT stamp FROM ct.counted_revalidated()")).toEqual(first);
    expect(calls()).toEqual([
      "counted_revalidated full if_none_match=none",
      "counted_revalidated not_modified",
    ]);

    // The data changes: the validator no longer matches, so the worker sends it all.
    writeFileSync(versionFile, "v2");
    await sleep(5);
    const changed = await rows("SELECT stamp FROM ct.counted_revalidated()");
    expect(changed).not.toEqual(first);
    expect(calls().at(-1)).toBe('counted_revalidated full if_none_match="v1"');
    await connection.run("RESET vgi_result_cache_revalidate_min_bytes");
  });

  test("a per-value scalar is memoized: values seen before skip the worker", async () => {
    await connection.run("SET threads = 1");
    const total = (n: number) =>
      rows(`SELECT sum(ct.counted_triple(x % 4))::BIGINT AS s FROM range(${n}) t(x)`);
    // 12 rows over 4 distinct values: the worker sees only the distinct ones.
    expect(await total(12)).toEqual([{ s: "54" }]);
    expect(calls()).toEqual(["counted_triple rows=4"]);
    // Another query over the same values: all served per value, no worker call.
    expect(await total(8)).toEqual([{ s: "36" }]);
    expect(calls()).toEqual(["counted_triple rows=4"]);
    // One new value among known ones: only the new value reaches the worker.
    expect(await rows("SELECT sum(ct.counted_triple(x))::BIGINT AS s FROM range(5) t(x)")).toEqual([
      { s: "30" },
    ]);
    expect(calls()).toEqual(["counted_triple rows=4", "counted_triple rows=1"]);
    await connection.run("RESET threads");
  });

  test("a table-in-out result is memoized per input batch: a repeat skips the worker", async () => {
    await connection.run("SET threads = 1");
    const query =
      "SELECT sum(doubled)::BIGINT AS s FROM (SELECT * FROM range(6) t(x)) t, ct.counted_double(t.x)";
    expect(await rows(query)).toEqual([{ s: "30" }]);
    const first = calls();
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((line) => line.startsWith("counted_double rows="))).toBe(true);
    expect(await rows(query)).toEqual([{ s: "30" }]);
    expect(calls()).toEqual(first);
    await connection.run("RESET threads");
  });
});
