/**
 * Splits a byte stream into encapsulated Arrow IPC messages (Arrow columnar spec,
 * "Encapsulated message format"): `0xFFFFFFFF`, int32 metadata length, flatbuffer
 * `Message`, then `bodyLength` body bytes. A zero length is the end-of-stream marker.
 *
 * The framer is synchronous and owns no I/O: transports push whatever chunks they
 * receive and pull whole messages out. Several IPC streams follow each other on one
 * pipe (WIRE_PROTOCOL.md §2), so EOS is reported as an item, not as the end.
 */
import { MalformedRequestError } from "../errors.js";
import { IpcMessage } from "./flatbuffer-message.js";

/** A flatbuffer Message larger than this is not something a peer would send us. */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;
/** Refuse bodies past 2 GiB: arrow-js cannot address them and they would exhaust memory. */
const MAX_BODY_BYTES = 2 ** 31 - 1;

export type Frame =
  | { readonly kind: "message"; readonly message: IpcMessage; readonly body: Uint8Array }
  | { readonly kind: "eos" };

export class MessageFramer {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Metadata decoded while its body is still arriving. */
  private pending: IpcMessage | null = null;

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Whether a message has started arriving but is not complete. Its metadata may already
   * be decoded (and held as a view of the received bytes) while `bufferedBytes` is 0.
   */
  get midMessage(): boolean {
    return this.pending !== null || this.buffered > 0;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.buffered += chunk.byteLength;
    // Consecutive reads into one buffer (a transport's read slab) join up again, so a
    // message split across reads needs no copy.
    const last = this.chunks.length > 0 ? this.chunks[this.chunks.length - 1]! : undefined;
    if (
      last !== undefined &&
      last.buffer === chunk.buffer &&
      last.byteOffset + last.byteLength === chunk.byteOffset
    ) {
      this.chunks[this.chunks.length - 1] = new Uint8Array(
        last.buffer,
        last.byteOffset,
        last.byteLength + chunk.byteLength,
      );
      return;
    }
    this.chunks.push(chunk);
  }

  /** The next complete frame, or `null` when more bytes are needed. */
  next(): Frame | null {
    if (this.pending !== null) return this.takeBody();
    if (this.buffered < 4) return null;
    let prefix = 4;
    let length = this.int32At(0);
    if (length === -1) {
      // 0xFFFFFFFF continuation marker, then the length.
      if (this.buffered < 8) return null;
      prefix = 8;
      length = this.int32At(4);
    }
    if (length === 0) {
      this.skip(prefix);
      return { kind: "eos" };
    }
    if (length < 0 || length > MAX_METADATA_BYTES) {
      throw new MalformedRequestError(`Arrow IPC message metadata length ${length} is invalid`);
    }
    if (this.buffered < prefix + length) return null;
    this.skip(prefix);
    const metadata = this.take(length);
    const message = IpcMessage.parse(metadata);
    const bodyLength = message.bodyLength;
    if (bodyLength > MAX_BODY_BYTES) {
      throw new MalformedRequestError(`Arrow IPC message body length ${bodyLength} is invalid`);
    }
    this.pending = message;
    return this.takeBody();
  }

  private takeBody(): Frame | null {
    const message = this.pending!;
    if (this.buffered < message.bodyLength) return null;
    this.pending = null;
    let body = this.take(message.bodyLength);
    // arrow-js views body buffers as typed arrays in place, which requires 8-byte
    // alignment; a body that starts mid-chunk at an odd offset is copied once.
    if (body.byteOffset % 8 !== 0) body = new Uint8Array(body); // (Buffer#slice would not copy)
    return { kind: "message", message, body };
  }

  /** Little-endian int32 at `offset` of the buffered bytes (at least offset + 4 buffered). */
  private int32At(offset: number): number {
    const first = this.chunks[0]!;
    if (first.byteLength >= offset + 4) {
      return (
        first[offset]! |
        (first[offset + 1]! << 8) |
        (first[offset + 2]! << 16) |
        (first[offset + 3]! << 24)
      );
    }
    const head = this.peek(offset + 4);
    return (
      head[offset]! |
      (head[offset + 1]! << 8) |
      (head[offset + 2]! << 16) |
      (head[offset + 3]! << 24)
    );
  }

  /** Copy-free when the bytes sit in one chunk, which is the common case. */
  private take(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  private peek(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0]!;
    if (first.byteLength >= n) return first.subarray(0, n);
    const out = new Uint8Array(Math.min(n, this.buffered));
    let offset = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, out.byteLength - offset);
      out.set(part, offset);
      offset += part.byteLength;
      if (offset === out.byteLength) break;
    }
    return out;
  }

  private skip(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.byteLength <= n) {
        this.chunks.shift();
        n -= first.byteLength;
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
