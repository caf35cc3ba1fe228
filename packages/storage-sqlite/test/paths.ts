/** Where the test children's sources are and where global-setup.ts bundles them. */
import path from "node:path";
import { fileURLToPath } from "node:url";

const testDir = path.dirname(fileURLToPath(import.meta.url));

/** Scratch output, git-ignored (packages/storage-sqlite/.gitignore). */
export const BUILD_DIR = path.resolve(testDir, "..", ".test-build");

export const APPEND_CHILD = {
  source: path.join(testDir, "children", "append-child.ts"),
  bundle: path.join(BUILD_DIR, "append-child.mjs"),
} as const;

export const SEQUENCE_CHILD = {
  source: path.join(testDir, "children", "sequence-child.ts"),
  bundle: path.join(BUILD_DIR, "sequence-child.mjs"),
} as const;
