/**
 * Batch metadata a table function attaches to one produced chunk: today the result-cache
 * control (`vgi.cache.*`). A chunk wrapped here carries exactly this metadata; an
 * unwrapped first chunk gets the definition's `cacheControl`.
 */
import { cacheControlMetadata, type CacheControl } from "@vgi-ts/protocol";
import type { TableChunk } from "./table-function.js";

export class AnnotatedChunk {
  constructor(
    readonly chunk: TableChunk,
    readonly metadata: Map<string, string>,
  ) {}
}

/**
 * `chunk` with result-cache control on its batch. Use it for what one fixed control
 * cannot say: a zero-row `notModified` answer to a conditional request, or a control
 * repeated on every batch (the client latches the first one it sees, which may not be
 * the first produced when filters drop rows).
 */
export function withCacheControl(chunk: TableChunk, control: CacheControl): AnnotatedChunk {
  return new AnnotatedChunk(chunk, cacheControlMetadata(control));
}
