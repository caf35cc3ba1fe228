/**
 * What a node-kind parser may use while it decodes one expression node: the payload
 * columns and join-key batches of the document, the decode options and limits, and
 * `child` to decode a nested expression one level deeper (which counts it against the
 * depth and node limits).
 */
import type { DecodeFiltersOptions, FilterLimits } from "./decode-options.js";
import type { FilterPayload } from "./filter-payload.js";
import type { FilterExpression } from "./filter-tree.js";

export interface NodeScope {
  readonly payload: FilterPayload;
  readonly options: DecodeFiltersOptions;
  readonly limits: FilterLimits;
  child(item: unknown): FilterExpression;
}
