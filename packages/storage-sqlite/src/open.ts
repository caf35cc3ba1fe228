/**
 * The shared storage a worker process uses, chosen by environment variables:
 *
 * - `VGI_WORKER_SHARED_STORAGE`: `sqlite` (default) or `memory` (one process only).
 * - `VGI_WORKER_SHARED_STORAGE_PATH`: the sqlite file; default
 *   `<os.tmpdir()>/vgi-ts-shared-<uid>.sqlite`, one per user, so every worker process of a
 *   user's queries meets in the same file.
 */
import { closeSync, lstatSync, openSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MemoryStorage, type SharedStorage } from "@vgi-ts/worker";
import { SqliteStorage } from "./sqlite-storage.js";

export const SHARED_STORAGE_BACKENDS = ["sqlite", "memory"] as const;
export type SharedStorageBackend = (typeof SHARED_STORAGE_BACKENDS)[number];

export const SHARED_STORAGE_ENV = "VGI_WORKER_SHARED_STORAGE";
export const SHARED_STORAGE_PATH_ENV = "VGI_WORKER_SHARED_STORAGE_PATH";

/** `<os.tmpdir()>/vgi-ts-shared-<uid>.sqlite` (the user name where there are no uids). */
export function defaultSharedStoragePath(): string {
  const user = process.getuid?.() ?? os.userInfo().username;
  return path.join(os.tmpdir(), `vgi-ts-shared-${user}.sqlite`);
}

/** Open the shared storage that `env` selects (see the module comment). */
export function openSharedStorage(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SharedStorage {
  const backend = (env[SHARED_STORAGE_ENV] ?? "").trim().toLowerCase() || "sqlite";
  switch (backend) {
    case "memory":
      return new MemoryStorage();
    case "sqlite": {
      const explicit = env[SHARED_STORAGE_PATH_ENV];
      if (explicit) return new SqliteStorage(explicit);
      const file = defaultSharedStoragePath();
      claimDefaultFile(file);
      return new SqliteStorage(file);
    }
    default:
      throw new Error(
        `${SHARED_STORAGE_ENV}=${JSON.stringify(env[SHARED_STORAGE_ENV])} is not a shared ` +
          `storage backend; use one of: ${SHARED_STORAGE_BACKENDS.join(", ")}`,
      );
  }
}

/**
 * The default file sits in a directory every user can write and holds query data: create
 * it readable by its owner only (sqlite gives the -wal and -shm files the same mode), and
 * refuse a file there that is not a regular file of ours (a symlink or another user's
 * file planted under the name).
 */
function claimDefaultFile(file: string): void {
  try {
    closeSync(openSync(file, "wx", 0o600));
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = lstatSync(file);
  const uid = process.getuid?.();
  if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) {
    throw new Error(
      `refusing shared storage ${file}: not a regular file owned by this user; ` +
        `remove it or set ${SHARED_STORAGE_PATH_ENV}`,
    );
  }
}
