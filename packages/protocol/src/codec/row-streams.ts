import {
  Message,
  MessageHeader,
  RecordBatch,
  RecordBatchStreamWriter,
  Struct,
  makeData,
  type Data,
  type Schema,
} from "apache-arrow";
import { buildData } from "./columns.js";
import { RowBatchWriter, UnsupportedRowType } from "./row-batch.js";
import { sliceData } from "./row-slice.js";
import { offerRoom } from "../ipc/spare-room.js";

/**
 * Write one complete IPC stream (schema + dictionaries + one 1-row batch + EOS) per
 * row, as VGI listings need: each catalog object travels as its own stream.
 *
 * `columnsOf(start, end)` gives rows [start, end) as `columns[c][r - start]`, already
 * validated and normalized.
 *
 * Writing N independent streams costs a schema message and one dictionary message per
 * enum column each time. Instead the columns are built once for a chunk of rows, with
 * one shared dictionary per dictionary column; arrow-js writes the schema and
 * dictionaries once (the shared prefix), and each row's record batch is written
 * straight from the chunk's columns (row-batch.ts). Each output stream is prefix + its
 * batch + EOS; it may carry dictionary entries it does not use, which Arrow allows.
 *
 * Chunks, not all rows at once: a chunk's normalized values and columns die before the
 * next chunk is built, in the young generation. Built for all 10,000 rows of a listing
 * they survived two scavenges each and were promoted, and the garbage collector took
 * more time than the encoding.
 */
export function writeRowStreams(
  schema: Schema,
  rows: number,
  columnsOf: (start: number, end: number) => readonly (readonly unknown[])[],
): Uint8Array[] {
  if (rows === 0) return [];
  const out = new RowStreamsOutput(rows);
  // The prefix is the schema message and the chunk's dictionaries: without dictionaries
  // the same for every chunk, with them the same for chunks whose dictionaries hold the
  // same values (a listing's enum columns usually do: writing the prefix with arrow-js
  // took a fifth of a 10,000-function listing when done for each of its 20 chunks).
  let framing: Framing | null = null;
  let framingKey = "";
  const sameFraming = schema.dictionaries.size === 0;
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const end = Math.min(rows, start + CHUNK_ROWS);
    const columns = columnsOf(start, end);
    const full = schema.fields.map((f, c) => buildData(f.type, columns[c]!));
    let writer: RowBatchWriter;
    try {
      writer = new RowBatchWriter(full);
    } catch (error) {
      if (!(error instanceof UnsupportedRowType)) throw error;
      for (const stream of writeWithArrow(schema, full, end - start)) out.append(stream);
      continue;
    }
    if (framing === null || !sameFraming) {
      const key = sameFraming ? "" : dictionariesKey(full);
      if (framing === null || key !== framingKey) framing = sharedFraming(schema, full);
      framingKey = key;
    }
    const { prefix, eos } = framing;
    for (let r = 0; r < end - start; r++) out.writeRow(prefix, writer, r, eos);
  }
  return out.streams();
}

/** Rows whose columns are built at a time (see writeRowStreams). */
const CHUNK_ROWS = 512;

/** The bytes every row's stream starts (schema + dictionaries) and ends (EOS) with. */
interface Framing {
  readonly prefix: Uint8Array;
  readonly eos: Uint8Array;
}

/**
 * The values of every dictionary in the columns, in column order (tree order within a
 * column): chunks with equal keys have equal dictionary messages. Dictionary values are
 * what the codec DSL's enums build (strings); JSON keeps them apart unambiguously.
 */
function dictionariesKey(columns: readonly Data[]): string {
  const values: unknown[][] = [];
  const visit = (data: Data): void => {
    if (data.dictionary !== undefined) values.push(data.dictionary.toArray() as unknown[]);
    for (const child of data.children) visit(child);
  };
  for (const column of columns) visit(column);
  return JSON.stringify(values, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/**
 * The schema and dictionary messages from arrow-js's writer (it knows how to write
 * every schema and dictionary), fed the first row only.
 */
function sharedFraming(schema: Schema, full: readonly Data[]): Framing {
  const { bytes, messages, first } = writeBatches(schema, full, 1);
  const last = messages.at(-1)!;
  return { prefix: bytes.subarray(0, messages[first]!.start), eos: bytes.subarray(last.start) };
}

/**
 * The general path: arrow-js writes every row's batch (about 2 ms a row on wide types).
 * Returns each row's stream (in one allocation).
 */
function writeWithArrow(schema: Schema, full: readonly Data[], rows: number): Uint8Array[] {
  const { bytes, messages, first } = writeBatches(schema, full, rows);
  const last = messages.at(-1)!;
  const framing = {
    prefix: bytes.subarray(0, messages[first]!.start),
    eos: bytes.subarray(last.start),
  };
  const batches = messages
    .filter((m) => m.headerType === MessageHeader.RecordBatch)
    .map((m) => bytes.subarray(m.start, m.end));
  return joinStreams(framing, batches);
}

/**
 * One stream of `rows` one-row batches whose dictionary columns share one dictionary per
 * column: the writer emits the schema and the dictionaries once, then the batches.
 */
function writeBatches(
  schema: Schema,
  full: readonly Data[],
  rows: number,
): { bytes: Uint8Array; messages: MessageSpan[]; first: number } {
  const structType = new Struct(schema.fields);
  const writer = new RecordBatchStreamWriter();
  for (let r = 0; r < rows; r++) {
    const children = full.map((d) => sliceData(d, r, 1));
    writer.write(
      new RecordBatch(schema, makeData({ type: structType, length: 1, nullCount: 0, children })),
    );
  }
  writer.finish();
  const bytes = writer.toUint8Array(true);
  const messages = splitMessages(bytes);
  const batches = messages.filter((m) => m.headerType === MessageHeader.RecordBatch);
  const first = messages.findIndex((m) => m.headerType === MessageHeader.RecordBatch);
  const interleaved = messages
    .slice(first)
    .some((m) => m.headerType === MessageHeader.DictionaryBatch);
  if (
    batches.length !== rows ||
    interleaved ||
    messages.at(-1)?.headerType !== MessageHeader.NONE
  ) {
    throw new Error("unexpected IPC message layout while writing row streams");
  }
  return { bytes, messages, first };
}

/**
 * prefix + batch + EOS per row. All streams go into one allocation (returned as views):
 * thousands of separate buffers cost more in GC than the copying itself. A row's stream
 * may carry dictionary entries it does not use, which Arrow allows.
 */
function joinStreams({ prefix, eos }: Framing, batches: readonly Uint8Array[]): Uint8Array[] {
  let total = 0;
  for (const batch of batches) total += prefix.length + batch.length + eos.length;
  const out = new Uint8Array(total);
  const streams: Uint8Array[] = [];
  let at = 0;
  for (const batch of batches) {
    const begin = at;
    out.set(prefix, at);
    at += prefix.length;
    out.set(batch, at);
    at += batch.length;
    out.set(eos, at);
    at += eos.length;
    streams.push(out.subarray(begin, at));
  }
  return streams;
}

/**
 * All rows' streams in one output buffer, returned as views: thousands of separate
 * buffers cost more in GC than the copying itself, and nothing is allocated per row
 * (each row's batch is written straight into it).
 *
 * The buffer keeps free room before and after the rows, offered (spare-room.ts) to
 * the reply that wraps them as one nested stream: its schema message, batch header and
 * two offset buffers (4 bytes per row each) go before, padding and EOS after. The
 * reply is then a view of this buffer instead of a copy of it.
 */
class RowStreamsOutput {
  private out = new Uint8Array(0);
  private view = new DataView(this.out.buffer);
  /** Where the first row starts (after the room before the rows). */
  private readonly first: number;
  private at: number;
  private readonly ends: number[] = [];

  constructor(private readonly rows: number) {
    this.first = ROOM_PER_ROW * (rows + 2) + ROOM_FOR_HEADERS;
    this.at = this.first;
  }

  /** prefix + row `row` of `writer`'s columns + EOS. */
  writeRow(prefix: Uint8Array, writer: RowBatchWriter, row: number, eos: Uint8Array): void {
    const size = prefix.length + writer.prepare(row) + eos.length;
    const at = this.reserve(size);
    this.out.set(prefix, at);
    writer.writeTo(this.out, this.view, at + prefix.length);
    this.out.set(eos, at + size - eos.length);
    this.ends.push((this.at = at + size));
  }

  /** One row's complete stream. */
  append(stream: Uint8Array): void {
    const at = this.reserve(stream.length);
    this.out.set(stream, at);
    this.ends.push((this.at = at + stream.length));
  }

  streams(): Uint8Array[] {
    const { out, ends, first } = this;
    offerRoom(out.buffer, { start: 0, usedStart: first, usedEnd: this.at, end: out.length });
    return ends.map((end, r) => out.subarray(r === 0 ? first : ends[r - 1]!, end));
  }

  /** Where the next `size` bytes go, growing the buffer when they do not fit. */
  private reserve(size: number): number {
    const at = this.at;
    if (at + size + ROOM_AFTER > this.out.length) {
      // Sized from the rows written so far, this one included (rows of one message type
      // differ little), so a 100 MB listing is not built in a buffer doubled to twice
      // its size and usually needs this one allocation.
      const perRow = (at + size - this.first) / (this.ends.length + 1);
      const bigger = new Uint8Array(
        this.first + Math.ceil(perRow * this.rows * 1.05) + size + 1024 + ROOM_AFTER,
      );
      bigger.set(this.out.subarray(this.first, at), this.first);
      this.out = bigger;
      this.view = new DataView(bigger.buffer);
    }
    return at;
  }
}

/** Room before the rows: two 4-byte offsets per row (list and binary), rounded up. */
const ROOM_PER_ROW = 8;
/** ... plus the wrapping stream's schema message and batch header. */
const ROOM_FOR_HEADERS = 4096;
/** Room after the rows: padding to 8 bytes and the EOS marker. */
const ROOM_AFTER = 64;

interface MessageSpan {
  headerType: MessageHeader;
  start: number;
  end: number;
}

/** Byte spans of the messages of an IPC stream we just wrote (current framing). */
function splitMessages(bytes: Uint8Array): MessageSpan[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans: MessageSpan[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const metadataLength = view.getInt32(at + 4, true);
    if (metadataLength === 0) {
      spans.push({ headerType: MessageHeader.NONE, start: at, end: at + 8 });
      break;
    }
    const message = Message.decode(bytes.subarray(at + 8, at + 8 + metadataLength));
    const end = at + 8 + metadataLength + Number(message.bodyLength);
    spans.push({ headerType: message.headerType, start: at, end });
    at = end;
  }
  return spans;
}
