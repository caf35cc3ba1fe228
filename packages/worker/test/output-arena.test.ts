import { describe, expect, test } from "vitest";
import { OutputArena } from "../src/functions/output-arena.js";

describe("OutputArena", () => {
  test("fresh zeroed arrays until a turn is recycled", () => {
    const arena = new OutputArena();
    const a = arena.allocate(Int32Array, 4);
    const b = arena.allocate(Int32Array, 4);
    expect(a.buffer).not.toBe(b.buffer);
    expect(Array.from(a)).toEqual([0, 0, 0, 0]);
  });

  test("recycled memory comes back zeroed, for any array type of the same byte size", () => {
    const arena = new OutputArena();
    const a = arena.allocate(BigInt64Array, 2);
    a.fill(7n);
    arena.recycle();
    const b = arena.allocate(Int32Array, 4);
    expect(b.buffer).toBe(a.buffer);
    expect(Array.from(b)).toEqual([0, 0, 0, 0]);
    // Another size does not take it.
    expect(arena.allocate(Int32Array, 3).buffer).not.toBe(a.buffer);
  });

  test("the pool is one turn deep: memory not reused in a turn is dropped", () => {
    const arena = new OutputArena();
    const a = arena.allocate(Uint8Array, 16);
    arena.recycle();
    arena.recycle(); // a turn that allocated nothing
    expect(arena.allocate(Uint8Array, 16).buffer).not.toBe(a.buffer);
  });
});
