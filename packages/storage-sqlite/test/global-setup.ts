/**
 * Bundles the child program of the multi-process test from src/ (so it always runs the
 * current source, built or not), leaving better-sqlite3 (a native addon) to be loaded from
 * node_modules at run time.
 */
import { mkdirSync } from "node:fs";
import { build } from "esbuild";
import { APPEND_CHILD, BUILD_DIR } from "./paths.js";

export default async function setup(): Promise<void> {
  mkdirSync(BUILD_DIR, { recursive: true });
  await build({
    entryPoints: [APPEND_CHILD.source],
    outfile: APPEND_CHILD.bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    external: ["better-sqlite3"],
    sourcemap: "inline",
    logLevel: "error",
  });
}
