/**
 * Free bytes a large output buffer keeps before and after the span it fills, offered
 * once to whoever wraps that span in a few more bytes (see `concatBytes`).
 *
 * A listing's items fill one buffer (row-streams.ts: 47 MB for 10,000 tables) and the
 * reply wraps them as one nested IPC stream: a schema message, a batch header and two
 * offset buffers before the items, padding and EOS after. Concatenating that into a new
 * buffer copied all 47 MB into freshly faulted pages, and the second large external
 * allocation made V8 run a full mark-compact. Written into the room the listing left
 * around its items, the stream is a view of the same buffer.
 *
 * The room is claimed once: it then holds the claimer's bytes, and a later wrap of the
 * same span (a cached listing sent again) copies as before.
 */
interface Room {
  /** Where the free room before the span starts. */
  readonly start: number;
  /** The span the owner filled: [usedStart, usedEnd). */
  readonly usedStart: number;
  readonly usedEnd: number;
  /** Where the free room after the span ends. */
  readonly end: number;
}

const rooms = new WeakMap<ArrayBufferLike, Room>();

/** Offers the free bytes of `buffer` around [usedStart, usedEnd). */
export function offerRoom(buffer: ArrayBufferLike, room: Room): void {
  rooms.set(buffer, room);
}

/**
 * Claims `before` bytes right before `span` and `after` bytes right after it, when
 * `span` is exactly the filled part of a buffer that offered that much room. True
 * means the caller now owns those bytes.
 */
export function claimRoom(span: Uint8Array, before: number, after: number): boolean {
  const room = rooms.get(span.buffer);
  if (
    room === undefined ||
    span.byteOffset !== room.usedStart ||
    span.byteOffset + span.byteLength !== room.usedEnd ||
    room.usedStart - room.start < before ||
    room.end - room.usedEnd < after
  ) {
    return false;
  }
  rooms.delete(span.buffer);
  return true;
}
