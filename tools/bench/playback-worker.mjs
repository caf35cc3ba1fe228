#!/usr/bin/env node
// The floor for a worker: answers DuckDB by playing back a recorded session's output
// (`run.mjs --record DIR` writes one per case), doing no Arrow work at all, with blocking
// reads and writes and no event loop. Timing DuckDB against it shows what the extension,
// the pipes and the scheduler cost on their own; our worker cannot beat it.
//
//   ATTACH 'bench' AS b (TYPE vgi, LOCATION 'node playback-worker.mjs OUT.bin')
//
// Lockstep rule: once the k-th input record batch has arrived, everything the recording
// wrote up to its k-th record batch (and the non-batch messages after it) goes out. The
// session must replay the recorded queries in the same order (DuckDB is deterministic
// here: one thread, the same data).
import { readFileSync, readSync, writeSync } from "node:fs";

const output = readFileSync(process.argv[2]);

/** Body length from an encapsulated message's flatbuffer (Message.bodyLength, field 3). */
function bodyLength(bytes, at) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = vtableSize > 10 ? view.getUint16(vtable + 10, true) : 0;
  return slot === 0 ? 0 : Number(view.getBigInt64(table + slot, true));
}

function headerType(bytes, at) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const slot = view.getUint16(vtable, true) > 6 ? view.getUint16(vtable + 6, true) : 0;
  return slot === 0 ? 0 : view.getUint8(table + slot);
}

/** [end offset, is record batch] of each message in a complete byte stream. */
function scan(bytes) {
  const out = [];
  let offset = 0;
  while (offset + 8 <= bytes.byteLength) {
    const length = bytes.readInt32LE(offset + 4);
    if (length === 0) {
      offset += 8;
      out.push([offset, false]);
      continue;
    }
    const end = offset + 8 + length + bodyLength(bytes, offset + 8);
    out.push([end, headerType(bytes, offset + 8) === 3]);
    offset = end;
  }
  return out;
}

// Output cut points: after the k-th record batch and the non-batch messages after it.
const cuts = [];
const messages = scan(output);
for (let i = 0; i < messages.length; i++) {
  if (!messages[i][1]) continue;
  let j = i;
  while (j + 1 < messages.length && !messages[j + 1][1]) j++;
  cuts.push(messages[j][0]);
}

function writeAll(bytes) {
  for (let offset = 0; offset < bytes.byteLength;) {
    offset += writeSync(1, bytes, offset, bytes.byteLength - offset);
  }
}

const buffer = Buffer.alloc(16 * 1024 * 1024);
let filled = 0;
let parsed = 0;
let batches = 0;
let sent = 0;
for (;;) {
  const n = readSync(0, buffer, filled, buffer.byteLength - filled, null);
  if (n === 0) break;
  filled += n;
  // Count the complete input messages now buffered.
  while (parsed + 8 <= filled) {
    const length = buffer.readInt32LE(parsed + 4);
    if (length === 0) {
      parsed += 8;
      continue;
    }
    if (parsed + 8 + length > filled) break;
    const end = parsed + 8 + length + bodyLength(buffer, parsed + 8);
    if (end > filled) break;
    if (headerType(buffer, parsed + 8) === 3) batches++;
    parsed = end;
  }
  const until = batches === 0 ? 0 : cuts[Math.min(batches, cuts.length) - 1];
  if (until > sent) {
    writeAll(output.subarray(sent, until));
    sent = until;
  }
  if (parsed === filled) filled = parsed = 0;
  else if (filled > buffer.byteLength / 2) {
    buffer.copy(buffer, 0, parsed, filled);
    filled -= parsed;
    parsed = 0;
  }
}
if (sent < output.byteLength) writeAll(output.subarray(sent));
