/**
 * Table-in-out functions for the end-to-end tests: a pass-through, a per-row transform
 * that logs, one that fails after a number of rows, a finalize that counts what its
 * substream saw, and a row transform that fans out with parent rows. Bundled by
 * test/global-setup.ts; DuckDB spawns it as `node <bundle>`.
 */
import { defineCatalog } from "@vgi-ts/catalog";
import { sql } from "@vgi-ts/protocol";
import { Utf8, vectorFromArray } from "apache-arrow";
import {
  MemoryStorage,
  TABLE,
  TableInOutOutput,
  serveWorker,
  tableInOutFunction,
} from "@vgi-ts/worker";

const data = { name: "data", type: TABLE } as const;

const passThrough = tableInOutFunction({ name: "pass_through", arguments: [data] });

/** `label` upper-cased; `id` passes through. Logs once per batch. */
const shout = tableInOutFunction({
  name: "shout",
  projectionPushdown: true,
  arguments: [data],
  columns: { id: sql.bigint, label: sql.varchar },
  process: (input, _state, call, ctx) => {
    ctx.log("INFO", `shout-log: batch of ${input.numRows} rows`);
    const out: Record<string, unknown> = {};
    for (const name of call.outputSchema.fields.map((f) => f.name)) {
      const column = input.getChild(name)!;
      out[name] =
        name === "label"
          ? vectorFromArray(
              column.toArray().map((v: string | null) => v?.toUpperCase() ?? null),
              new Utf8(),
            )
          : column;
    }
    return out as never;
  },
});

interface Seen {
  rows: number;
  batches: number;
}

/** Throws once the stream has seen more than `limit` rows. */
const failAfter = tableInOutFunction<Seen>({
  name: "fail_after",
  arguments: [{ name: "limit", type: sql.bigint }, data],
  start: () => ({ rows: 0, batches: 0 }),
  process: (input, state, call) => {
    state.rows += input.numRows;
    if (state.rows > Number(call.args.limit as bigint)) {
      throw new RangeError(`fail_after: saw ${state.rows} rows, limit ${call.args.limit}`);
    }
    return input;
  },
});

/** Emits nothing while reading; at finalize one row: the rows and batches it saw. */
const countRows = tableInOutFunction<Seen>({
  name: "count_rows",
  arguments: [data],
  columns: { rows: sql.bigint, batches: sql.bigint, substream: sql.boolean },
  start: () => ({ rows: 0, batches: 0 }),
  process: (input, state) => {
    state.rows += input.numRows;
    state.batches += 1;
    return null;
  },
  finalize: (states, call) => [
    {
      rows: [states.reduce((n, s) => n + s.rows, 0)],
      batches: [states.reduce((n, s) => n + s.batches, 0)],
      substream: [call.substreamId !== null && call.substreamId.length === 16],
    },
  ],
});

/** Row transform: `n` rows per input row (0..n-1), with their parent rows. */
const fanOut = tableInOutFunction({
  name: "fan_out",
  inputFromArgs: true,
  arguments: [{ name: "n", type: sql.bigint }],
  columns: { k: sql.bigint },
  process: (input) => {
    const counts = input.getChild("n")!.toArray() as BigInt64Array;
    const values: bigint[] = [];
    const parents: number[] = [];
    counts.forEach((n, row) => {
      for (let k = 0n; k < n; k++) {
        values.push(k);
        parents.push(row);
      }
    });
    return new TableInOutOutput({ k: values }, parents);
  },
});

await serveWorker({
  catalogs: [
    defineCatalog({
      name: "tio",
      schemas: [{ path: "main", functions: [passThrough, shout, failAfter, countRows, fanOut] }],
    }),
  ],
  // One process per substream: finalize state stays in the process that produced it.
  storage: new MemoryStorage(),
});
