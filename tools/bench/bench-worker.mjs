#!/usr/bin/env node
// The worker `npm run bench` attaches: the two functions the scalar benchmarks call,
// written the way we recommend for hot paths — on Arrow buffers, no per-value objects.
import { Int64, Utf8, makeData } from "apache-arrow";
import { defineCatalog } from "@vgi-ts/catalog";
import { scalarFunction, serveWorker } from "@vgi-ts/worker";

const bigint = { sqlName: "BIGINT", arrowType: () => new Int64() };
const varchar = { sqlName: "VARCHAR", arrowType: () => new Utf8() };

/** x + 1 over the BigInt64Array values buffer; the validity bitmap is passed through. */
const addOne = scalarFunction({
  name: "add_one",
  description: "x + 1",
  arguments: [{ name: "x", type: bigint }],
  returns: bigint,
  compute(input) {
    const data = input.columns[0].data[0];
    const values = data.values;
    const out = new BigInt64Array(input.numRows);
    for (let i = 0; i < out.length; i++) out[i] = values[i] + 1n;
    return makeData({
      type: new Int64(),
      length: out.length,
      data: out,
      nullBitmap: data.nullBitmap,
      nullCount: data.nullCount,
    });
  },
});

/** ASCII upper-case by byte arithmetic on the UTF-8 buffer; same offsets, same validity. */
const upperAscii = scalarFunction({
  name: "upper_ascii",
  description: "upper-case (ASCII fast path)",
  arguments: [{ name: "s", type: varchar }],
  returns: varchar,
  compute(input) {
    const data = input.columns[0].data[0];
    const offsets = data.valueOffsets;
    const start = offsets[0];
    const end = offsets[input.numRows];
    const bytes = data.values.subarray(start, end);
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      out[i] = b >= 97 && b <= 122 ? b - 32 : b;
    }
    const outOffsets = start === 0 ? offsets : offsets.map((o) => o - start);
    return makeData({
      type: new Utf8(),
      length: input.numRows,
      valueOffsets: outOffsets,
      data: out,
      nullBitmap: data.nullBitmap,
      nullCount: data.nullCount,
    });
  },
});

await serveWorker({
  catalogs: [
    defineCatalog({ name: "bench", schemas: [{ path: "main", functions: [addOne, upperAscii] }] }),
  ],
});
