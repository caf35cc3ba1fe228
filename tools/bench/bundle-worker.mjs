// Bundles bench-worker.mjs and everything it imports (workspace packages from their
// TypeScript sources, apache-arrow, flatbuffers) into one file, as the fixture workers
// are bundled: a cold start then reads one module instead of hundreds. CommonJS, so that
// launch-cached.cjs can start it with a V8 code cache (ESM has no cache API on Node 20).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BUNDLED_WORKER = path.join(here, "dist", "bench-worker.cjs");
/** The command that starts the bundled worker (with its code cache). */
export const WORKER_COMMAND = `node ${path.join(here, "launch-cached.cjs")} ${BUNDLED_WORKER}`;

export async function bundleWorker() {
  await build({
    entryPoints: [path.join(here, "bench-worker.mjs")],
    outfile: BUNDLED_WORKER,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["source"],
    sourcemap: true,
    logLevel: "warning",
  });
  rmSync(`${BUNDLED_WORKER}.v8cache`, { force: true }); // launch-cached.cjs rebuilds it
  return BUNDLED_WORKER;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await bundleWorker());
}
