import { defineConfig } from "tsup";

export default defineConfig({
  // The file runner is forked as its own process per test file, so it must be
  // a separate entry next to cli.js rather than bundled into it.
  entry: {
    index: "src/index.ts",
    "sqllogictest/cli": "src/sqllogictest/cli.ts",
    "sqllogictest/file-runner": "src/sqllogictest/file-runner.ts",
  },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  splitting: true,
});
