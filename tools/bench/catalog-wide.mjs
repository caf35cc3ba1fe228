// The catalog catalog-bench.mjs lists: `wide`, with `count` tables (each over the one
// table function `rows`) and `count` scalar functions in schema main. Shared by the
// bench's worker (catalog-worker.mjs) and the in-process timing (catalog-listing-cpu.mjs).
import { Int64 } from "apache-arrow";
import { sql } from "@vgi-ts/protocol";
import { defineCatalog } from "@vgi-ts/catalog";
import { scalarFunction, tableFunction } from "@vgi-ts/worker";

const bigint = { sqlName: "BIGINT", arrowType: () => new Int64() };

export function wideCatalog(count) {
  const rows = tableFunction({
    name: "rows",
    arguments: [{ name: "count", type: bigint }],
    columns: { n: bigint },
    start: ({ args }) => ({ left: Number(args.count) }),
    produce: (state) => {
      if (state.left <= 0) return null;
      const out = new BigInt64Array(state.left).map((_, i) => BigInt(i));
      state.left = 0;
      return { n: out };
    },
  });

  const functions = Array.from({ length: count }, (_, i) =>
    scalarFunction({
      name: `f_${i}`,
      description: `function ${i}`,
      arguments: [{ name: "x", type: bigint }],
      returns: bigint,
      compute: (input) => input.columns[0],
    }),
  );

  const tables = Array.from({ length: count }, (_, i) => ({
    name: `t_${i}`,
    comment: `table ${i}`,
    columns: { n: sql.bigint, v: sql.bigint },
    scan: { functionName: "rows", positional: [BigInt(i % 10)] },
  }));

  return defineCatalog({
    name: "wide",
    schemas: [{ path: "main", functions: [rows, ...functions], tables }],
  });
}
