/**
 * A worker whose functions advertise result-cache control and record every real
 * invocation, for the end-to-end result-cache tests: each call appends one line to the
 * file named by VGI_TS_CACHE_CALLS, so a test counts what actually reached a worker
 * process (any of the pooled ones) and can prove that a cached result was served
 * without one. Bundled by test/global-setup.ts; DuckDB spawns it as `node <bundle>`.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { defineCatalog } from "@vgi-ts/catalog";
import { sql } from "@vgi-ts/protocol";
import {
  scalarFunction,
  serveWorker,
  tableFunction,
  tableInOutFunction,
  withCacheControl,
} from "@vgi-ts/worker";

/** One line per real invocation; appends of a short line are atomic across processes. */
function record(event: string): void {
  const file = process.env.VGI_TS_CACHE_CALLS;
  if (file !== undefined) appendFileSync(file, `${event}\n`);
}

interface Once {
  done: boolean;
  stamp: bigint;
}

const once = (): Once => ({ done: false, stamp: BigInt(Date.now()) });

const countedNumbers = tableFunction<Once>({
  name: "counted_numbers",
  description: "n rows [0..n) cached for `ttl` seconds; records each real call",
  arguments: [
    { name: "n", type: sql.bigint },
    { name: "ttl", type: sql.bigint, named: true, default: 300 },
  ],
  columns: { n: sql.bigint, stamp: sql.bigint },
  cacheControl: ({ args }) => ({ ttl: Number(args.ttl) }),
  start: ({ args }) => {
    record(`counted_numbers ${String(args.n)}`);
    return once();
  },
  produce: (state, { args }) => {
    if (state.done) return null;
    state.done = true;
    const rows = Array.from({ length: Number(args.n) }, (_, i) => BigInt(i));
    return { n: rows, stamp: rows.map(() => state.stamp) };
  },
});

const countedUncached = tableFunction<Once>({
  name: "counted_uncached",
  description: "One row advertised no_store; records each real call",
  arguments: [],
  columns: { stamp: sql.bigint },
  cacheControl: { ttl: 300, noStore: true },
  start: () => {
    record("counted_uncached");
    return once();
  },
  produce: (state) => {
    if (state.done) return null;
    state.done = true;
    return { stamp: [state.stamp] };
  },
});

/**
 * The data version counted_revalidated reports: the text of the file VGI_TS_CACHE_VERSION
 * names (a test edits it to make the data "change" under running worker processes).
 */
function etag(): string {
  const file = process.env.VGI_TS_CACHE_VERSION;
  return `"${file === undefined ? "1" : readFileSync(file, "utf8").trim()}"`;
}

const countedRevalidated = tableFunction<Once>({
  name: "counted_revalidated",
  description: "Always-revalidate result (ttl 0 + etag); answers not_modified while unchanged",
  arguments: [],
  columns: { stamp: sql.bigint },
  start: () => once(),
  produce: (state, { cacheValidators }) => {
    if (state.done) return null;
    state.done = true;
    const control = { ttl: 0, etag: etag(), revalidatable: true };
    if (cacheValidators.ifNoneMatch === etag()) {
      record("counted_revalidated not_modified");
      return withCacheControl({ stamp: [] }, { ...control, notModified: true });
    }
    record(`counted_revalidated full if_none_match=${cacheValidators.ifNoneMatch ?? "none"}`);
    return withCacheControl({ stamp: [state.stamp] }, control);
  },
});

const countedTriple = scalarFunction({
  name: "counted_triple",
  description: "x * 3, memoized per value by the client; records each batch's row count",
  arguments: [{ name: "x", type: sql.bigint }],
  returns: sql.bigint,
  cacheControl: { ttl: 300, perValue: true },
  compute: (input) => {
    record(`counted_triple rows=${input.numRows}`);
    const x = input.columns[0]!;
    return Array.from({ length: input.numRows }, (_, i) => {
      const value = x.get(i) as bigint | null;
      return value === null ? null : value * 3n;
    });
  },
});

const countedDouble = tableInOutFunction({
  name: "counted_double",
  description: "Row transform x -> x * 2, cached per input batch; records each batch",
  inputFromArgs: true,
  arguments: [{ name: "x", type: sql.bigint }],
  columns: { doubled: sql.bigint },
  cacheControl: { ttl: 300 },
  process: (input) => {
    record(`counted_double rows=${input.numRows}`);
    const x = input.getChildAt(0)!;
    return {
      doubled: Array.from({ length: input.numRows }, (_, i) => {
        const value = x.get(i) as bigint | null;
        return value === null ? null : value * 2n;
      }),
    };
  },
});

await serveWorker({
  catalogs: [
    defineCatalog({
      name: "cachetest",
      schemas: [
        {
          path: "main",
          functions: [
            countedNumbers,
            countedUncached,
            countedRevalidated,
            countedTriple,
            countedDouble,
          ],
        },
      ],
    }),
  ],
});
