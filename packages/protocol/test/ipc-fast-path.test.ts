/**
 * The hand-written IPC paths (flatbuffer-message.ts, the flat-column loader and
 * assembler, StreamEncoder parts) against arrow-js's own reader and writer.
 */
import { describe, expect, test } from "vitest";
import {
  Binary,
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  List,
  Message,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from "apache-arrow";
import {
  IpcMessage,
  IpcReader,
  MessageFramer,
  StreamEncoder,
  concatBytes,
  decodeStream,
  encodeRecordBatchMessage,
  encodeStream,
  encodeStreamParts,
} from "../src/index.js";
import { Prng } from "./support.js";

const rng = new Prng(0x1dea);
const GENERATORS: [DataType, () => unknown][] = [
  [new Int8(), () => rng.int(200) - 100],
  [new Int16(), () => rng.int(60000) - 30000],
  [new Int32(), () => rng.int(2 ** 30)],
  [new Int64(), () => BigInt(rng.int(2 ** 30)) * 1000n - 7n],
  [new Uint8(), () => rng.int(255)],
  [new Uint64(), () => BigInt(rng.int(2 ** 30)) * 3n],
  [new Float32(), () => Math.fround(rng.int(1000) / 7)],
  [new Float64(), () => rng.int(1e6) / 3],
  [new Utf8(), () => `s${"é".repeat(rng.int(5))}${rng.int(1e6)}`],
  [new Binary(), () => Uint8Array.from({ length: rng.int(9) }, () => rng.int(255))],
  [new Bool(), () => rng.int(2) === 1],
  [new DateDay(), () => new Date(rng.int(2 ** 30) * 1000)],
  // Not flat: these take the VectorAssembler / VectorLoader paths.
  [new LargeUtf8(), () => `L${rng.int(1e6)}`],
  [new List(new Field("item", new Int32(), true)), () => [1, rng.int(9)]],
];

/** Rows and metadata, comparable across decoders (bigints and bytes made printable). */
function snapshot(batch: RecordBatch): string {
  return JSON.stringify(
    { rows: batch.toArray().map((row) => row.toJSON()), metadata: [...batch.metadata] },
    (_key, value: unknown) =>
      typeof value === "bigint"
        ? `${value}n`
        : value instanceof Uint8Array
          ? Array.from(value)
          : value,
  );
}

function randomBatches(): { schema: Schema; batches: RecordBatch[] } {
  const picks = Array.from(
    { length: 1 + rng.int(4) },
    () => GENERATORS[rng.int(GENERATORS.length)]!,
  );
  const fields = picks.map(([type], i) => new Field(`c${i}`, type, true));
  const schema = new Schema(fields);
  const batches = Array.from({ length: 1 + rng.int(3) }, () => {
    const rows = rng.int(70);
    const nullEvery = rng.int(2) === 0 ? 0 : 2 + rng.int(4);
    const children = picks.map(
      ([type, value]) =>
        vectorFromArray(
          Array.from({ length: rows }, (_, i) =>
            nullEvery > 0 && i % nullEvery === 0 ? null : value(),
          ),
          type,
        ).data[0]!,
    );
    const metadata =
      rng.int(3) === 0
        ? new Map([
            ["k", "v"],
            ["ü", "✓ ünïcode"],
            ["", ""],
          ])
        : new Map();
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(fields), length: rows, children }),
      metadata,
    );
    return rows > 4 && rng.int(5) === 0 ? batch.slice(1, rows - 1) : batch;
  });
  return { schema, batches };
}

describe("StreamEncoder / StreamDecoder fast paths", () => {
  test("random batches (nulls, slices, metadata, flat and nested) read back by arrow-js and by us", () => {
    for (let round = 0; round < 200; round++) {
      const { schema, batches } = randomBatches();
      const bytes = encodeStream(schema, batches);
      const theirs = RecordBatchReader.from(bytes).readAll();
      const ours = decodeStream(bytes).batches;
      expect(theirs.length, `round ${round}`).toBe(batches.length);
      batches.forEach((batch, i) => {
        const want = snapshot(batch);
        expect(snapshot(theirs[i]!), `round ${round} batch ${i} (arrow-js)`).toBe(want);
        expect(snapshot(ours[i]!), `round ${round} batch ${i} (ours)`).toBe(want);
      });
    }
  });

  test("streams written by arrow-js decode the same through our reader", () => {
    const table = tableFromArrays({
      a: new BigInt64Array([1n, -2n, 3n]),
      s: ["x", "héllo", ""],
      f: new Float64Array([0.5, 1, 2]),
    });
    const ours = decodeStream(tableToIPC(table, "stream")).batches;
    expect(snapshot(ours[0]!)).toBe(snapshot(table.batches[0]!));
  });

  test("writeParts concatenates to exactly what write returns, bodies 8-byte padded", () => {
    const { schema, batches } = randomBatches();
    const a = new StreamEncoder(schema);
    const b = new StreamEncoder(schema);
    for (const batch of batches) {
      const parts = a.writeParts(batch);
      expect(concatBytes(parts)).toEqual(b.write(batch));
      expect(concatBytes(parts).byteLength % 8).toBe(0);
    }
    expect(concatBytes(encodeStreamParts(schema, batches))).toEqual(encodeStream(schema, batches));
  });

  test("a batch whose columns do not fit the stream's schema is refused", () => {
    const encoder = new StreamEncoder(new Schema([new Field("x", new Int64(), true)]));
    const other = tableFromArrays({ x: new Float64Array([1]) }).batches[0]!;
    expect(() => encoder.writeParts(other)).toThrow(/does not fit the stream's schema/);
  });
});

describe("hand-written Message flatbuffers", () => {
  test("arrow-js decodes our RecordBatch headers: nodes, buffers, metadata, variadic counts", () => {
    const metadata = new Map([
      ["vgi_rpc.log_level", "INFO"],
      ["long", "x".repeat(1000)],
    ]);
    const nodes = [
      { length: 5, nullCount: 1 },
      { length: 2 ** 40, nullCount: 0 },
    ];
    const buffers = [
      { offset: 0, length: 1 },
      { offset: 8, length: 40 },
      { offset: 48, length: 2 ** 33 },
    ];
    const bytes = encodeRecordBatchMessage(5, nodes, buffers, 2 ** 34, metadata, [2, 0]);
    expect(bytes.byteLength % 8).toBe(0);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(0, true)).toBe(0xffffffff);
    expect(view.getInt32(4, true)).toBe(bytes.byteLength - 8);
    const flatbuffer = bytes.subarray(8);
    const message = Message.decode(flatbuffer);
    expect(message.isRecordBatch()).toBe(true);
    expect(Number(message.bodyLength)).toBe(2 ** 34);
    const header = message.header() as unknown as {
      length: number;
      nodes: { length: number; nullCount: number }[];
      buffers: { offset: number; length: number }[];
      variadicBufferCounts: number[];
    };
    expect(Number(header.length)).toBe(5);
    expect(header.nodes.map((n) => [Number(n.length), Number(n.nullCount)])).toEqual(
      nodes.map((n) => [n.length, n.nullCount]),
    );
    expect(header.buffers.map((b) => [Number(b.offset), Number(b.length)])).toEqual(
      buffers.map((b) => [b.offset, b.length]),
    );
    expect([...header.variadicBufferCounts].map(Number)).toEqual([2, 0]);
    expect([...message.metadata]).toEqual([...metadata]);
    // And our own reader agrees.
    const parsed = IpcMessage.parse(flatbuffer);
    expect(parsed.bodyLength).toBe(2 ** 34);
    expect(parsed.recordBatch()).toEqual({
      length: 5,
      nodes,
      buffers,
      compressed: false,
      variadicBufferCounts: [2, 0],
    });
    expect([...parsed.metadata]).toEqual([...metadata]);
  });

  test("identical headers are shared, not re-encoded", () => {
    const nodes = [{ length: 2048, nullCount: 0 }];
    const buffers = [
      { offset: 0, length: 0 },
      { offset: 0, length: 16384 },
    ];
    const first = encodeRecordBatchMessage(2048, nodes, buffers, 16384);
    expect(encodeRecordBatchMessage(2048, nodes, buffers, 16384)).toBe(first);
    expect(encodeRecordBatchMessage(2047, nodes, buffers, 16384)).not.toBe(first);
  });
});

describe("reader and framer", () => {
  test("pollBatch(true) reads a blocking source: each batch, then null at EOS", async () => {
    const schema = new Schema([new Field("x", new Int64(), true)]);
    const batch = tableFromArrays({ x: new BigInt64Array([1n, 2n, 3n]) }).batches[0]!;
    const bytes = encodeStream(schema, [batch, batch]);
    let offset = 0;
    const next = (): Uint8Array | null => {
      if (offset >= bytes.byteLength) return null;
      const chunk = bytes.subarray(offset, Math.min(offset + 40, bytes.byteLength));
      offset += chunk.byteLength;
      return chunk;
    };
    let blockingReads = 0;
    const reader = new IpcReader({
      read: () => Promise.resolve(next()),
      readBlocking: () => {
        blockingReads++;
        return next();
      },
    });
    expect(await reader.readSchema()).not.toBeNull();
    const first = reader.pollBatch(true);
    const second = reader.pollBatch(true);
    expect(first && snapshot(first)).toBe(snapshot(batch));
    expect(second && snapshot(second)).toBe(snapshot(batch));
    expect(reader.pollBatch(true)).toBeNull();
    expect(blockingReads).toBeGreaterThan(0);
    expect(await reader.readSchema()).toBeNull();
  });

  test("bodies split across contiguous reads of one buffer are joined in place", () => {
    const schema = new Schema([new Field("x", new Int64(), true)]);
    const batch = tableFromArrays({ x: new BigInt64Array(100).fill(7n) }).batches[0]!;
    const bytes = encodeStream(schema, [batch]);
    const framer = new MessageFramer();
    for (let at = 0; at < bytes.byteLength; at += 100) {
      framer.push(bytes.subarray(at, Math.min(at + 100, bytes.byteLength)));
    }
    framer.next(); // schema
    const frame = framer.next();
    if (frame === null || frame.kind !== "message") throw new Error("expected a message");
    expect(frame.body.buffer).toBe(bytes.buffer); // a view, not a copy
  });
});
