/**
 * A worker whose functions misbehave on purpose, for the end-to-end error tests: each
 * failure must reach DuckDB as a clear error, and the worker must keep serving.
 * Bundled by test/global-setup.ts; DuckDB spawns it as `node <bundle>`.
 */
import { Utf8, vectorFromArray } from "apache-arrow";
import { defineCatalog } from "@vgi-ts/catalog";
import { sql } from "@vgi-ts/protocol";
import { scalarFunction, serveWorker } from "@vgi-ts/worker";

/** A named frame, so tests can look for it in the traceback. */
function explodeInUserCode(value: bigint): never {
  throw new Error(`explode: user code failed on purpose for x=${value}`);
}

const doubled = scalarFunction({
  name: "doubled",
  description: "x * 2 (the good call that must still work after every failure)",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  row: (x) => x * 2n,
});

const explode = scalarFunction({
  name: "explode",
  description: "Writes a line to stderr, then throws an Error",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  row: (x) => {
    console.error(`explode-stderr-marker: about to fail for x=${x}`);
    return explodeInUserCode(x);
  },
});

const throwString = scalarFunction({
  name: "throw_string",
  description: "Throws a value that is not an Error",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  row: () => {
    throw "a plain string was thrown";
  },
});

const exitProcess = scalarFunction({
  name: "exit_process",
  description: "Writes a line to stderr, then ends the worker process (exit code 7)",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  row: (x) => {
    process.stderr.write(`exit-stderr-marker: the worker exits now (x=${x})\n`);
    process.exit(7);
  },
});

const wrongRowCount = scalarFunction({
  name: "wrong_row_count",
  description: "Returns one value more than the input has rows",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  compute: (input) => new BigInt64Array(input.numRows + 1),
});

const wrongTypeColumn = scalarFunction({
  name: "wrong_type_column",
  description: "Declared BIGINT, returns a VARCHAR column",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  compute: (input) =>
    vectorFromArray(
      Array.from({ length: input.numRows }, (_, i) => `not a number ${i}`),
      new Utf8(),
    ),
});

const wrongTypeRows = scalarFunction({
  name: "wrong_type_rows",
  description: "Declared BIGINT, returns strings row by row",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  row: (x) => `text ${x}` as unknown as bigint,
});

await serveWorker({
  catalogs: [
    defineCatalog({
      name: "example",
      comment: "vgi-ts error tests",
      schemas: [
        {
          path: "main",
          functions: [
            doubled,
            explode,
            throwString,
            exitProcess,
            wrongRowCount,
            wrongTypeColumn,
            wrongTypeRows,
          ],
        },
      ],
    }),
  ],
});
