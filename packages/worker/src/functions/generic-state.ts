/**
 * Generic aggregate states: one JS value per group (a list, a string, a record), for
 * aggregates whose state is not a few fixed numbers. Partials go through the function's
 * `StateCodec` (JSON by default). Slower than columnar states, and only as slow as it
 * must be: an update touches each group's state once per batch via `GroupStates`.
 */
import type { Data, Field } from "apache-arrow";
import { sqlTypeFromArrow } from "@vgi-ts/protocol";
import type { StateCodec } from "./state-codec.js";
import type { StateTable, UpdateBatch } from "./state-table.js";

/** The groups one update call touches. */
export interface GroupStates<S> {
  /** The group's state so far (its initial state on first use). */
  get(groupId: bigint): S;
  /** Record the group's new state. */
  set(groupId: bigint, state: S): void;
}

/** The groups of one batch, numbered densely: loop over `index`, accumulate per slot. */
export interface GroupIndex {
  /** For each row, its group's slot in `ids` (0..ids.length-1). */
  readonly index: Int32Array;
  /** The distinct group ids of the batch, by slot. */
  readonly ids: readonly bigint[];
}

export interface AggregateInput extends UpdateBatch {
  /** The batch's groups numbered densely (computed on first use, without a BigInt per row). */
  readonly groups: GroupIndex;
}

export interface GenericHooks<S, C> {
  /** The state of an empty group; must be an identity for `combine`. */
  initial(call: C): S;
  /** Fold one batch of rows into the states of their groups. */
  update(states: GroupStates<S>, input: AggregateInput, call: C): void;
  /** Merge two states (source into target); returns the merged state. */
  combine(source: S, target: S, call: C): S;
  /** The result for one group; `state` is null when the group was never updated. */
  finalize(state: S | null, call: C): unknown;
}

export class GenericTable<S, C> implements StateTable {
  private readonly states = new Map<bigint, S>();

  constructor(
    private readonly hooks: GenericHooks<S, C>,
    private readonly codec: StateCodec<S>,
    private readonly call: C,
  ) {}

  get size(): number {
    return this.states.size;
  }

  update(batch: UpdateBatch): void {
    const { hooks, call, states } = this;
    let groups: GroupIndex | undefined;
    const input: AggregateInput = {
      numRows: batch.numRows,
      groupIds: batch.groupIds,
      columns: batch.columns,
      column: (name) => batch.column(name),
      get groups() {
        return (groups ??= groupIndex(batch.groupIds));
      },
    };
    hooks.update(
      {
        get: (gid) => (states.has(gid) ? states.get(gid)! : hooks.initial(call)),
        set: (gid, state) => void states.set(gid, state),
      },
      input,
      call,
    );
  }

  encode(): Uint8Array {
    return this.codec.encode([...this.states.keys()], [...this.states.values()]);
  }

  absorb(partial: Uint8Array): void {
    const { groupIds, states } = this.codec.decode(partial);
    groupIds.forEach((gid, i) => {
      const existing = this.states.get(gid);
      this.states.set(
        gid,
        existing === undefined && !this.states.has(gid)
          ? states[i]!
          : this.hooks.combine(states[i]!, existing as S, this.call),
      );
    });
  }

  finalize(groupIds: BigInt64Array, field: Field): Data {
    const states = this.states;
    const values = new Array<unknown>(groupIds.length);
    for (let i = 0; i < groupIds.length; i++) {
      const gid = groupIds[i]!;
      values[i] = this.hooks.finalize(states.has(gid) ? states.get(gid)! : null, this.call);
    }
    return sqlTypeFromArrow(field.type, field.metadata).build(values);
  }

  combine(sources: BigInt64Array, targets: BigInt64Array): void {
    const { hooks, call, states } = this;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      const target = targets[i]!;
      if (!states.has(source) && !states.has(target)) continue;
      const from = states.has(source) ? states.get(source)! : hooks.initial(call);
      const into = states.has(target) ? states.get(target)! : hooks.initial(call);
      states.set(target, hooks.combine(from, into, call));
    }
  }
}

/**
 * Dense slots for a batch's group ids. The extension numbers groups from 0 with a counter,
 * so ids fit in 32 bits: they are read through an Int32Array view (no BigInt per row) and
 * mapped through an array; ids that do not fit take a Map.
 */
export function groupIndex(groupIds: BigInt64Array): GroupIndex {
  const n = groupIds.length;
  const words = new Int32Array(groupIds.buffer, groupIds.byteOffset, n * 2);
  const index = new Int32Array(n);
  const ids: bigint[] = [];
  const small = new Map<number, number>();
  const large = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    let slot: number | undefined;
    if (hi === 0 && lo >= 0) {
      slot = small.get(lo);
      if (slot === undefined) {
        slot = ids.length;
        small.set(lo, slot);
        ids.push(BigInt(lo));
      }
    } else {
      const id = groupIds[i]!;
      slot = large.get(id);
      if (slot === undefined) {
        slot = ids.length;
        large.set(id, slot);
        ids.push(id);
      }
    }
    index[i] = slot;
  }
  return { index, ids };
}
