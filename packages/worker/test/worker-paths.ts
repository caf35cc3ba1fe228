/** Where the test workers' sources are and where global-setup.ts bundles them. */
import path from "node:path";
import { fileURLToPath } from "node:url";

const testDir = path.dirname(fileURLToPath(import.meta.url));

/** Scratch output, git-ignored (packages/worker/.gitignore). */
export const BUILD_DIR = path.resolve(testDir, "..", ".test-build");

export const TEST_WORKERS = {
  errors: {
    source: path.join(testDir, "workers", "error-worker.ts"),
    bundle: path.join(BUILD_DIR, "error-worker.mjs"),
  },
  cache: {
    source: path.join(testDir, "workers", "cache-worker.ts"),
    bundle: path.join(BUILD_DIR, "cache-worker.mjs"),
  },
  tableInOut: {
    source: path.join(testDir, "workers", "table-in-out-worker.ts"),
    bundle: path.join(BUILD_DIR, "table-in-out-worker.mjs"),
  },
} as const;
