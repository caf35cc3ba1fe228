/**
 * What every storage-sqlite test file shares: a scratch directory per test (removed
 * afterwards, with every storage the test opened closed first) and small byte helpers.
 * Call `useScratch()` at a test file's top level.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { SqliteStorage, type SqliteStorageOptions } from "../src/index.js";

export const EXEC_A = Uint8Array.from([0xaa, 0x01]);
export const EXEC_B = Uint8Array.from([0xbb, 0x02]);
export const bytes = (text: string) => new TextEncoder().encode(text);
export const text = (data: Uint8Array) => new TextDecoder().decode(data);

export interface Scratch {
  /** This test's scratch directory. */
  readonly dir: string;
  /** A storage on `file` (default `<dir>/shared.sqlite`), closed after the test. */
  storage(options?: SqliteStorageOptions, file?: string): SqliteStorage;
}

export function useScratch(): Scratch {
  let dir = "";
  const open: SqliteStorage[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "vgi-storage-sqlite-"));
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    storage(options?: SqliteStorageOptions, file = path.join(dir, "shared.sqlite")) {
      const s = new SqliteStorage(file, options);
      open.push(s);
      return s;
    },
  };
}
