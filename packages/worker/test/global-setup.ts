/**
 * Bundles the test workers (test/workers/*.ts) into single files under .test-build/,
 * once per test run, the way the fixtures package ships its worker: one module to load
 * keeps a worker's cold start (and so every ATTACH) short.
 */
import { mkdirSync } from "node:fs";
import { build } from "esbuild";
import { BUILD_DIR, TEST_WORKERS } from "./worker-paths.js";

export default async function setup(): Promise<void> {
  mkdirSync(BUILD_DIR, { recursive: true });
  await Promise.all(
    Object.values(TEST_WORKERS).map(({ source, bundle }) =>
      build({
        entryPoints: [source],
        outfile: bundle,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        conditions: ["source"],
        sourcemap: "inline",
        logLevel: "error",
      }),
    ),
  );
}
