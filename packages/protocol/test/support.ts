/**
 * Test support for the protocol suite: a seeded PRNG (every fuzz case is reproducible
 * from its seed) and builders of vgi-rpc request bytes as a client would send them.
 */
import { RecordBatch, type Schema } from "apache-arrow";
import {
  METHOD_KEY,
  PROTOCOL_KEY,
  PROTOCOL_VERSION_KEY,
  REQUEST_ID_KEY,
  REQUEST_VERSION,
  REQUEST_VERSION_KEY,
  VGI_PROTOCOL_NAME,
  VGI_PROTOCOL_VERSION,
  encodeStream,
} from "../src/index.js";

/** mulberry32: tiny, fast, good enough to drive fuzz cases; same seed, same sequence. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** A short string of printable and non-ASCII characters. */
  text(maxLength = 12): string {
    const alphabet = "abcXYZ019_.-: é✓𝄞\u0000\"'";
    const chars = Array.from(alphabet);
    let out = "";
    for (let i = this.int(maxLength + 1); i > 0; i--) out += this.pick(chars);
    return out;
  }
}

/** The routing metadata of a well-formed VGI request; override or drop (`undefined`) keys. */
export function requestMetadata(
  method: string,
  overrides: Record<string, string | undefined> = {},
): Map<string, string> {
  const entries: Record<string, string | undefined> = {
    [REQUEST_VERSION_KEY]: REQUEST_VERSION,
    [METHOD_KEY]: method,
    [PROTOCOL_KEY]: VGI_PROTOCOL_NAME,
    [PROTOCOL_VERSION_KEY]: VGI_PROTOCOL_VERSION,
    [REQUEST_ID_KEY]: `req-${method}`,
    ...overrides,
  };
  const metadata = new Map<string, string>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) metadata.set(key, value);
  }
  return metadata;
}

/** The same batch carrying other custom metadata. */
export function withMetadata(batch: RecordBatch, metadata: Map<string, string>): RecordBatch {
  return new RecordBatch(batch.schema, batch.data, metadata);
}

/** A complete request IPC stream: the params batch with request metadata, then EOS. */
export function requestBytes(
  params: RecordBatch,
  method: string,
  overrides: Record<string, string | undefined> = {},
): Uint8Array {
  const batch = withMetadata(params, requestMetadata(method, overrides));
  return encodeStream(batch.schema, [batch]);
}

/** A stream of several batches on one schema (a request must hold exactly one). */
export function streamBytes(schema: Schema, batches: readonly RecordBatch[]): Uint8Array {
  return encodeStream(schema, batches);
}

/** Cut `bytes` into chunks at the given offsets (sorted, within range). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}
