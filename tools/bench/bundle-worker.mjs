// Bundles bench-worker.mjs and everything it imports (workspace packages from their
// TypeScript sources, apache-arrow, flatbuffers) into one ESM file, as the fixture
// workers are bundled: a cold start then reads one module instead of hundreds.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BUNDLED_WORKER = path.join(here, "dist", "bench-worker.mjs");

export async function bundleWorker() {
  await build({
    entryPoints: [path.join(here, "bench-worker.mjs")],
    outfile: BUNDLED_WORKER,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    sourcemap: true,
    logLevel: "warning",
    // Bundled CommonJS dependencies may call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __vgiCreateRequire } from "node:module"; const require = __vgiCreateRequire(import.meta.url);',
    },
  });
  return BUNDLED_WORKER;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await bundleWorker());
}
