/**
 * The states of many groups of one aggregate execution, held by one worker process.
 * Updates fold input batches into it; `encode` turns every state it holds into one
 * partial for shared storage, and `absorb` merges such a partial back in, so a process
 * can fold the partials of all processes; `combine` merges groups as DuckDB's combine
 * calls ask. Partials and combines apply in the order DuckDB made them (see
 * `vgi/aggregate-methods.ts`).
 *
 * Two kinds: columnar (fixed numeric fields in typed arrays, `columnar-state.ts`) and
 * generic (one JS value per group, stored with a `StateCodec`, `generic-state.ts`).
 */
import type { Data, Field, Vector } from "apache-arrow";

/** One update batch, as the extension sends it. */
export interface UpdateBatch {
  readonly numRows: number;
  /** The group of each row. */
  readonly groupIds: BigInt64Array;
  /** Column arguments in declaration order (varargs expanded). */
  readonly columns: readonly Vector[];
  /** A column argument by declared name (case-insensitive). */
  column(name: string): Vector;
}

export interface StateTable {
  /** Number of groups holding a state. */
  readonly size: number;
  /** Fold one batch of rows into the states of their groups. */
  update(batch: UpdateBatch): void;
  /** Every state held, as one self-describing partial. */
  encode(): Uint8Array;
  /** Merge a partial made by `encode` (of any process) into this table. */
  absorb(partial: Uint8Array): void;
  /** Merge each `sources[i]` group into `targets[i]`, pair by pair in order. */
  combine(sources: BigInt64Array, targets: BigInt64Array): void;
  /** The results of `groupIds` (a group without state gets the empty group's result). */
  finalize(groupIds: BigInt64Array, field: Field): Data;
}
