// DuckDB 1.5.5 in-process with the npm vgi extension loaded: the real client.
import { createRequire } from "node:module";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const require = createRequire(import.meta.url);

export function extensionPath(name) {
  const pkg = require.resolve(`@haybarn/ext-${name}-h1-5-5-linux-x64/package.json`);
  return path.join(path.dirname(pkg), "bin", `${name}.duckdb_extension`);
}

export async function openDuckDB() {
  // Without this the extension phones home at LOAD and crashes offline.
  process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
  const instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
  const connection = await instance.connect();
  await connection.run(`LOAD '${extensionPath("vgi")}'`);
  return { instance, connection };
}
