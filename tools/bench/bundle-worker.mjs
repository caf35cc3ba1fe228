// Bundles bench-worker.mjs (or another worker of this directory, e.g. catalog-worker.mjs)
// and everything it imports (workspace packages from their
// TypeScript sources, apache-arrow, flatbuffers) into one file, as the fixture workers
// are bundled: a cold start then reads one module instead of hundreds. CommonJS, so that
// launch-cached.cjs can start it with a V8 code cache (ESM has no cache API on Node 20).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const bundlePath = (name) => path.join(here, "dist", `${name}.cjs`);
export const BUNDLED_WORKER = bundlePath("bench-worker");
/** The command that starts a bundled worker (with its code cache). */
export const workerCommand = (name = "bench-worker") =>
  `node ${path.join(here, "launch-cached.cjs")} ${bundlePath(name)}`;
export const WORKER_COMMAND = workerCommand();

/** Bundles `<name>.mjs` of this directory into dist/<name>.cjs; returns its path. */
export async function bundleWorker(name = "bench-worker") {
  const outfile = bundlePath(name);
  await build({
    entryPoints: [path.join(here, `${name}.mjs`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["source"],
    sourcemap: true,
    logLevel: "warning",
  });
  rmSync(`${outfile}.v8cache`, { force: true }); // launch-cached.cjs rebuilds it
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await bundleWorker(process.argv[2]));
}
