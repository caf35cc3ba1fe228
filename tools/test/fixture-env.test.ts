import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_WORKERS, findFixturesBinDir, fixtureEnv } from "../src/fixture-env.js";

describe("fixture env", () => {
  it("sets only the variables whose bin exists, as node <launcher>", () => {
    const binDir = mkdtempSync(path.join(tmpdir(), "fixture-bin-"));
    writeFileSync(path.join(binDir, "vgi-fixture-worker.js"), "");
    writeFileSync(path.join(binDir, "vgi-fixture-attach-options-worker.js"), "");
    const env = fixtureEnv({ binDir });
    expect(env.VGI_TEST_WORKER).toBe(`node ${path.join(binDir, "vgi-fixture-worker.js")}`);
    const attach = `node ${path.join(binDir, "vgi-fixture-attach-options-worker.js")}`;
    expect(env.VGI_ATTACH_OPTIONS_WORKER).toBe(attach);
    expect(env.VGI_ATTACH_OPTIONS_REQUIRED_WORKER).toBe(attach);
    expect(env).not.toHaveProperty("VGI_BAD_ENUM_WORKER");
    expect(env.VGI_SCHEMA_RECONCILE_DB).toMatch(/vgi_schema_reconcile\.sqlite$/);
    expect(existsSync(path.dirname(env.VGI_SCHEMA_RECONCILE_DB ?? ""))).toBe(true);
    // The branch directory exists (upstream files COPY into it) and is fresh per run.
    expect(existsSync(env.VGI_TEST_BRANCH_DIR ?? "")).toBe(true);
    expect(fixtureEnv({ binDir }).VGI_TEST_BRANCH_DIR).not.toBe(env.VGI_TEST_BRANCH_DIR);
    // Our companion file creates its DuckLake there too: a fresh lake every run.
    expect(path.dirname(env.VGI_COMPANION_LAKE ?? "")).toBe(env.VGI_TEST_BRANCH_DIR);
  });

  it("finds this repository's fixture bins, and every listed bin is a package bin", async () => {
    const binDir = findFixturesBinDir();
    expect(existsSync(path.join(binDir, "vgi-fixture-worker.js"))).toBe(true);
    const pkg = (await import("../../packages/fixtures/package.json", { with: { type: "json" } }))
      .default as { bin: Record<string, string> };
    for (const { bin } of FIXTURE_WORKERS) {
      if (existsSync(path.join(binDir, `${bin}.js`))) expect(pkg.bin[bin]).toBe(`bin/${bin}.js`);
    }
  });

  it("walks up from a nested module path", () => {
    const root = mkdtempSync(path.join(tmpdir(), "fixture-root-"));
    mkdirSync(path.join(root, "packages", "fixtures", "bin"), { recursive: true });
    mkdirSync(path.join(root, "tools", "dist", "sqllogictest"), { recursive: true });
    const from = path.join(root, "tools", "dist", "sqllogictest", "cli.js");
    expect(findFixturesBinDir(from)).toBe(path.join(root, "packages", "fixtures", "bin"));
  });
});
