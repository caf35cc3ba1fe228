import { describe, expect, test } from "vitest";
import {
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import {
  EOS_BYTES,
  ErrorKind,
  MalformedRequestError,
  MessageFramer,
  StreamDecoder,
  StreamEncoder,
  concatBytes,
  encodeStream,
  type Frame,
  type StreamEvent,
} from "../src/index.js";
import { Prng, splitAt } from "./support.js";

const SCHEMA = new Schema([
  new Field("id", new Int64(), false),
  new Field("x", new Float64(), true),
  new Field("name", new Utf8(), true),
  new Field("color", new Dictionary(new Utf8(), new Int32(), 0), true),
]);

function batch(rows: number, seed: number): RecordBatch {
  const ids = Array.from({ length: rows }, (_, i) => BigInt(seed * 1000 + i) - 7n);
  const xs = Array.from({ length: rows }, (_, i) => (i % 3 === 2 ? null : i * 0.5 - seed));
  const names = Array.from({ length: rows }, (_, i) =>
    i % 4 === 1 ? null : `n${seed}-${i}-${"é".repeat(i % 5)}`,
  );
  const colors = Array.from({ length: rows }, (_, i) => ["red", "green", null, "blue"][i % 4]!);
  const children = [
    vectorFromArray(ids, SCHEMA.fields[0]!.type).data[0]!,
    vectorFromArray(xs, SCHEMA.fields[1]!.type).data[0]!,
    vectorFromArray(names, SCHEMA.fields[2]!.type).data[0]!,
    vectorFromArray(colors, SCHEMA.fields[3]!.type).data[0]!,
  ];
  const data = makeData({ type: new Struct(SCHEMA.fields), length: rows, children });
  return new RecordBatch(SCHEMA, data, new Map([["seq", String(seed)]]));
}

/** Rows as plain objects plus the batch metadata: what must survive framing. */
function snapshot(b: RecordBatch): unknown {
  return {
    rows: b.toArray().map((row) => ({ ...row.toJSON() })),
    metadata: Object.fromEntries(b.metadata ?? []),
  };
}

function describeEvents(events: readonly StreamEvent[]): unknown[] {
  return events.map((event) =>
    event.kind === "batch"
      ? { kind: "batch", ...(snapshot(event.batch) as object) }
      : event.kind === "schema"
        ? { kind: "schema", fields: event.schema.fields.map(String) }
        : { kind: "eos" },
  );
}

/** A cheap exact fingerprint of decoded events (bigints kept distinct from numbers). */
function fingerprint(events: readonly StreamEvent[]): string {
  return JSON.stringify(describeEvents(events), (_key, value: unknown) =>
    typeof value === "bigint" ? `${value}n` : value,
  );
}

/** Push the chunks one after another, draining frames after each push. */
function frameAll(chunks: readonly Uint8Array[]): { frames: Frame[]; framer: MessageFramer } {
  const framer = new MessageFramer();
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    framer.push(chunk);
    for (let frame = framer.next(); frame !== null; frame = framer.next()) frames.push(frame);
  }
  return { frames, framer };
}

/** Same kinds, headers and body bytes, and every body 8-byte aligned. */
function sameFrames(a: readonly Frame[], b: readonly Frame[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((frame, i) => {
    const other = b[i]!;
    if (frame.kind !== other.kind) return false;
    if (frame.kind === "eos" || other.kind === "eos") return true;
    return (
      frame.message.headerType === other.message.headerType &&
      frame.message.bodyLength === other.message.bodyLength &&
      frame.body.byteOffset % 8 === 0 &&
      Buffer.compare(frame.body, other.body) === 0
    );
  });
}

function decodeAll(frames: readonly Frame[]): StreamEvent[] {
  const decoder = new StreamDecoder();
  const events: StreamEvent[] = [];
  for (const frame of frames) {
    const event = decoder.decode(frame);
    if (event !== null) events.push(event);
  }
  return events;
}

const STREAM = encodeStream(SCHEMA, [batch(5, 1), batch(0, 2), batch(17, 3)]);
const EXPECTED = describeEvents(decodeAll(frameAll([STREAM]).frames));
const EXPECTED_PRINT = fingerprint(decodeAll(frameAll([STREAM]).frames));

describe("MessageFramer", () => {
  test("whole stream in one chunk: schema, three batches (one empty), EOS", () => {
    expect(EXPECTED.map((e) => (e as { kind: string }).kind)).toEqual([
      "schema",
      "batch",
      "batch",
      "batch",
      "eos",
    ]);
    const rows = EXPECTED.filter((e) => (e as { kind: string }).kind === "batch").map(
      (e) => (e as { rows: unknown[] }).rows.length,
    );
    expect(rows).toEqual([5, 0, 17]);
    expect((EXPECTED[1] as { rows: unknown[] }).rows[2]).toEqual({
      id: 995n,
      x: null,
      name: "n1-2-éé",
      color: null,
    });
    expect((EXPECTED[3] as { metadata: unknown }).metadata).toEqual({ seq: "3" });
  });

  test("split into two chunks at every byte boundary gives the same frames", () => {
    const reference = frameAll([STREAM]).frames;
    for (let cut = 0; cut <= STREAM.byteLength; cut++) {
      const { frames, framer } = frameAll(splitAt(STREAM, [cut]));
      expect(framer.bufferedBytes).toBe(0);
      // Byte-level frame equality per cut (cheap); full decoding on a sample of cuts.
      if (!sameFrames(frames, reference)) expect.fail(`split at byte ${cut} framed differently`);
      if (cut % 7 === 0 && fingerprint(decodeAll(frames)) !== EXPECTED_PRINT) {
        expect.fail(`split at byte ${cut} of ${STREAM.byteLength} decoded differently`);
      }
    }
  });

  test("one byte at a time gives the same frames and never a frame too early", () => {
    const framer = new MessageFramer();
    const frames: Frame[] = [];
    for (let i = 0; i < STREAM.byteLength; i++) {
      framer.push(STREAM.subarray(i, i + 1));
      for (let frame = framer.next(); frame !== null; frame = framer.next()) frames.push(frame);
      // Only the last byte can complete the EOS marker.
      if (i < STREAM.byteLength - 1) expect(frames.at(-1)?.kind).not.toBe("eos");
    }
    expect(describeEvents(decodeAll(frames))).toEqual(EXPECTED);
  });

  test("random multi-way splits (seeded) give the same frames", () => {
    const rng = new Prng(0xf4a3e);
    for (let round = 0; round < 300; round++) {
      const cuts = Array.from({ length: 1 + rng.int(12) }, () => rng.int(STREAM.byteLength + 1));
      cuts.sort((a, b) => a - b);
      const print = fingerprint(decodeAll(frameAll(splitAt(STREAM, cuts)).frames));
      if (print !== EXPECTED_PRINT) expect.fail(`cuts ${cuts.join(",")} decoded differently`);
    }
  });

  test("bodies that start at an unaligned offset are realigned and decode correctly", () => {
    for (let pad = 1; pad < 8; pad++) {
      // The stream sits at byte offset `pad` of its buffer: every body is misaligned.
      const buffer = new Uint8Array(STREAM.byteLength + pad);
      buffer.set(STREAM, pad);
      const view = buffer.subarray(pad);
      const { frames } = frameAll([view]);
      for (const frame of frames) {
        if (frame.kind === "message") expect(frame.body.byteOffset % 8).toBe(0);
      }
      expect(describeEvents(decodeAll(frames))).toEqual(EXPECTED);
      // And split mid-body as well.
      const { frames: split } = frameAll(splitAt(view, [13, 131, 333]));
      expect(describeEvents(decodeAll(split))).toEqual(EXPECTED);
    }
  });

  test("several streams back to back on one pipe: EOS is an item, not the end", () => {
    const second = encodeStream(SCHEMA, [batch(3, 9)]);
    const { frames, framer } = frameAll([concatBytes([STREAM, second])]);
    const events = describeEvents(decodeAll(frames));
    expect(events.map((e) => (e as { kind: string }).kind)).toEqual([
      "schema",
      "batch",
      "batch",
      "batch",
      "eos",
      "schema",
      "batch",
      "eos",
    ]);
    expect(framer.bufferedBytes).toBe(0);
  });

  test("incremental encoder output (StreamEncoder) frames the same as encodeStream", () => {
    const encoder = new StreamEncoder(SCHEMA);
    const chunks = [encoder.start(), encoder.write(batch(5, 1)), encoder.write(batch(0, 2))];
    chunks.push(encoder.write(batch(17, 3)), encoder.end());
    expect(describeEvents(decodeAll(frameAll(chunks).frames))).toEqual(EXPECTED);
  });

  test("legacy 4-byte length prefix (no continuation marker) is accepted", () => {
    // Rewrite every 0xFFFFFFFF <len> prefix to a bare <len>: walk messages by length.
    const parts: Uint8Array[] = [];
    const view = new DataView(STREAM.buffer, STREAM.byteOffset, STREAM.byteLength);
    const { frames } = frameAll([STREAM]);
    let offset = 0;
    for (const frame of frames) {
      const length = view.getInt32(offset + 4, true);
      const body = frame.kind === "message" ? Number(frame.message.bodyLength) : 0;
      parts.push(STREAM.subarray(offset + 4, offset + 8 + length + body));
      offset += 8 + length + body;
    }
    expect(offset).toBe(STREAM.byteLength);
    expect(describeEvents(decodeAll(frameAll(parts).frames))).toEqual(EXPECTED);
  });

  test("an incomplete message yields null and keeps its bytes buffered", () => {
    const framer = new MessageFramer();
    framer.push(STREAM.subarray(0, 3));
    expect(framer.next()).toBeNull();
    expect(framer.bufferedBytes).toBe(3);
    framer.push(STREAM.subarray(3, 20));
    expect(framer.next()).toBeNull();
    expect(framer.bufferedBytes).toBe(20);
    framer.push(new Uint8Array(0));
    expect(framer.bufferedBytes).toBe(20);
  });

  test("EOS alone", () => {
    const { frames, framer } = frameAll([EOS_BYTES]);
    expect(frames).toEqual([{ kind: "eos" }]);
    expect(framer.bufferedBytes).toBe(0);
  });

  test.each([
    ["negative metadata length", [0xff, 0xff, 0xff, 0xff, 0xf0, 0xff, 0xff, 0xff]],
    ["metadata length past 64 MiB", [0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x7f]],
  ])("%s is a malformed_request", (_name, bytes) => {
    const framer = new MessageFramer();
    framer.push(Uint8Array.from(bytes));
    expect(() => framer.next()).toThrow(MalformedRequestError);
    try {
      framer.next();
    } catch (error) {
      expect((error as MalformedRequestError).kind).toBe(ErrorKind.MalformedRequest);
    }
  });

  test("metadata that is not an Arrow Message is a malformed_request (framer + decoder)", () => {
    const framer = new MessageFramer();
    const junk = new Uint8Array(24).fill(0xab);
    framer.push(concatBytes([Uint8Array.from([0xff, 0xff, 0xff, 0xff, 24, 0, 0, 0]), junk]));
    const decoder = new StreamDecoder();
    const decodeNext = (): void => {
      const frame = framer.next();
      if (frame !== null) decoder.decode(frame);
    };
    expect(decodeNext).toThrow(MalformedRequestError);
  });
});

describe("StreamDecoder", () => {
  test("a batch before any schema is a malformed_request", () => {
    const { frames } = frameAll([STREAM]);
    const decoder = new StreamDecoder();
    expect(() => decoder.decode(frames[1]!)).toThrow(MalformedRequestError);
  });

  test("EOS before any schema is a malformed_request", () => {
    expect(() => new StreamDecoder().decode({ kind: "eos" })).toThrow(MalformedRequestError);
  });

  test("a second schema inside a stream is a malformed_request", () => {
    const { frames } = frameAll([STREAM]);
    const decoder = new StreamDecoder();
    decoder.decode(frames[0]!);
    expect(() => decoder.decode(frames[0]!)).toThrow(/schema message arrived inside a stream/);
  });

  test("a body too short for the declared buffers is a malformed_request, not a crash", () => {
    const { frames } = frameAll([STREAM]);
    const decoder = new StreamDecoder();
    decoder.decode(frames[0]!);
    // frames[1] is the dictionary batch, frames[2] the first record batch.
    decoder.decode(frames[1]!);
    const record = frames[2]!;
    if (record.kind !== "message") throw new Error("expected a message frame");
    const truncated: Frame = { ...record, body: record.body.subarray(0, 8) };
    expect(() => decoder.decode(truncated)).toThrow(MalformedRequestError);
  });
});
