/**
 * The states of many groups of one aggregate execution, held by one worker process.
 * Updates fold input batches into it; `encode` turns every state it holds into one
 * partial for shared storage, and `absorb` merges such a partial back in, so a process
 * can fold the partials of all processes. `finalize` answers groups after replaying the
 * combine calls (source → target pairs, in the order DuckDB sent them) on top.
 *
 * Two kinds: columnar (fixed numeric fields in typed arrays, `columnar-state.ts`) and
 * generic (one JS value per group, stored with a `StateCodec`, `generic-state.ts`).
 */
import type { Data, Field, Vector } from "apache-arrow";

/** One combine call: `sources[i]` merged into `targets[i]`, in order. */
export interface CombinePairs {
  readonly sources: BigInt64Array;
  readonly targets: BigInt64Array;
}

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
  /**
   * The results of `groupIds` once `combines` are applied in order to a copy of these
   * states (the table itself is unchanged, so later partials can still be absorbed).
   */
  finalize(groupIds: BigInt64Array, combines: readonly CombinePairs[], field: Field): Data;
}
