/**
 * What a caller hands the `vgi.filters.v2` decoder: the bind output schema that column
 * references index into, the init request's `join_keys` for external IN sets, and the
 * size limits that keep a hostile document from costing unbounded memory or time.
 */
import type { Schema } from "apache-arrow";
import type { FilterCapabilities } from "./filter-tree.js";

export interface FilterLimits {
  /** UTF-8 bytes of one `filter_spec` document. */
  readonly maxDocumentBytes: number;
  /** Expression depth (a predicate root is depth 1). */
  readonly maxDepth: number;
  /** Expression nodes in one document. */
  readonly maxNodes: number;
  readonly maxPredicates: number;
  /** Elements of one IN set (literal list or join-key column). */
  readonly maxSetSize: number;
  /** Bytes of one base64 delta in tick metadata. */
  readonly maxDeltaBase64Bytes: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = {
  maxDocumentBytes: 1 << 20,
  maxDepth: 64,
  maxNodes: 10_000,
  maxPredicates: 1_024,
  maxSetSize: 1 << 22,
  maxDeltaBase64Bytes: 24 << 20,
};

export interface DecodeFiltersOptions extends FilterCapabilities {
  /** The bind output schema, unprojected: column references index into it. */
  readonly outputSchema: Schema;
  /** The init request's `join_keys` (IPC streams), for external IN sets. */
  readonly joinKeys?: readonly Uint8Array[] | null;
  readonly limits?: Partial<FilterLimits>;
}
