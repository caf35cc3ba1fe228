/**
 * The two OVER (...) paths an aggregate may offer besides grouped update/finalize.
 *
 * Window (`window`): DuckDB hands over a whole OVER partition once
 * (`aggregate_window_init`), then asks for results row by row or a vector at a time,
 * each row with its frame as a few `[begin, end)` row ranges of the partition. Suits
 * aggregates that are not incremental (median) or where the frame is the point.
 *
 * Streaming (`streaming`): for cumulative frames (`PARTITION BY p ORDER BY o`,
 * unbounded preceding to current row) DuckDB streams the input in order instead of
 * materialising it; the function keeps per-partition running state and answers one
 * value per input row. The state must be JSON-able (bigints allowed): any chunk may
 * reach another worker process, so it is stored after every chunk.
 */
import type { Data, RecordBatch } from "apache-arrow";

/** Rows `[begin, end)` of the partition. */
export type Frame = readonly [begin: number, end: number];

export interface WindowPartition {
  /** Every input row of the partition: one column per argument, in order. */
  readonly inputs: RecordBatch;
  readonly rowCount: number;
  /** Whether row `i` takes part (false when a FILTER clause dropped it). */
  selected(i: number): boolean;
  /** Per input column: true when it holds no NULL. */
  readonly allValid: readonly boolean[];
}

export interface WindowHooks<C> {
  /** One row's result from its frames. */
  row?(frames: readonly Frame[], partition: WindowPartition, call: C): unknown;
  /**
   * Results of many rows at once (`frames[i]` is row i's): values or a ready Arrow
   * `Data`. Default: `row` for each.
   */
  rows?(frames: readonly (readonly Frame[])[], partition: WindowPartition, call: C): unknown;
}

/** How a streamed chunk's columns are laid out. */
export interface StreamingLayout {
  /** Leading columns that form the partition key. */
  readonly partitionKeys: number;
  /** Columns after those that form the order key (rows arrive in that order). */
  readonly orderKeys: number;
}

export interface StreamingHooks<S, C> {
  /** The session's initial state (JSON-able). */
  open(call: C): S;
  /**
   * Fold one chunk into `state` (mutating it) and return one value per row, values or a
   * ready Arrow `Data`: the aggregate at that row, within its partition.
   */
  chunk(chunk: RecordBatch, state: S, layout: StreamingLayout, call: C): readonly unknown[] | Data;
  /** The session ended (after the last chunk). */
  close?(state: S, call: C): void;
}
