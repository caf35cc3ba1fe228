/**
 * Input slab recycling (`VGI_STDIO_RECYCLE_INPUT=1`) must not reuse a slab while the
 * framer still holds a view of it. The dangerous moment: a slab that ends exactly where
 * a message's metadata ends. The framer has decoded that metadata (a view of the slab)
 * and holds no other bytes, and the body is still to come. Recycling then would
 * detach the metadata; decoding the batch used to fail with "Cannot perform
 * DataView.prototype.getInt32 on a detached ArrayBuffer".
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Binary, Field, RecordBatch, Schema, makeData, Struct } from "apache-arrow";
import {
  IpcReader,
  concatBytes,
  encodeRecordBatchParts,
  encodeSchemaMessage,
} from "@vgi-ts/protocol";
import { afterEach, describe, expect, test } from "vitest";
import { FdSource } from "../src/transports/stdio.js";

const SLAB_BYTES = 1024 * 1024; // FdSource's slab size
const SCHEMA = new Schema([new Field("b", new Binary(), false)]);
const SIZE = 40_000; // value bytes of every batch after the first

/** One row whose value is `bytes` bytes, all equal to `fill`. */
function batchOf(bytes: number, fill: number): RecordBatch {
  const values = new Uint8Array(bytes).fill(fill);
  const column = makeData({
    type: new Binary(),
    length: 1,
    nullCount: 0,
    valueOffsets: new Int32Array([0, bytes]),
    data: values,
  });
  const struct = makeData({
    type: new Struct(SCHEMA.fields),
    length: 1,
    nullCount: 0,
    children: [column],
  });
  return new RecordBatch(SCHEMA, struct);
}

function encoded(batch: RecordBatch): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeRecordBatchParts(batch, parts);
  return concatBytes(parts);
}

const metadataEnd = (message: Uint8Array): number =>
  8 + new DataView(message.buffer, message.byteOffset).getInt32(4, true);

/**
 * A stream whose first batch is sized so that the metadata of a later batch ends exactly
 * at the end of the second slab (the first is read by the asynchronous schema read).
 */
function streamEndingMetadataAtSlab(): { bytes: Uint8Array; batches: number } {
  const schema = encodeSchemaMessage(SCHEMA);
  const later = encoded(batchOf(SIZE, 0));
  const target = 2 * SLAB_BYTES;
  for (let first = 8; first < later.byteLength + 8; first += 8) {
    const head = schema.byteLength + encoded(batchOf(first, 0)).byteLength;
    const gap = target - head - metadataEnd(later);
    if (gap < 0 || gap % later.byteLength !== 0) continue;
    const count = gap / later.byteLength + 3;
    const messages = [schema, encoded(batchOf(first, 1))];
    for (let i = 0; i < count; i++) messages.push(encoded(batchOf(SIZE, (i + 2) % 251)));
    messages.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    return { bytes: concatBytes(messages), batches: count + 1 };
  }
  throw new Error("no first-batch size lines the metadata up with the slab end");
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("FdSource input recycling", () => {
  test("keeps a slab whose last bytes are the metadata of a message still arriving", async () => {
    const { bytes, batches } = streamEndingMetadataAtSlab();
    dir = mkdtempSync(path.join(os.tmpdir(), "vgi-recycle-"));
    const file = path.join(dir, "input.arrows");
    writeFileSync(file, bytes);
    const fd = openSync(file, "r");
    try {
      const reader = new IpcReader(new FdSource(fd, true, true));
      const next = async (): Promise<RecordBatch | null> => {
        const batch = reader.pollBatch(true);
        return batch === undefined ? reader.readBatch() : batch;
      };
      expect(await reader.readSchema()).not.toBeNull();
      for (let i = 0; i < batches; i++) {
        const batch = await next();
        expect(batch).not.toBeNull();
        // Checked before the next read: with recycling a batch lives for one turn.
        const value = batch!.getChildAt(0)!.get(0) as Uint8Array;
        expect(value[0]).toBe(i === 0 ? 1 : (i + 1) % 251);
        expect(value[value.byteLength - 1]).toBe(value[0]);
      }
      expect(await next()).toBeNull();
    } finally {
      closeSync(fd);
    }
  });
});
