#!/usr/bin/env node
// The worker `npm run bench` attaches: the two functions the scalar benchmarks call,
// written the way we recommend for hot paths — on Arrow buffers, no per-value objects.
// run.mjs bundles it (with the workspace packages) into dist/bench-worker.mjs first.
import { TextDecoder, TextEncoder } from "node:util";
import { Data, Int64, Utf8 } from "apache-arrow";
import { defineCatalog } from "@vgi-ts/catalog";
import { scalarFunction, serveWorker } from "@vgi-ts/worker";

const bigint = { sqlName: "BIGINT", arrowType: () => new Int64() };
const varchar = { sqlName: "VARCHAR", arrowType: () => new Utf8() };
const INT64 = new Int64();
const UTF8 = new Utf8();

/** x + 1 over the BigInt64Array values buffer; the validity bitmap is passed through. */
const addOne = scalarFunction({
  name: "add_one",
  description: "x + 1",
  arguments: [{ name: "x", type: bigint }],
  returns: bigint,
  compute(input) {
    const data = input.columns[0].data[0];
    const values = data.values;
    const n = input.numRows;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i] + 1n;
    return new Data(INT64, 0, n, data.nullCount, [undefined, out, data.nullBitmap]);
  },
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Upper-case on the UTF-8 buffer. ASCII (the common case) is byte arithmetic with the
 * same offsets; a batch holding any non-ASCII byte is redone string by string with
 * String#toUpperCase, since upper-casing can change a value's byte length ('ß' → 'SS').
 */
const upperUtf8 = scalarFunction({
  name: "upper_utf8",
  description: "upper-case (ASCII fast path, full Unicode otherwise)",
  arguments: [{ name: "s", type: varchar }],
  returns: varchar,
  compute(input) {
    const data = input.columns[0].data[0];
    const n = input.numRows;
    const offsets = data.valueOffsets;
    const start = offsets[0];
    const end = offsets[n];
    const bytes = data.values;
    const out = new Uint8Array(end - start);
    let high = 0;
    for (let i = start, j = 0; i < end; i++, j++) {
      const b = bytes[i];
      high |= b;
      out[j] = b >= 97 && b <= 122 ? b - 32 : b;
    }
    if (high < 0x80) {
      const outOffsets = start === 0 ? offsets.subarray(0, n + 1) : offsets.map((o) => o - start);
      return new Data(UTF8, 0, n, data.nullCount, [outOffsets, out, data.nullBitmap]);
    }
    return upperSlow(data, n);
  },
});

function upperSlow(data, n) {
  const { valueOffsets: offsets, values: bytes } = data;
  const parts = [];
  const outOffsets = new Int32Array(n + 1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (data.getValid(i)) {
      const part = encoder.encode(
        decoder.decode(bytes.subarray(offsets[i], offsets[i + 1])).toUpperCase(),
      );
      parts.push(part);
      size += part.byteLength;
    }
    outOffsets[i + 1] = size;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return new Data(UTF8, 0, n, data.nullCount, [outOffsets, out, data.nullBitmap]);
}

await serveWorker({
  catalogs: [
    defineCatalog({ name: "bench", schemas: [{ path: "main", functions: [addOne, upperUtf8] }] }),
  ],
});
