/**
 * Our message schemas against the reference's generated schemas, field by field
 * (tools/scripts/diff-schemas.mjs). The reference file is not part of this repository:
 * point VGI_REFERENCE_SCHEMAS at it to run this test.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const script = join(repoRoot, "tools/scripts/diff-schemas.mjs");
const reference = process.env.VGI_REFERENCE_SCHEMAS;

async function diff(file: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [script, file], { cwd: repoRoot });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

describe("diff-schemas", () => {
  test.skipIf(reference === undefined)("0 differences against the reference schemas", async () => {
    expect(existsSync(reference!), `VGI_REFERENCE_SCHEMAS=${reference} does not exist`).toBe(true);
    const { code, stdout } = await diff(reference!);
    expect(stdout).toMatch(/\b0 differences\b/);
    expect(stdout).toMatch(/\d+ reference schemas, \d+ methods compared/);
    expect(code).toBe(0);
  });

  test("the script reports a difference when a reference field differs", async () => {
    // A small reference of our own: one correct message, one with a field we lack.
    const dir = mkdtempSync(join(tmpdir(), "vgi-diff-test-"));
    try {
      const file = join(dir, "ref.ts");
      writeFileSync(
        file,
        [
          "// Origin: GlobalInitResponse",
          "export const A = schema([",
          '  field("execution_id", binary(), false),',
          '  field("opaque_data", binary(), true),',
          '  field("max_workers", int64(), false),',
          "]);",
          "// Origin: CopyToContext",
          "export const B = schema([",
          '  field("format", utf8(), false),',
          '  field("file_path", utf8(), false),',
          '  field("compression", utf8(), true),',
          "]);",
        ].join("\n"),
      );
      const { code, stdout } = await diff(file);
      expect(stdout).toContain("CopyToContext: missing field 'compression'");
      expect(stdout).not.toContain("GlobalInitResponse:");
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
