import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without types
import { parity } from "../scripts/conformance-parity.mjs";

describe("conformance parity", () => {
  it("lists upstream areas without a counterpart in our tree", () => {
    const root = mkdtempSync(path.join(tmpdir(), "parity-"));
    const upstream = path.join(root, "up");
    const ours = path.join(root, "ours");
    for (const dir of ["scalar", "table", "cache"])
      mkdirSync(path.join(upstream, dir), { recursive: true });
    writeFileSync(path.join(upstream, "bad_enum.test"), "");
    mkdirSync(path.join(ours, "scalar"), { recursive: true });
    mkdirSync(path.join(ours, "table"), { recursive: true });
    expect(parity(upstream, ours)).toEqual({
      covered: ["scalar", "table"],
      missing: ["bad_enum", "cache"],
    });
  });

  const upstream = process.env.VGI_UPSTREAM_SUITE;
  it.skipIf(upstream === undefined)("reports against the real upstream checkout", () => {
    const ours = path.resolve(import.meta.dirname, "../conformance");
    const result = parity(upstream, ours) as { covered: string[]; missing: string[] };
    console.log(`not covered yet: ${result.missing.join(", ")}`);
    expect(result.covered).toEqual(expect.arrayContaining(["scalar", "overload"]));
  });
});
