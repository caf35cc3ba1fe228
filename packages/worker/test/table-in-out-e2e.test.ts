/**
 * Table-in-out functions end to end through the real client: DuckDB 1.5.5 with the npm
 * `vgi` extension attaches test/workers/table-in-out-worker.ts and streams tables
 * through it, several threads (so several worker processes, one per substream).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEST_WORKERS } from "./worker-paths.js";

const require = createRequire(import.meta.url);

function extensionPath(name: string): string {
  const pkg = require.resolve(`@haybarn/ext-${name}-h1-5-5-linux-x64/package.json`);
  return path.join(path.dirname(pkg), "bin", `${name}.duckdb_extension`);
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
  instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
  connection = await instance.connect();
  await connection.run(`LOAD ${sqlString(extensionPath("vgi"))}`);
  await connection.run("CALL enable_logging(level => 'info')");
  await connection.run("SET threads = 2");
  const command = `node ${TEST_WORKERS.tableInOut.bundle}`;
  await connection.run(`ATTACH 'tio' AS tio (TYPE vgi, LOCATION ${sqlString(command)})`);
  await connection.run(
    "CREATE TABLE items AS SELECT i AS id, 'item ' || i::VARCHAR AS label FROM range(50000) t(i)",
  );
}, 60_000);

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function failure(sql: string): Promise<string> {
  try {
    await connection.runAndReadAll(sql);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`expected ${sql} to fail`);
}

const CHECKSUM = "count(*) AS n, sum(id) AS ids, sum(length(label)) AS chars";

describe("table-in-out through DuckDB", () => {
  test("a pass-through returns every row and column unchanged", async () => {
    const native = await rows(`SELECT ${CHECKSUM} FROM items`);
    expect(native).toEqual([{ n: "50000", ids: "1249975000", chars: expect.any(String) }]);
    expect(await rows(`SELECT ${CHECKSUM} FROM tio.pass_through((SELECT * FROM items))`)).toEqual(
      native,
    );
    expect(
      await rows("SELECT * FROM tio.pass_through((SELECT * FROM items WHERE id < 3)) ORDER BY id"),
    ).toEqual([
      { id: "0", label: "item 0" },
      { id: "1", label: "item 1" },
      { id: "2", label: "item 2" },
    ]);
  });

  test("an empty input gives an empty output", async () => {
    expect(
      await rows("SELECT count(*) AS n FROM tio.pass_through((SELECT * FROM items WHERE false))"),
    ).toEqual([{ n: "0" }]);
  });

  test("a transform with projection pushdown computes only the columns read", async () => {
    expect(
      await rows(
        "SELECT label FROM tio.shout((SELECT * FROM items WHERE id IN (7, 8))) ORDER BY 1",
      ),
    ).toEqual([{ label: "ITEM 7" }, { label: "ITEM 8" }]);
    expect(await rows("SELECT sum(id) AS s FROM tio.shout((SELECT * FROM items))")).toEqual([
      { s: "1249975000" },
    ]);
  });

  test("a function's log records reach DuckDB's log", async () => {
    await connection.run("CALL truncate_duckdb_logs()");
    await rows("SELECT count(*) FROM tio.shout((SELECT * FROM items WHERE id < 10))");
    const logged = await rows(
      "SELECT message FROM duckdb_logs WHERE message LIKE '%shout-log: batch of%'",
    );
    expect(logged.length).toBeGreaterThan(0);
  });

  test("an exception mid-stream fails the query with its message; the worker keeps serving", async () => {
    const message = await failure(
      "SELECT count(*) FROM tio.fail_after(3000, (SELECT * FROM items))",
    );
    expect(message).toContain("fail_after: saw");
    expect(message).toContain("RangeError");
    // Under the limit, the same function answers normally, and so does another one.
    expect(
      await rows("SELECT count(*) AS n FROM tio.fail_after(100000, (SELECT * FROM items))"),
    ).toEqual([{ n: "50000" }]);
    expect(await rows(`SELECT ${CHECKSUM} FROM tio.pass_through((SELECT * FROM items))`)).toEqual(
      await rows(`SELECT ${CHECKSUM} FROM items`),
    );
  });

  test("finalize: each substream reports what it saw, the parts add up to the input", async () => {
    const parts = await rows("SELECT * FROM tio.count_rows((SELECT * FROM items))");
    expect(parts.length).toBeGreaterThanOrEqual(1);
    const total = parts.reduce((n, part) => n + Number(part.rows), 0);
    expect(total).toBe(50000);
    for (const part of parts) {
      expect(Number(part.batches)).toBeGreaterThan(0);
      expect(part.substream).toBe(true);
    }
  });

  test("a row transform fans out with parent rows, in literal, column and LATERAL forms", async () => {
    expect(await rows("SELECT k FROM tio.fan_out(3) ORDER BY k")).toEqual([
      { k: "0" },
      { k: "1" },
      { k: "2" },
    ]);
    const lateral = await rows(
      "SELECT t.n, f.k FROM (VALUES (0), (2), (1)) t(n), LATERAL tio.fan_out(t.n) f ORDER BY 1, 2",
    );
    expect(lateral).toEqual([
      { n: 1, k: "0" },
      { n: 2, k: "0" },
      { n: 2, k: "1" },
    ]);
  });
});
