/**
 * Listings (`toIpcMany` / `toIpcEach`) write each row's stream on a fast path: columns
 * built a chunk of rows at a time, the schema prefix shared by all chunks, each row's
 * header a patched copy of a template (record-batch-template.ts) and everything
 * written straight into one output buffer. The extension compares every item's schema
 * exactly and decodes its batch with Arrow C++, so the fast path must produce the very
 * bytes of the general per-row encoding: arrow-js's writer for the schema prefix, all
 * rows' columns built at once, every row's header encoded by `encodeRecordBatchMessage`
 * (what listings wrote before, and what DuckDB accepted).
 */
import { describe, expect, test } from "vitest";
import {
  LargeUtf8,
  Message,
  MessageHeader,
  RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Struct,
  Utf8,
  makeData,
  makeVector,
  type Data,
} from "apache-arrow";
import * as messages from "../src/messages/index.js";
import { sampleMessage } from "../src/codec/test-samples.js";
import { buildData } from "../src/codec/columns.js";
import type { MessageCodec } from "../src/codec/message.js";
import { RowBatchWriter, UnsupportedRowType } from "../src/codec/row-batch.js";
import { EOS_BYTES, encodeStreamParts } from "../src/ipc/stream-encoder.js";
import { encodeRecordBatchMessage } from "../src/ipc/flatbuffer-message.js";
import { RecordBatchTemplate } from "../src/ipc/record-batch-template.js";
import { encodeColumnStatistics, sql } from "../src/index.js";

const codecs = Object.entries(messages as Record<string, unknown>)
  .filter(([name, value]) => name.endsWith("Codec") && isCodec(value))
  .map(([name, value]) => [name, value as MessageCodec<unknown, unknown>] as const);

function isCodec(value: unknown): boolean {
  return typeof (value as { toIpcMany?: unknown } | null)?.toIpcMany === "function";
}

/** The schema (and dictionary) messages arrow-js's writer puts before the first batch. */
function arrowPrefix(codec: MessageCodec<unknown, unknown>, full: readonly Data[]): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.write(
    new RecordBatch(
      codec.schema,
      makeData({
        type: new Struct(codec.schema.fields),
        length: 1,
        nullCount: 0,
        children: [...full],
      }),
    ),
  );
  writer.finish();
  const bytes = writer.toUint8Array(true);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; ;) {
    const metadataLength = view.getInt32(at + 4, true);
    const message = Message.decode(bytes.subarray(at + 8, at + 8 + metadataLength));
    if (message.headerType === MessageHeader.RecordBatch) return bytes.slice(0, at);
    at += 8 + metadataLength + Number(message.bodyLength);
  }
}

/** The general per-row encoding of `values` (see the file comment). */
function generalListing<TIn>(
  codec: MessageCodec<unknown, TIn>,
  values: readonly TIn[],
): Uint8Array[] {
  const full = codec.encode(values).data.children;
  const prefix = arrowPrefix(
    codec as MessageCodec<unknown, unknown>,
    full.map((d) => d.slice(0, 1)),
  );
  const writer = new RowBatchWriter(full);
  return values.map((_, r) => {
    const { header, body } = writer.write(r);
    return Buffer.concat([prefix, header, body, EOS_BYTES]);
  });
}

function expectSameBytes<TIn>(codec: MessageCodec<unknown, TIn>, values: readonly TIn[]): void {
  const many = codec.toIpcMany(values);
  const general = generalListing(codec, values);
  expect(many).toHaveLength(values.length);
  many.forEach((bytes, r) => {
    if (Buffer.compare(bytes, general[r]!) !== 0) {
      expect.fail(`${codec.name} row ${r}: listing bytes differ from the general encoding`);
    }
  });
}

describe("listing bytes equal the general encoder's", () => {
  test.each(codecs)("%s", (_, codec) => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7].map((variant) => sampleMessage(codec, variant));
    try {
      new RowBatchWriter(codec.encode(values).data.children);
    } catch (error) {
      if (!(error instanceof UnsupportedRowType)) throw error;
      // Large types: arrow-js's writer writes every row (no fast path to compare).
      const many = codec.toIpcMany(values);
      expect(many.map((bytes) => codec.fromIpc(bytes))).toEqual(
        values.map((v) => codec.fromIpc(codec.toIpc(v))),
      );
      return;
    }
    expectSameBytes(codec, values);
  });

  test("TableInfo: 1,300 varied tables across chunk boundaries", () => {
    const statistics = encodeColumnStatistics([
      { column: "a", type: sql.bigint, min: 1n, max: 9n },
    ]);
    const foreignKey = messages.ForeignKeyInfoCodec.toIpc({
      fkColumns: ["a"],
      pkColumns: ["id"],
      referencedTable: "parent",
      referencedSchemaPath: ["main"],
    });
    const scan = messages.ScanFunctionResultCodec.toIpc(
      sampleMessage(messages.ScanFunctionResultCodec, 0),
    );
    const base = sampleMessage(messages.TableInfoCodec, 0);
    const tables = Array.from({ length: 1300 }, (_, i) => ({
      ...base,
      name: `t_${i}${"x".repeat(i % 13)}`,
      comment: i % 3 === 0 ? null : `table ${i} ${"é".repeat(i % 4)}`,
      tags: new Map(Array.from({ length: i % 4 }, (_, k) => [`k${k}`, `v${i}`] as const)),
      schemaPath: i % 5 === 0 ? ["a", "b"] : ["main"],
      notNullConstraints: Array.from({ length: i % 3 }, (_, k) => k),
      uniqueConstraints: i % 7 === 0 ? [[0, 1], [2]] : [],
      checkConstraints: i % 11 === 0 ? ["a > 0", "b < a"] : [],
      primaryKeyConstraints: i % 2 === 0 ? [[0]] : [],
      foreignKeyConstraints: i % 17 === 0 ? [foreignKey] : [],
      writeResultModes: new Map(i % 6 === 0 ? [["insert", "rows"]] : []),
      supportsColumnStatistics: i % 4 === 0,
      scanFunction: i % 9 === 0 ? messages.ScanFunctionResultCodec.fromIpc(scan) : null,
      insertFunction: i % 10 === 0 ? new Uint8Array([1, 2, 3, i & 0xff]) : null,
      cardinalityEstimate: i % 2 === 0 ? BigInt(i) * 1_000_000_007n : null,
      cardinalityMax: i % 3 === 0 ? null : BigInt(i),
      columnStatistics: i % 4 === 0 ? statistics : null,
      requiredFilters: i % 8 === 0 ? [["a", "b.c"], []] : [],
    }));
    expectSameBytes(messages.TableInfoCodec, tables);
    // And toIpcEach (values asked for a chunk at a time) writes the same listing.
    const each = messages.TableInfoCodec.toIpcEach(tables.length, (i) => tables[i]!);
    const many = messages.TableInfoCodec.toIpcMany(tables);
    each.forEach((bytes, r) => expect(Buffer.compare(bytes, many[r]!)).toBe(0));
    // An independent reader reads each row back.
    for (const r of [0, 511, 512, 513, 1024, 1299]) {
      const batches = [...RecordBatchReader.from(each[r]!)] as RecordBatch[];
      expect(messages.TableInfoCodec.decode(batches[0]!)).toEqual([
        messages.TableInfoCodec.fromIpc(messages.TableInfoCodec.toIpc(tables[r]!)),
      ]);
    }
  });

  test("FunctionInfo: chunks with the same or other dictionary values", () => {
    // Enum columns are dictionaries built per chunk of 512 rows; a chunk whose
    // dictionaries hold the same values as the previous one reuses its prefix.
    const base = sampleMessage(messages.FunctionInfoCodec, 0);
    const stabilities = ["CONSISTENT", "VOLATILE", "CONSISTENT_WITHIN_QUERY"] as const;
    const functions = Array.from({ length: 2600 }, (_, i) => ({
      ...base,
      name: `f_${i}`,
      // Chunks 0-1: one value; chunk 2: another; chunk 3: two, in first-seen order
      // that differs from chunk 4's.
      stability:
        i < 1024
          ? stabilities[0]
          : i < 1536
            ? stabilities[1]
            : i < 2048
              ? stabilities[(i % 2) + 1]
              : stabilities[((i + 1) % 2) + 1],
      nullHandling: i % 700 === 0 ? null : ("DEFAULT" as const),
    }));
    const listed = messages.FunctionInfoCodec.toIpcMany(functions);
    for (let start = 0; start < functions.length; start += 512) {
      const chunk = functions.slice(start, start + 512);
      const general = generalListing(messages.FunctionInfoCodec, chunk);
      chunk.forEach((_, r) => {
        if (Buffer.compare(listed[start + r]!, general[r]!) !== 0) {
          expect.fail(`row ${start + r}: listing bytes differ from the general encoding`);
        }
      });
    }
    for (const r of [0, 1023, 1024, 1600, 2100, 2599]) {
      expect(messages.FunctionInfoCodec.fromIpc(listed[r]!)).toEqual(
        messages.FunctionInfoCodec.fromIpc(messages.FunctionInfoCodec.toIpc(functions[r]!)),
      );
    }
  });

  test("the listing's items are back-to-back views of one buffer", () => {
    const values = [0, 1, 2, 3].map((variant) => sampleMessage(messages.TableInfoCodec, variant));
    const many = messages.TableInfoCodec.toIpcMany(values);
    for (let r = 1; r < many.length; r++) {
      expect(many[r]!.buffer).toBe(many[0]!.buffer);
      expect(many[r]!.byteOffset).toBe(many[r - 1]!.byteOffset + many[r - 1]!.byteLength);
    }
  });

  test("the reply wraps a large listing in the room its buffer left, once", () => {
    const values = Array.from({ length: 3000 }, (_, i) => ({
      ...sampleMessage(messages.TableInfoCodec, i % 8),
      name: `t_${i}`,
    }));
    const items = messages.TableInfoCodec.toIpcMany(values);
    const itemsBefore = items.map((item) => Buffer.from(item));
    const codec = messages.CatalogSchemaContentsTablesResultCodec;
    // The stream's parts joined by Buffer.concat (no room involved).
    const expected = Buffer.concat(encodeStreamParts(codec.schema, [codec.encode({ items })]));
    expect(expected.length).toBeGreaterThan(1 << 20);

    const reply = codec.toIpc({ items });
    expect(reply.buffer).toBe(items[0]!.buffer); // written around the items, not copied
    expect(Buffer.compare(reply, expected)).toBe(0);
    items.forEach((item, r) => expect(Buffer.compare(item, itemsBefore[r]!)).toBe(0));
    // An independent reader finds the 3,000 items.
    const [batch] = [...RecordBatchReader.from(reply)] as RecordBatch[];
    expect(batch!.getChildAt(0)!.get(0)!.length).toBe(3000);

    // The room is used up: the same listing sent again is copied, with the same bytes.
    const again = codec.toIpc({ items });
    expect(again.buffer).not.toBe(items[0]!.buffer);
    expect(Buffer.compare(again, expected)).toBe(0);
    expect(Buffer.compare(reply, expected)).toBe(0);
  });

  test("a row error names its row across chunks", () => {
    const values = Array.from({ length: 700 }, () => sampleMessage(messages.TableInfoCodec, 0));
    const bad = [...values];
    bad[600] = { ...values[0]!, name: 42 as unknown as string };
    expect(() => messages.TableInfoCodec.toIpcMany(bad)).toThrow(
      /TableInfo: row 600: field 'name'/,
    );
  });
});

describe("record batch header template", () => {
  test("a patched template equals a freshly encoded header", () => {
    const shape = (seed: number) => ({
      nodes: Array.from({ length: 5 }, (_, i) => ({ length: seed + i, nullCount: (seed * i) % 3 })),
      buffers: Array.from({ length: 9 }, (_, i) => ({ offset: 8 * i * seed, length: seed + i })),
      body: 8 * 9 * (seed + 1),
    });
    const first = shape(1);
    const template = RecordBatchTemplate.from(
      encodeRecordBatchMessage(1, first.nodes, first.buffers, first.body),
      5,
      9,
    )!;
    expect(template).not.toBeNull();
    for (const seed of [0, 2, 77, 65_537, 2 ** 33 + 5]) {
      const { nodes, buffers, body } = shape(seed);
      const expected = encodeRecordBatchMessage(1, nodes, buffers, body);
      const out = new Uint8Array(expected.length + 16);
      template.writeTo(out, new DataView(out.buffer), 16, nodes, buffers, body);
      expect(Buffer.compare(out.subarray(16), expected)).toBe(0);
    }
  });

  test("a header of another shape gives no template", () => {
    const header = encodeRecordBatchMessage(1, [{ length: 1, nullCount: 0 }], [], 0);
    expect(RecordBatchTemplate.from(header, 2, 0)).toBeNull();
  });
});

describe("text columns", () => {
  // buildData writes ASCII by a loop and anything else by Buffer#write into one buffer:
  // each value's bytes must be what TextEncoder gives it.
  const encoder = new TextEncoder();
  const samples = [
    "plain",
    "",
    null,
    "é",
    "naïve café",
    "ascii then ü",
    "日本語のテーブル",
    "emoji 🦆 pair",
    "lone high \ud800 surrogate",
    "lone low \udc00",
    "\ud83e",
    "x".repeat(200) + "\u00ff",
    "\u007f\u0080\u07ff\u0800\uffff",
  ];

  test.each([
    ["utf8", new Utf8()],
    ["large_utf8", new LargeUtf8()],
  ] as const)("%s: each value's bytes are TextEncoder's", (_, type) => {
    const data = buildData(type, samples);
    const offsets = Array.from(data.valueOffsets as ArrayLike<number | bigint>, Number);
    samples.forEach((value, i) => {
      const bytes = (data.values as Uint8Array).subarray(offsets[i]!, offsets[i + 1]!);
      expect(Buffer.from(bytes)).toEqual(Buffer.from(encoder.encode(value ?? "")));
    });
    expect(data.values.length).toBe(offsets.at(-1));
    expect(data.nullCount).toBe(1);
    // Lone surrogates read back as U+FFFD, as after TextEncoder.
    const decoder = new TextDecoder();
    expect([...makeVector(data)]).toEqual(
      samples.map((v) => (v === null ? null : decoder.decode(encoder.encode(v)))),
    );
  });

  test("a column past the reserve-three-bytes-per-unit size is measured first", () => {
    const big = ["é".repeat(1_500_000), "a".repeat(1_500_000), "🦆".repeat(10)];
    const data = buildData(new Utf8(), big);
    expect(data.values.length).toBe(3_000_000 + 1_500_000 + 40);
    expect([...makeVector(data)]).toEqual(big);
  });
});
