/**
 * Cutting an encoded Arrow IPC stream into the frames a client sends one at a time
 * (schema with the first batch, each later batch, EOS), read straight from the framing.
 */

/**
 * Cut one encoded stream (schema, n batches, EOS) into n + 1 sends: the schema with the
 * first batch, each later batch, and the EOS marker — the lockstep order of a client.
 */
export function splitStream(bytes: Uint8Array, batches: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const length = view.getInt32(at + 4, true);
    if (length === 0) {
      at += 8;
      ends.push(at);
      break;
    }
    // bodyLength: the Message table's int64; cheaper to let the framer tell us.
    at = messageEnd(bytes, at);
    ends.push(at);
  }
  // ends: after schema, after each batch, after EOS (dictionaries are not used here).
  const cuts = [ends[1] ?? ends[0]!, ...ends.slice(2)];
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(start, cut));
    start = cut;
  }
  if (out.length !== batches + 1) throw new Error(`split into ${out.length} parts`);
  return out;
}

function messageEnd(bytes: Uint8Array, at: number): number {
  // Re-encode-free: parse the Message flatbuffer's bodyLength with arrow-js.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getInt32(at + 4, true);
  const metadata = bytes.subarray(at + 8, at + 8 + length);
  const bodyLength = readBodyLength(metadata);
  return at + 8 + length + bodyLength;
}

/** `Message.bodyLength` (field 3, int64) read straight from the flatbuffer. */
function readBodyLength(metadata: Uint8Array): number {
  const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 10;
  if (slot >= vtableSize) return 0;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? 0 : Number(view.getBigInt64(table + offset, true));
}
