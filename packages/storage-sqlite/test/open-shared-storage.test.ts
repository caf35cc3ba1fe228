/**
 * `openSharedStorage`: how the worker's environment picks a backend
 * (`VGI_WORKER_SHARED_STORAGE`, `VGI_WORKER_SHARED_STORAGE_PATH`) and where the default
 * sqlite file goes, with its permissions and refusal of a planted symlink.
 */
import { existsSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MemoryStorage } from "@vgi-ts/worker";
import { SqliteStorage, defaultSharedStoragePath, openSharedStorage } from "../src/index.js";
import { EXEC_A, bytes, useScratch } from "./scratch.js";

const scratch = useScratch();

describe("openSharedStorage", () => {
  test("sqlite at VGI_WORKER_SHARED_STORAGE_PATH by default", () => {
    const file = path.join(scratch.dir, "env.sqlite");
    const s = openSharedStorage({ VGI_WORKER_SHARED_STORAGE_PATH: file });
    try {
      expect(s).toBeInstanceOf(SqliteStorage);
      expect((s as SqliteStorage).path).toBe(file);
      s.append("agg", EXEC_A, bytes("x"));
      expect(existsSync(file)).toBe(true);
    } finally {
      void s.close?.();
    }
    const explicit = openSharedStorage({
      VGI_WORKER_SHARED_STORAGE: " SQLite ",
      VGI_WORKER_SHARED_STORAGE_PATH: file,
    });
    expect(explicit.read("agg", EXEC_A, 0)).toHaveLength(1);
    void explicit.close?.();
  });

  test("memory", () => {
    expect(openSharedStorage({ VGI_WORKER_SHARED_STORAGE: "memory" })).toBeInstanceOf(
      MemoryStorage,
    );
  });

  test("an unknown backend names the allowed ones", () => {
    expect(() => openSharedStorage({ VGI_WORKER_SHARED_STORAGE: "redis" })).toThrow(
      /VGI_WORKER_SHARED_STORAGE="redis" .*sqlite, memory/,
    );
  });

  describe("the default file, in os.tmpdir()", () => {
    let savedTmp: string | undefined;
    beforeEach(() => {
      savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = scratch.dir;
    });
    afterEach(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    });

    test("is named with the uid and readable by its owner only", () => {
      const file = defaultSharedStoragePath();
      expect(path.dirname(file)).toBe(scratch.dir);
      expect(path.basename(file)).toMatch(/^vgi-ts-shared-.+\.sqlite$/);
      if (process.getuid)
        expect(path.basename(file)).toBe(`vgi-ts-shared-${process.getuid()}.sqlite`);
      const s = openSharedStorage({}) as SqliteStorage;
      s.append("agg", EXEC_A, bytes("x"));
      s.close();
      expect(s.path).toBe(file);
      if (process.platform !== "win32") {
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(statSync(`${file}-wal`, { throwIfNoEntry: false }) ?? { mode: 0o600 }).toSatisfy(
          (st: { mode: number }) => (st.mode & 0o077) === 0,
        );
      }
      // Reopening the file it made is fine.
      void openSharedStorage({}).close?.();
    });

    test.skipIf(process.platform === "win32")("a symlink planted at its name is refused", () => {
      const target = path.join(scratch.dir, "elsewhere.sqlite");
      writeFileSync(target, "");
      symlinkSync(target, defaultSharedStoragePath());
      expect(() => openSharedStorage({})).toThrow(/refusing shared storage/);
    });
  });
});
