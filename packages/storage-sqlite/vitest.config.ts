import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  // Tests run in the SSR environment, which has its own conditions: without this,
  // @vgi-ts/* imports resolve to the (possibly stale) dist/ builds instead of src/.
  // The rest is Vite's default server conditions.
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Bundles the child program the multi-process test spawns.
    globalSetup: ["test/global-setup.ts"],
    // One file at a time: the multi-process tests check that their children's claims
    // really interleaved, which other test files hogging the 2 cores can prevent.
    fileParallelism: false,
  },
});
