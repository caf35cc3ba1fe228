import {
  Message,
  MessageHeader,
  RecordBatch,
  RecordBatchStreamWriter,
  Struct,
  makeData,
  type Schema,
} from "apache-arrow";
import { buildData } from "./columns.js";
import { sliceData } from "./row-slice.js";

/**
 * Write one complete IPC stream (schema + dictionaries + one 1-row batch + EOS) per
 * row, as VGI listings need: each catalog object travels as its own stream.
 *
 * `columns[c][r]` is row r of column c, already validated and normalized.
 *
 * Writing N independent streams costs a schema message and one dictionary message per
 * enum column each time — about a millisecond per FunctionInfo, ten seconds for a
 * 10,000-function catalog. Instead we write ONE stream of N one-row batches whose
 * dictionary columns share one dictionary per column: the writer emits the schema and
 * the dictionaries once, then N record batches, and each output stream is that shared
 * prefix + its own record batch + EOS. A row's stream may thus carry dictionary
 * entries it does not use, which Arrow allows.
 */
export function writeRowStreams(
  schema: Schema,
  columns: readonly (readonly unknown[])[],
  rows: number,
): Uint8Array[] {
  if (rows === 0) return [];
  // Build each column once for all rows, then cut self-contained one-row slices; the
  // slices of a dictionary column share its dictionary, so it is written once.
  const full = schema.fields.map((f, c) => buildData(f.type, columns[c]!));
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
  const last = messages.at(-1);
  const interleaved = messages
    .slice(first)
    .some((m) => m.headerType === MessageHeader.DictionaryBatch);
  if (batches.length !== rows || interleaved || last?.headerType !== MessageHeader.NONE) {
    throw new Error("unexpected IPC message layout while writing row streams");
  }
  const prefix = bytes.subarray(0, messages[first]!.start);
  const eos = bytes.subarray(last.start, last.end);
  // All streams go into one allocation (returned as views): thousands of separate
  // buffers cost more in GC than the copying itself.
  let total = 0;
  for (const m of batches) total += prefix.length + (m.end - m.start) + eos.length;
  const out = new Uint8Array(total);
  const streams: Uint8Array[] = [];
  let at = 0;
  for (const m of batches) {
    const begin = at;
    out.set(prefix, at);
    at += prefix.length;
    out.set(bytes.subarray(m.start, m.end), at);
    at += m.end - m.start;
    out.set(eos, at);
    at += eos.length;
    streams.push(out.subarray(begin, at));
  }
  return streams;
}

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
