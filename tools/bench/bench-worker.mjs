#!/usr/bin/env node
// The worker `npm run bench` attaches: the two functions the scalar benchmarks call,
// written the way we recommend for hot paths — on Arrow buffers, no per-value objects —
// and the table-in-out `echo` of table-in-out-bench.mjs.
// run.mjs bundles it (with the workspace packages) into dist/bench-worker.cjs and starts
// it through launch-cached.cjs.
import { TextDecoder, TextEncoder } from "node:util";
import { Data, Int64, Utf8 } from "apache-arrow";
import { defineCatalog } from "@vgi-ts/catalog";
import { TABLE, scalarFunction, serveWorker, tableInOutFunction } from "@vgi-ts/worker";

const bigint = { sqlName: "BIGINT", arrowType: () => new Int64() };
const varchar = { sqlName: "VARCHAR", arrowType: () => new Utf8() };
const INT64 = new Int64();
const UTF8 = new Utf8();

/**
 * An output buffer of `bytes` bytes, not zero-filled: every byte is written before it is
 * sent. (A fresh allocation per batch: the batch may outlive this call.)
 */
const uninitialized = (bytes) => Buffer.allocUnsafeSlow(bytes).buffer;

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
    const out = new BigInt64Array(uninitialized(8 * n), 0, n);
    for (let i = 0; i < n; i++) out[i] = values[i] + 1n;
    return new Data(INT64, 0, n, data.nullCount, [undefined, out, data.nullBitmap]);
  },
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Upper-case on the UTF-8 buffer. ASCII (the common case) is byte arithmetic with the
 * same offsets, four bytes at a time; a batch holding any non-ASCII byte is redone string
 * by string with String#toUpperCase, since upper-casing can change a value's byte length
 * ('ß' → 'SS').
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
    const size = offsets[n] - start;
    const out = new Uint8Array(uninitialized(size), 0, size);
    if (upperAscii(data.values, start, size, out)) return upperSlow(data, n);
    const outOffsets = start === 0 ? offsets.subarray(0, n + 1) : offsets.map((o) => o - start);
    return new Data(UTF8, 0, n, data.nullCount, [outOffsets, out, data.nullBitmap]);
  },
});

/**
 * ASCII upper-case of `size` bytes of `src` from `start` into `out`; true when a
 * non-ASCII byte was seen (then `out` is incomplete). Whole 32-bit words where the
 * source is 4-byte aligned: per byte, 'a'..'z' (0x61..0x7a) get bit 7 set by +0x1f and
 * kept clear by +0x05, and the difference 0x20 is subtracted.
 */
function upperAscii(src, start, size, out) {
  let i = 0;
  let high = 0;
  const at = src.byteOffset + start;
  if (at % 4 === 0) {
    const words = size >>> 2;
    const from = new Uint32Array(src.buffer, at, words);
    const to = new Uint32Array(out.buffer, out.byteOffset, words);
    for (let w = 0; w < words; w++) {
      const word = from[w];
      high |= word;
      const low7 = word & 0x7f7f7f7f;
      const lower = (low7 + 0x1f1f1f1f) & ~(low7 + 0x05050505) & 0x80808080;
      to[w] = word - (lower >>> 2);
    }
    i = words << 2;
  }
  for (; i < size; i++) {
    const b = src[start + i];
    high |= b;
    out[i] = b >= 97 && b <= 122 ? b - 32 : b;
  }
  return (high & 0x80808080) !== 0;
}

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

/**
 * Pass-through table-in-out: each input batch goes back as it came (the projected
 * columns' Arrow buffers, no copy). `reuseWorkers` puts each substream's worker back in
 * DuckDB's pool at the end of the query; without it the extension retires them.
 */
const echo = tableInOutFunction({
  name: "echo",
  description: "Emits each input batch unchanged",
  projectionPushdown: true,
  reuseWorkers: true,
  arguments: [{ name: "data", type: TABLE, doc: "Input table" }],
});

// No top-level await: run.mjs bundles this as CommonJS for launch-cached.cjs.
serveWorker({
  catalogs: [
    defineCatalog({
      name: "bench",
      schemas: [{ path: "main", functions: [addOne, upperUtf8, echo] }],
    }),
  ],
}).catch((error) => {
  process.stderr.write(`bench worker: ${error?.stack ?? error}\n`);
  process.exit(1);
});
