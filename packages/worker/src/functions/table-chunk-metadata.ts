/**
 * Batch metadata a table function attaches to one produced chunk: the result-cache
 * control (`vgi.cache.*`), the batch index (`vgi_batch_index`), or other custom metadata
 * the client reads off a batch. A chunk wrapped here carries exactly this metadata; an
 * unwrapped first chunk gets the definition's `cacheControl`.
 */
import { cacheControlMetadata, type CacheControl } from "@vgi-ts/protocol";
import type { PartitionBounds } from "./partition-values.js";
import type { TableChunk } from "./table-call.js";

export class AnnotatedChunk {
  constructor(
    readonly chunk: TableChunk,
    readonly metadata: Map<string, string>,
    /** Explicit partition bounds (functions with `partitionColumns`). */
    readonly partitionValues: PartitionBounds | null = null,
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

/**
 * `chunk` with raw custom metadata on its batch, for keys the client reads that have no
 * typed helper, e.g. a zero-row batch whose `vgi_rpc.location` points at where the
 * rows are to be fetched from.
 */
export function withBatchMetadata(
  chunk: TableChunk,
  metadata: Readonly<Record<string, string>>,
): AnnotatedChunk {
  return new AnnotatedChunk(chunk, new Map(Object.entries(metadata)));
}

/**
 * `chunk` tagged with its batch index (functions with `supportsBatchIndex`): DuckDB's
 * ordered sinks put the output of parallel streams back in batch-index order. Indexes
 * must not decrease within a stream; the extension checks that, and rejects a chunk of
 * such a function without one.
 */
export function withBatchIndex(chunk: TableChunk, index: number | bigint): AnnotatedChunk {
  return new AnnotatedChunk(chunk, new Map([["vgi_batch_index", String(index)]]));
}

/**
 * `chunk` with its partition's bounds named, per partition column (`[min, max]`, values
 * of the column's type), instead of derived from the batch: required when a partition
 * column is not in the chunk (projected out), and saves the scan when the function
 * knows them. The bounds are sent as given; DuckDB checks a SINGLE_VALUE partition's
 * min equals its max.
 */
export function withPartitionValues(
  chunk: TableChunk | AnnotatedChunk,
  bounds: PartitionBounds,
): AnnotatedChunk {
  return chunk instanceof AnnotatedChunk
    ? new AnnotatedChunk(chunk.chunk, chunk.metadata, bounds)
    : new AnnotatedChunk(chunk, new Map(), bounds);
}
