/**
 * Aggregate state tables without the wire: dense group slots, the columnar merge and
 * scatter kernels, and the fold that finalize relies on — partials of several processes
 * absorbed in any order, then combine pairs replayed in order — checked against sums
 * computed directly from the same random input.
 */
import { Field, Float64, Int64, makeVector, type Vector } from "apache-arrow";
import { describe, expect, test } from "vitest";
import { float64Data, int64Data, int64Values, float64Values, VgiError } from "@vgi-ts/protocol";
import {
  ColumnarTable,
  GenericTable,
  GroupSlots,
  jsonState,
  mergeInto,
  sumAsFloat64BySlot,
  sumInt64BySlot,
  countBySlot,
  type ColumnarHooks,
  type GenericHooks,
  type StateTable,
  type UpdateBatch,
} from "../src/index.js";

const BIGINT_RESULT = new Field("result", new Int64(), true);
const DOUBLE_RESULT = new Field("result", new Float64(), true);

function batch(groupIds: bigint[], values: (bigint | null)[]): UpdateBatch {
  const valid = values.map((v) => v !== null);
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  valid.forEach((ok, i) => ok && (bitmap[i >> 3]! |= 1 << (i & 7)));
  const column = makeVector(
    int64Data(
      BigInt64Array.from(values, (v) => v ?? 0n),
      valid.every(Boolean) ? undefined : bitmap,
    ),
  );
  return {
    numRows: groupIds.length,
    groupIds: BigInt64Array.from(groupIds),
    columns: [column],
    column: () => column,
  };
}

const sumHooks: ColumnarHooks<{ total: "i64:sum"; count: "i64:sum" }, null> = {
  columns: { total: "i64:sum", count: "i64:sum" },
  update: (state, input) =>
    sumInt64BySlot(state.total, input.slots, input.columns[0]!.data[0]!, state.count),
  finalize: (state, n) =>
    Array.from({ length: n }, (_, i) => (state.count[i] === 0n ? null : state.total[i]!)),
};

const genericSumHooks: GenericHooks<{ total: bigint }, null> = {
  initial: () => ({ total: 0n }),
  update: (states, input) => {
    const values = input.columns[0]!.toArray() as BigInt64Array;
    const data = input.columns[0]!.data[0]!;
    input.groupIds.forEach((gid, i) => {
      if (data.nullCount > 0 && !input.columns[0]!.isValid(i)) return;
      states.set(gid, { total: states.get(gid).total + values[i]! });
    });
  },
  combine: (source, target) => ({ total: source.total + target.total }),
  finalize: (state) => state?.total ?? null,
};

/** Deterministic pseudo-random numbers (tests must not flake). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function resultValues(vector: Vector): unknown[] {
  return Array.from({ length: vector.length }, (_, i) => vector.get(i));
}

describe("GroupSlots", () => {
  test("numbers groups densely in first-seen order, small and large ids alike", () => {
    const slots = new GroupSlots();
    const big = 1n << 40n;
    expect(Array.from(slots.assign(BigInt64Array.from([5n, 2n, 5n, big, -3n, 2n])))).toEqual([
      0, 1, 0, 2, 3, 1,
    ]);
    expect(Array.from(slots.assign(BigInt64Array.from([7n, big, 5n])))).toEqual([4, 2, 0]);
    expect(slots.size).toBe(5);
    expect(Array.from(slots.ids)).toEqual([5n, 2n, big, -3n, 7n]);
    expect(Array.from(slots.lookup(BigInt64Array.from([2n, 99n, -3n, 1n << 50n])))).toEqual([
      1, -1, 3, -1,
    ]);
  });

  test("a directory that grows keeps earlier slots", () => {
    const slots = new GroupSlots();
    const ids = BigInt64Array.from({ length: 5000 }, (_, i) => BigInt((i * 7919) % 5000));
    const first = slots.assign(ids);
    expect(slots.size).toBe(5000);
    expect(Array.from(slots.assign(ids))).toEqual(Array.from(first));
  });
});

describe("columnar kernels", () => {
  test("int64 sums leave the BIGINT range as a typed error, not a wrap-around", () => {
    const totals = BigInt64Array.from([2n ** 62n]);
    const source = BigInt64Array.from([2n ** 62n]);
    expect(() => mergeInto("i64:sum", totals, source, null)).toThrow(VgiError);
    const low = BigInt64Array.from([-(2n ** 63n) + 1n]);
    expect(() => mergeInto("i64:sum", low, BigInt64Array.from([-2n]), null)).toThrow(/overflow/);
    const data = int64Data(BigInt64Array.from([2n ** 62n, 2n ** 62n]));
    expect(() => sumInt64BySlot(new BigInt64Array(1), new Int32Array(2), data)).toThrow(/overflow/);
  });

  test("min and max merge into the slots they are given", () => {
    const mins = Float64Array.from([5, Infinity]);
    mergeInto("f64:min", mins, Float64Array.from([7, 3, 1]), Int32Array.from([0, 1, 1]));
    expect(Array.from(mins)).toEqual([5, 1]);
    const maxes = BigInt64Array.from([-(2n ** 63n), 4n]);
    mergeInto("i64:max", maxes, BigInt64Array.from([9n, 2n]), Int32Array.from([0, 1]));
    expect(Array.from(maxes)).toEqual([9n, 4n]);
  });

  test("scatter sums skip NULL rows and count the rest", () => {
    const { columns, groupIds } = batch([0n, 1n, 0n, 1n], [5n, null, 7n, 2n]);
    const slots = Int32Array.from(groupIds, Number);
    const totals = new BigInt64Array(2);
    const counts = new BigInt64Array(2);
    sumInt64BySlot(totals, slots, columns[0]!.data[0]!, counts);
    expect(Array.from(totals)).toEqual([12n, 2n]);
    expect(Array.from(counts)).toEqual([2n, 1n]);
    const floats = new Float64Array(2);
    sumAsFloat64BySlot(floats, slots, columns[0]!);
    expect(Array.from(floats)).toEqual([12, 2]);
    const rows = new BigInt64Array(2);
    countBySlot(rows, slots);
    expect(Array.from(rows)).toEqual([2n, 2n]);
    const doubles = makeVector(float64Data(Float64Array.from([0.5, 1.5, 2, 4])));
    const dsum = new Float64Array(2);
    sumAsFloat64BySlot(dsum, slots, doubles);
    expect(Array.from(dsum)).toEqual([2.5, 5.5]);
  });
});

/**
 * DuckDB-like traffic: thread-local groups (ids per "thread") updated by several
 * processes, then combined pairwise into global groups, then finalized from one process.
 */
function simulate(newTable: () => StateTable, field: Field, seed: number) {
  const rand = random(seed);
  const GLOBAL = 50;
  const THREADS = 3;
  // Thread t's local group for global g has id t * GLOBAL + g; globals are 1000 + g.
  const expected = new Map<number, bigint | null>();
  const processes = [newTable(), newTable()];
  for (let call = 0; call < 40; call++) {
    const thread = Math.floor(rand() * THREADS);
    const ids: bigint[] = [];
    const values: (bigint | null)[] = [];
    for (let r = 0; r < 64; r++) {
      const g = Math.floor(rand() * GLOBAL);
      const v = rand() < 0.1 ? null : BigInt(Math.floor(rand() * 2000) - 1000);
      ids.push(BigInt(thread * GLOBAL + g));
      values.push(v);
      if (v !== null) expected.set(g, (expected.get(g) ?? 0n) + v);
      else if (!expected.has(g)) expected.set(g, null);
    }
    processes[Math.floor(rand() * 2)]!.update(batch(ids, values));
  }
  // Thread-local groups merge into globals in one combine call per thread, then the
  // globals are chained (global g into 2000 + g) to check that order is honoured.
  const combines = [];
  for (let t = 0; t < THREADS; t++) {
    const sources = BigInt64Array.from({ length: GLOBAL }, (_, g) => BigInt(t * GLOBAL + g));
    const targets = BigInt64Array.from({ length: GLOBAL }, (_, g) => BigInt(1000 + g));
    combines.push({ sources, targets });
  }
  combines.push({
    sources: BigInt64Array.from({ length: GLOBAL }, (_, g) => BigInt(1000 + g)),
    targets: BigInt64Array.from({ length: GLOBAL }, (_, g) => BigInt(2000 + g)),
  });
  // A third "process" folds the partials of both, in either order.
  const folder = newTable();
  const partials = processes.map((p) => p.encode());
  for (const partial of rand() < 0.5 ? partials : partials.reverse()) folder.absorb(partial);
  for (const { sources, targets } of combines) folder.combine(sources, targets);
  const asked = BigInt64Array.from({ length: GLOBAL + 1 }, (_, g) => BigInt(2000 + g));
  const got = resultValues(makeVector(folder.finalize(asked, field)));
  const want = Array.from(asked, (_, g) => expected.get(g) ?? null);
  return { got, want, folder, asked };
}

describe("state tables fold partials and combines in order", () => {
  test.each([1, 2, 3])("columnar sum, seed %i", (seed) => {
    const { got, want, folder, asked } = simulate(
      () => new ColumnarTable(sumHooks, null),
      BIGINT_RESULT,
      seed,
    );
    expect(got).toEqual(want);
    // Finalize leaves the table untouched: asking again gives the same answer.
    expect(resultValues(makeVector(folder.finalize(asked, BIGINT_RESULT)))).toEqual(want);
  });

  test.each([1, 2])("generic sum, seed %i", (seed) => {
    const { got, want } = simulate(
      () => new GenericTable(genericSumHooks, jsonState(), null),
      BIGINT_RESULT,
      seed,
    );
    expect(got).toEqual(want);
  });

  test("updates after a combine stay out of the copy it made (window running states)", () => {
    // DuckDB's window operator copies a running state into each row's state with a
    // combine, then keeps updating the running state.
    const folder = new ColumnarTable(sumHooks, null);
    const later = new ColumnarTable(sumHooks, null);
    folder.update(batch([1n], [10n]));
    folder.combine(BigInt64Array.from([1n]), BigInt64Array.from([9n]));
    later.update(batch([1n, 2n], [5n, 7n]));
    folder.absorb(later.encode());
    folder.combine(BigInt64Array.from([1n]), BigInt64Array.from([8n]));
    const ask = BigInt64Array.from([9n, 8n, 1n, 2n, 3n]);
    expect(resultValues(makeVector(folder.finalize(ask, BIGINT_RESULT)))).toEqual([
      10n,
      15n,
      15n,
      7n,
      null,
    ]);
  });

  test("float states and an Arrow Data result", () => {
    const hooks: ColumnarHooks<{ lo: "f64:min"; hi: "f64:max" }, null> = {
      columns: { lo: "f64:min", hi: "f64:max" },
      update: (state, input) => {
        const values = int64Values(input.columns[0]!.data[0]!);
        input.slots.forEach((slot, i) => {
          const v = Number(values[i]!);
          state.lo[slot] = Math.min(state.lo[slot]!, v);
          state.hi[slot] = Math.max(state.hi[slot]!, v);
        });
      },
      finalize: (state, n) =>
        float64Data(Float64Array.from({ length: n }, (_, i) => state.hi[i]! - state.lo[i]!)),
    };
    const a = new ColumnarTable(hooks, null);
    const b = new ColumnarTable(hooks, null);
    a.update(batch([0n, 0n, 1n], [3n, 9n, 4n]));
    b.update(batch([0n, 1n], [-1n, 6n]));
    a.absorb(b.encode());
    const out = a.finalize(BigInt64Array.from([0n, 1n]), DOUBLE_RESULT);
    expect(Array.from(float64Values(out))).toEqual([10, 2]);
  });
});

test("combine pairs apply one by one: a target can feed a later pair", () => {
  const folder = new ColumnarTable(sumHooks, null);
  folder.update(batch([1n, 2n, 3n, 4n], [1n, 10n, 100n, 1000n]));
  folder.combine(BigInt64Array.from([1n, 2n]), BigInt64Array.from([8n, 9n]));
  folder.combine(BigInt64Array.from([3n, 8n]), BigInt64Array.from([8n, 9n]));
  const ask = BigInt64Array.from([8n, 9n]);
  // 3 lands in 8 (101) before 8 merges into 9 (10 + 101).
  expect(resultValues(makeVector(folder.finalize(ask, BIGINT_RESULT)))).toEqual([101n, 111n]);
  folder.combine(BigInt64Array.from([4n]), BigInt64Array.from([8n]));
  expect(resultValues(makeVector(folder.finalize(ask, BIGINT_RESULT)))).toEqual([1101n, 111n]);
});
