#!/usr/bin/env node
// `npm run demo`: real DuckDB 1.5.5 in this process, the vgi extension from npm, and the
// fixture worker (`vgi-fixture-worker`) attached as catalog `example`. Everything printed
// comes back from DuckDB; nothing is canned.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);

/** The worker command DuckDB runs (through `sh -c`), using this very Node binary. */
function workerCommand() {
  const candidates = [
    path.join(root, "node_modules/.bin/vgi-fixture-worker"),
    path.join(root, "packages/fixtures/bin/vgi-fixture-worker.js"),
  ];
  const launcher = candidates.find((file) => existsSync(file));
  if (launcher === undefined) throw new Error("vgi-fixture-worker not found: run `npm ci` first");
  if (!existsSync(path.join(root, "packages/fixtures/dist/bin/fixture-worker.cjs"))) {
    throw new Error("the fixture worker is not built: run `npm run build` first");
  }
  return `${shellQuote(process.execPath)} ${shellQuote(launcher)}`;
}

const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
const sqlString = (text) => `'${text.replace(/'/g, "''")}'`;

function extensionPath(name) {
  const manifest = require.resolve(`@haybarn/ext-${name}-h1-5-5-linux-x64/package.json`);
  return path.join(path.dirname(manifest), "bin", `${name}.duckdb_extension`);
}

/** A plain text table: enough to read results without another dependency. */
function printTable(reader) {
  const names = reader.columnNames();
  const rows = reader.getRowsJson().map((row) => row.map(cell));
  const widths = names.map((name, i) => Math.max(name.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(" | ")
      .trimEnd();
  console.log(line(names));
  console.log(widths.map((w) => "-".repeat(w)).join("-+-"));
  for (const row of rows) console.log(line(row));
}

function cell(value) {
  if (value === null) return "NULL";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // Long descriptions would push every other column off the screen.
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A literal of each simple parameter type, so listed functions can be called as-is. */
const SAMPLES = {
  VARCHAR: "'hello'",
  BIGINT: "21",
  INTEGER: "21",
  SMALLINT: "21",
  TINYINT: "21",
  DOUBLE: "2.5",
  FLOAT: "2.5",
  BOOLEAN: "true",
  ANY: "21",
};

/** One overload per function name whose parameters all have a sample literal. */
function callableOverloads(functions, ...skip) {
  const seen = new Set(skip);
  return functions.filter((fn) => {
    const types = fn.parameter_types;
    if (seen.has(fn.function_name) || types.length === 0) return false;
    if (!types.every((t) => t in SAMPLES)) return false;
    seen.add(fn.function_name);
    return true;
  });
}

const sampleArgs = (fn) => fn.parameter_types.map((t) => SAMPLES[t]).join(", ");

// Without this the extension tries to send telemetry at LOAD and fails when offline.
process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
const instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
const connection = await instance.connect();
await connection.run(`LOAD ${sqlString(extensionPath("vgi"))}`);

const command = workerCommand();
console.log(`worker: ${command}\n`);
const started = process.hrtime.bigint();
await connection.run(`ATTACH 'example' AS example (TYPE vgi, LOCATION ${sqlString(command)})`);
const attachMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`ATTACH took ${attachMs.toFixed(0)} ms (spawns the worker, reads its catalog)\n`);

console.log("SELECT example.main.upper_case('hello, duckdb') AS shouted;");
printTable(
  await connection.runAndReadAll("SELECT example.main.upper_case('hello, duckdb') AS shouted"),
);

console.log("\nScalar functions the worker serves (duckdb_functions()):");
const listing = await connection.runAndReadAll(
  `SELECT schema_name, function_name, parameter_types, return_type, description
   FROM duckdb_functions()
   WHERE database_name = 'example' AND function_type = 'scalar'
   ORDER BY schema_name, function_name, parameter_types::VARCHAR`,
);
printTable(listing);

// Call a few listed functions (one overload each) whose parameters all have a sample
// literal, spread over the listing so the picks are not all alphabetical neighbours.
const callable = callableOverloads(listing.getRowObjectsJson(), "upper_case");
const picks = Array.from(
  new Set(Array.from({ length: 6 }, (_, i) => callable[Math.floor((i * callable.length) / 6)])),
).filter(Boolean);
console.log("\nCalling a few of them with sample arguments:");
if (picks.length === 0) console.log("(none besides upper_case takes only simple parameters)");
for (const fn of picks) {
  const query = `SELECT example.${fn.schema_name}.${fn.function_name}(${sampleArgs(fn)}) AS result`;
  try {
    const reader = await connection.runAndReadAll(query);
    console.log(`${query}  ->  ${cell(reader.getRowsJson()[0][0])}`);
  } catch (error) {
    console.log(`${query}  ->  error: ${error.message.split("\n")[0]}`);
  }
}

// Table functions, if the worker serves any: list them and read a few rows of one.
const tables = await connection.runAndReadAll(
  `SELECT schema_name, function_name, parameter_types, description
   FROM duckdb_functions()
   WHERE database_name = 'example' AND function_type = 'table'
   ORDER BY schema_name, function_name, parameter_types::VARCHAR`,
);
if (tables.getRowsJson().length > 0) {
  console.log("\nTable functions:");
  printTable(tables);
  // The overload with the fewest parameters: the one most likely to mean "n rows".
  const [fn] = tables
    .getRowObjectsJson()
    .filter((t) => t.parameter_types.length > 0 && t.parameter_types.every((p) => p in SAMPLES))
    .sort((a, b) => a.parameter_types.length - b.parameter_types.length);
  if (fn !== undefined) {
    const query = `SELECT * FROM example.${fn.schema_name}.${fn.function_name}(${sampleArgs(fn)}) LIMIT 5`;
    console.log(`\n${query};`);
    try {
      printTable(await connection.runAndReadAll(query));
    } catch (error) {
      console.log(`error: ${error.message.split("\n")[0]}`);
    }
  }
}

// Aggregates, if the worker serves any: list them, then run the one-BIGINT ones over 1..100.
const aggregates = await connection.runAndReadAll(
  `SELECT schema_name, function_name, parameter_types, return_type, description
   FROM duckdb_functions()
   WHERE database_name = 'example' AND function_type = 'aggregate'
   ORDER BY schema_name, function_name, parameter_types::VARCHAR`,
);
if (aggregates.getRowsJson().length > 0) {
  console.log("\nAggregate functions:");
  printTable(aggregates);
  const overBigint = aggregates
    .getRowObjectsJson()
    .filter((fn) => fn.parameter_types.length === 1 && fn.parameter_types[0] === "BIGINT");
  const calls = overBigint.map(
    (fn) =>
      `example.${fn.schema_name}.${fn.function_name}(i) AS "${fn.schema_name}.${fn.function_name}"`,
  );
  if (calls.length > 0) {
    const query = `SELECT ${calls.slice(0, 4).join(", ")} FROM range(1, 101) t(i)`;
    console.log(`\n${query};`);
    try {
      printTable(await connection.runAndReadAll(query));
    } catch (error) {
      console.log(`error: ${error.message.split("\n")[0]}`);
    }
  }
}

const rows = await connection.runAndReadAll(
  "SELECT count(*) AS n, count(DISTINCT example.main.upper_case('row ' || (i % 100)::VARCHAR)) AS distinct_upper FROM range(100000) t(i)",
);
console.log("\nA vectorised call over 100,000 rows:");
printTable(rows);

connection.closeSync();
instance.closeSync();
