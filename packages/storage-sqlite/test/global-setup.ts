/**
 * Bundles the child program of the multi-process test from src/ (so it always runs the
 * current source, built or not), leaving better-sqlite3 (a native addon) to be loaded from
 * node_modules at run time.
 */
import { mkdirSync } from "node:fs";
import { build } from "esbuild";
import { APPEND_CHILD, BUILD_DIR, SEQUENCE_CHILD } from "./paths.js";

export default async function setup(): Promise<void> {
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const child of [APPEND_CHILD, SEQUENCE_CHILD]) await bundle(child);
}

async function bundle(child: { source: string; bundle: string }): Promise<void> {
  await build({
    entryPoints: [child.source],
    outfile: child.bundle,
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
