/**
 * The worker in the root README.md must work as printed: this test takes the code
 * blocks marked `<!-- readme-example: worker|sql|result -->`, type-checks the worker
 * with the repo's strict settings, bundles it with esbuild, attaches it from real
 * DuckDB 1.5.5 with the vgi extension, runs the README's SQL and compares the rows
 * with the README's result table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const toolsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(toolsDir, "..");
const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
const require = createRequire(import.meta.url);

/** The fenced block right after `<!-- readme-example: <name> -->`. */
function block(name: string): string {
  const marker = `<!-- readme-example: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const fence = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at + marker.length));
  if (fence === null) throw new Error(`README.md has no code block after ${marker}`);
  return fence[1]!;
}

/** The README's result table: a header row, a `---+---` rule, then `|`-separated rows. */
function parseTable(text: string): { columns: string[]; rows: string[][] } {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const cells = (line: string): string[] => line.split("|").map((cell) => cell.trim());
  return {
    columns: cells(lines[0]!),
    rows: lines.filter((line, i) => i > 0 && !/^[-+\s]+$/.test(line)).map(cells),
  };
}

/** SQL statements, `--` comment lines dropped, split at the `;` that ends a line. */
function statements(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== "");
}

/** Replace `from` (which must occur: the README changed otherwise) with `to`. */
function substitute(text: string, from: string, to: string): string {
  expect(text, `README SQL should contain ${from}`).toContain(from);
  return text.split(from).join(to);
}

const cellText = (value: unknown): string => (value === null ? "NULL" : String(value));

// The README shows the paths a user would type; the test points them at real files.
const README_EXTENSION = "node_modules/@haybarn/ext-vgi-h1-5-5-linux-x64/bin/vgi.duckdb_extension";
const README_WORKER = "node worker.mjs";

describe("README example worker", () => {
  let scratch = "";
  let source = "";

  beforeAll(() => {
    // Inside tools/ so that bare @vgi-ts/* imports resolve through the workspace links.
    mkdirSync(path.join(toolsDir, ".test-build"), { recursive: true });
    scratch = mkdtempSync(path.join(toolsDir, ".test-build", "readme-"));
    source = path.join(scratch, "worker.ts");
    writeFileSync(source, block("worker"));
  });

  afterAll(() => {
    if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
  });

  it("type-checks under the repo's strict compiler settings", () => {
    const configPath = path.join(repoRoot, "tsconfig.base.json");
    const { config } = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot);
    const program = ts.createProgram([source], { ...options, noEmit: true });
    // Only the README's own file: errors elsewhere belong to the packages' typecheck.
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(source));
    const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(messages).toEqual([]);
  });

  it("bundles, attaches from DuckDB and returns the rows the README shows", async () => {
    const bundle = path.join(scratch, "worker.mjs");
    await build({
      entryPoints: [source],
      outfile: bundle,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["source"],
      logLevel: "silent",
    });

    const manifest = require.resolve("@haybarn/ext-vgi-h1-5-5-linux-x64/package.json");
    const extension = path.join(path.dirname(manifest), "bin", "vgi.duckdb_extension");
    let sql = block("sql");
    sql = substitute(sql, README_EXTENSION, extension);
    sql = substitute(sql, README_WORKER, `${process.execPath} ${bundle}`);

    // The extension sends telemetry at LOAD unless told not to, and fails offline.
    process.env.QUERY_FARM_TELEMETRY_OPT_OUT = "1";
    const instance = await DuckDBInstance.create(":memory:", { allow_unsigned_extensions: "true" });
    const connection = await instance.connect();
    try {
      const all = statements(sql);
      for (const statement of all.slice(0, -1)) await connection.run(statement);
      const result = await connection.runAndReadAll(all.at(-1)!);
      const expected = parseTable(block("result"));
      expect(result.columnNames()).toEqual(expected.columns);
      expect(result.getRowsJS().map((row) => row.map(cellText))).toEqual(expected.rows);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
