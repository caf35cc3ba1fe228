#!/usr/bin/env node
// Seeds the DuckLake the companion-catalog tests read (upstream
// test/sql/integration/catalog/companion_*.test and tools/conformance/catalog/companion_lake.test
// seed their own): SQLite metadata plus parquet data, one table `main.events(id BIGINT, val
// VARCHAR)` holding three cold rows (id < 100) and two hot ones (id >= 100). DuckDB 1.5.5 with the
// ducklake and sqlite_scanner extensions from their npm builds, loaded by path (the bindings
// cannot download extensions).
//
//   node tools/scripts/seed-companion-lake.mjs <dir>   → prints the ATTACH target
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { locateExtension } from "../dist/index.js";

export const LAKE_ROWS = [
  [1, "cold-a"],
  [2, "cold-b"],
  [3, "cold-c"],
  [100, "hot-x"],
  [200, "hot-y"],
];

const literal = (text) => `'${text.replace(/'/g, "''")}'`;

/** Creates `<dir>/lake.sqlite` + `<dir>/lake_data/`; returns the `ducklake:sqlite:` target. */
export async function seedCompanionLake(dir) {
  mkdirSync(dir, { recursive: true });
  const target = `ducklake:sqlite:${path.join(dir, "lake.sqlite")}`;
  const instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
  const connection = await instance.connect();
  try {
    for (const name of ["ducklake", "sqlite_scanner"]) {
      const binary = locateExtension(name);
      if (binary === undefined) throw new Error(`the npm build of ${name} is not installed`);
      await connection.run(`LOAD ${literal(binary)}`);
    }
    const dataPath = path.join(dir, "lake_data") + path.sep;
    await connection.run(`ATTACH ${literal(target)} AS seed (DATA_PATH ${literal(dataPath)})`);
    await connection.run("CREATE TABLE seed.main.events(id BIGINT, val VARCHAR)");
    const values = LAKE_ROWS.map(([id, val]) => `(${id}, ${literal(val)})`).join(", ");
    await connection.run(`INSERT INTO seed.main.events VALUES ${values}`);
    await connection.run("DETACH seed");
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error("usage: seed-companion-lake.mjs <dir>");
    process.exit(2);
  }
  console.log(await seedCompanionLake(path.resolve(dir)));
}
