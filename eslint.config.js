// Lint rules: the recommended sets of eslint and typescript-eslint, plus the few rules
// that catch real mistakes in protocol code (floating promises are checked by tsc's
// strictness and our tests; type-aware linting is too slow for every commit here).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.nx/**",
      "**/coverage/**",
      ".conformance/**",
      ".bench/**",
      // Test workers bundled by test set-ups (packages/worker/test/global-setup.ts).
      "**/.test-build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
);
