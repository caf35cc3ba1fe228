/**
 * `npm run demo` is the README's first command: its script must run against the built
 * fixture worker (the workspace build comes first, as in `npm test`) and print rows that
 * came back from DuckDB. It broke once unnoticed when the bundle's file name changed.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("npm run demo", () => {
  it("attaches the fixture worker and prints real results", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, "tools/scripts/demo.mjs")],
      {
        cwd: repoRoot,
        env: { ...process.env, QUERY_FARM_TELEMETRY_OPT_OUT: "1" },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
      },
    );
    expect(stdout).toMatch(/ATTACH took \d+ ms/);
    expect(stdout).toContain("HELLO, DUCKDB");
    // The listing and the calls come from the worker's catalog.
    expect(stdout).toMatch(/main\s+\|\s+upper_case/);
    expect(stdout).not.toMatch(/->\s+error:/);
  }, 180_000);
});
