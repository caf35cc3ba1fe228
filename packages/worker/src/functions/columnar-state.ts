/**
 * Columnar aggregate states: every group's state is a row across a few typed arrays
 * (one per field), addressed by the group's dense slot. An update scatters a whole input
 * batch into those arrays by slot (`input.slots`), combining is an element-wise merge of
 * two tables, and a partial in shared storage is one Arrow IPC batch (group_id plus one
 * column per field) — no object per group, no JSON.
 *
 * A field is declared as `"<kind>:<merge>"`: kind `i64` (BigInt64Array) or `f64`
 * (Float64Array), merge `sum`, `min` or `max`. A fresh slot holds the merge's identity
 * (0, +max, -max), so "no rows yet" needs no flag: count rows in an `i64:sum` field when
 * finalize must tell an empty group from a zero.
 */
import {
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  makeData,
  type Data,
  type Vector,
} from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  decodeSingleBatch,
  encodeBatch,
  float64Data,
  int64Data,
  sqlTypeFromArrow,
} from "@vgi-ts/protocol";
import { GroupSlots } from "./group-slots.js";
import type { StateTable, UpdateBatch } from "./state-table.js";

export type StateFieldSpec = "i64:sum" | "i64:min" | "i64:max" | "f64:sum" | "f64:min" | "f64:max";
export type StateColumnsSpec = Readonly<Record<string, StateFieldSpec>>;

/** The typed array of each field: slot `s` holds group `s`'s value. */
export type StateColumns<D extends StateColumnsSpec> = {
  readonly [K in keyof D]: D[K] extends `i64:${string}` ? BigInt64Array : Float64Array;
};

/** An update batch plus each row's slot in the state arrays. */
export interface ColumnarInput extends UpdateBatch {
  /** For each row, the slot of its group in the state columns. */
  readonly slots: Int32Array;
}

/** What a columnar aggregate implements (the rest of its definition is metadata). */
export interface ColumnarHooks<D extends StateColumnsSpec, C> {
  readonly columns: D;
  /** Scatter one batch into the state columns at `input.slots` (merge as declared). */
  update(state: StateColumns<D>, input: ColumnarInput, call: C): void;
  /**
   * Results for `count` groups: slot `i` of `state` is the i-th requested group (a group
   * never updated holds the identities). Return the values, or a ready Arrow `Data`.
   */
  finalize(state: StateColumns<D>, count: number, call: C): readonly unknown[] | Data;
}

type AnyColumn = BigInt64Array | Float64Array;

const I64_MAX = 0x7fffffffffffffffn;
const I64_MIN = -0x8000000000000000n;

function identity(spec: StateFieldSpec): number | bigint {
  switch (spec) {
    case "i64:sum":
      return 0n;
    case "i64:min":
      return I64_MAX;
    case "i64:max":
      return I64_MIN;
    case "f64:sum":
      return 0;
    case "f64:min":
      return Infinity;
    case "f64:max":
      return -Infinity;
  }
}

function allocate(spec: StateFieldSpec, length: number): AnyColumn {
  const column = spec.startsWith("i64") ? new BigInt64Array(length) : new Float64Array(length);
  const fill = identity(spec);
  if (fill !== 0 && fill !== 0n) (column as { fill(v: unknown): unknown }).fill(fill);
  return column;
}

/**
 * `target[at[i]] = merge(target[at[i]], source[i])` for `i < source.length` (`at` null:
 * slot i). A sum of int64 that leaves the int64 range is an error, not a wrap-around.
 */
export function mergeInto(
  spec: StateFieldSpec,
  target: AnyColumn,
  source: AnyColumn,
  at: Int32Array | null,
  length = source.length,
): void {
  if (spec === "i64:sum") {
    const t = target as BigInt64Array;
    const s = source as BigInt64Array;
    for (let i = 0; i < length; i++) {
      const slot = at === null ? i : at[i]!;
      const a = t[slot]!;
      const b = s[i]!;
      // Wrapped sum; it overflowed iff both operands' signs differ from its sign.
      const sum = BigInt.asIntN(64, a + b);
      if (((a ^ sum) & (b ^ sum)) < 0n) throw int64Overflow();
      t[slot] = sum;
    }
    return;
  }
  if (spec === "f64:sum") {
    const t = target as Float64Array;
    const s = source as Float64Array;
    for (let i = 0; i < length; i++) {
      const slot = at === null ? i : at[i]!;
      t[slot] = t[slot]! + s[i]!;
    }
    return;
  }
  const min = spec.endsWith(":min");
  const t = target as unknown as { [i: number]: number | bigint };
  const s = source as ArrayLike<number | bigint>;
  for (let i = 0; i < length; i++) {
    const slot = at === null ? i : at[i]!;
    const a = t[slot]!;
    const b = s[i]!;
    if (min ? b < a : b > a) t[slot] = b;
  }
}

/**
 * `column[into[i]] = merge(column[into[i]], column[from[i]])`, pair by pair in order (a
 * target may be the source of a later pair).
 */
export function mergePairs(
  spec: StateFieldSpec,
  column: AnyColumn,
  from: Int32Array,
  into: Int32Array,
): void {
  if (spec === "i64:sum") {
    const c = column as BigInt64Array;
    for (let i = 0; i < from.length; i++) {
      const a = c[into[i]!]!;
      const b = c[from[i]!]!;
      const sum = BigInt.asIntN(64, a + b);
      if (((a ^ sum) & (b ^ sum)) < 0n) throw int64Overflow();
      c[into[i]!] = sum;
    }
    return;
  }
  if (spec === "f64:sum") {
    const c = column as Float64Array;
    for (let i = 0; i < from.length; i++) c[into[i]!] = c[into[i]!]! + c[from[i]!]!;
    return;
  }
  const min = spec.endsWith(":min");
  const c = column as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < from.length; i++) {
    const a = c[into[i]!]!;
    const b = c[from[i]!]!;
    if (min ? b < a : b > a) c[into[i]!] = b;
  }
}

export function int64Overflow(): VgiError {
  return new VgiError(ErrorKind.InvalidArgument, "aggregate state out of BIGINT range (overflow)");
}

/** The states of one execution's groups in typed arrays. */
export class ColumnarTable<D extends StateColumnsSpec, C> implements StateTable {
  private readonly slots = new GroupSlots();
  private readonly names: readonly (keyof D & string)[];
  private columns: Record<string, AnyColumn>;
  private capacity = 0;
  /** The combined copy finalize reads: built at `version`, `combines` applied so far. */
  private resolved: { version: number; combines: number; table: ColumnarTable<D, C> } | null = null;
  private version = 0;

  constructor(
    private readonly hooks: ColumnarHooks<D, C>,
    private readonly call: C,
  ) {
    this.names = Object.keys(hooks.columns);
    this.columns = {};
    this.reserve(64);
  }

  get size(): number {
    return this.slots.size;
  }

  /** The state columns, slots `0..size-1` in use (views; valid until the table grows). */
  state(): StateColumns<D> {
    return this.columns as unknown as StateColumns<D>;
  }

  update(batch: UpdateBatch): void {
    const slots = this.slots.assign(batch.groupIds);
    this.reserve(this.slots.size);
    const input: ColumnarInput = {
      numRows: batch.numRows,
      groupIds: batch.groupIds,
      columns: batch.columns,
      column: (name) => batch.column(name),
      slots,
    };
    this.hooks.update(this.state(), input, this.call);
  }

  encode(): Uint8Array {
    const n = this.size;
    const fields: Field[] = [new Field("group_id", new Int64(), false)];
    const children: Data[] = [int64Data(this.slots.ids.slice())];
    for (const name of this.names) {
      const i64 = this.hooks.columns[name]!.startsWith("i64");
      fields.push(new Field(name, i64 ? new Int64() : new Float64(), false));
      const column = this.columns[name]!.slice(0, n);
      children.push(i64 ? int64Data(column as BigInt64Array) : float64Data(column as Float64Array));
    }
    const schema = new Schema(fields);
    const data = makeData({ type: new Struct(fields), length: n, children, nullCount: 0 });
    return encodeBatch(new RecordBatch(schema, data));
  }

  absorb(partial: Uint8Array): void {
    // A fresh copy: storage may hand back an unaligned view into a shared buffer.
    const batch = decodeSingleBatch(new Uint8Array(partial), "aggregate partial state");
    if (batch.numRows === 0) return;
    const ids = columnValues(batch.getChildAt(0)!) as BigInt64Array;
    const at = this.slots.assign(ids);
    this.reserve(this.slots.size);
    for (const name of this.names) {
      const child = batch.getChild(name);
      if (child === null) {
        throw new VgiError(ErrorKind.Internal, `aggregate partial state has no field '${name}'`);
      }
      mergeInto(this.hooks.columns[name]!, this.columns[name]!, columnValues(child), at);
    }
  }

  finalize(groupIds: BigInt64Array, field: Field): Data {
    const n = groupIds.length;
    const at = this.slots.lookup(groupIds);
    const picked: Record<string, AnyColumn> = {};
    for (const name of this.names) {
      const spec = this.hooks.columns[name]!;
      const out = allocate(spec, n);
      const from = this.columns[name]!;
      for (let i = 0; i < n; i++) {
        const slot = at[i]!;
        if (slot >= 0) out[i] = from[slot]!;
      }
      picked[name] = out;
    }
    const result = this.hooks.finalize(picked as unknown as StateColumns<D>, n, this.call);
    if (!Array.isArray(result)) return result as Data;
    return sqlTypeFromArrow(field.type, field.metadata).build(result);
  }

  combine(sources: BigInt64Array, targets: BigInt64Array): void {
    const from = this.slots.assign(sources);
    const into = this.slots.assign(targets);
    this.reserve(this.slots.size);
    for (const name of this.names) {
      mergePairs(this.hooks.columns[name]!, this.columns[name]!, from, into);
    }
  }

  /** Room for `needed` slots; new slots hold the identities. */
  private reserve(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = Math.max(64, this.capacity);
    while (capacity < needed) capacity *= 2;
    for (const name of this.names) {
      const grown = allocate(this.hooks.columns[name]!, capacity);
      const old = this.columns[name];
      if (old !== undefined) (grown as AnyColumn & { set(a: AnyColumn): void }).set(old);
      this.columns[name] = grown;
    }
    this.capacity = capacity;
  }
}

function columnValues(vector: Vector): AnyColumn {
  const data = vector.data[0]!;
  return (data.values as AnyColumn).subarray(0, data.length);
}
