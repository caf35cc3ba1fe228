/**
 * How aggregate states travel through shared storage: one entry per call holds the
 * group ids a call touched and their states. `jsonState` takes any plain value
 * (bigints included); `numericState` packs fixed numeric fields into typed arrays, with
 * no per-group encoding work beyond a copy.
 */

export interface StateCodec<S> {
  encode(groupIds: readonly bigint[], states: readonly S[]): Uint8Array;
  decode(bytes: Uint8Array): { groupIds: bigint[]; states: S[] };
}

const BIGINT_TAG = "\u0000n:";

/** Any JSON-shaped state; bigints survive (tagged strings). */
export function jsonState<S>(): StateCodec<S> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    encode(groupIds, states) {
      const text = JSON.stringify([groupIds.map(String), states], (_, v: unknown) =>
        typeof v === "bigint" ? BIGINT_TAG + v.toString() : v,
      );
      return encoder.encode(text);
    },
    decode(bytes) {
      const [ids, states] = JSON.parse(decoder.decode(bytes), (_, v: unknown) =>
        typeof v === "string" && v.startsWith(BIGINT_TAG) ? BigInt(v.slice(BIGINT_TAG.length)) : v,
      ) as [string[], S[]];
      return { groupIds: ids.map((id) => BigInt(id)), states };
    },
  };
}

export type NumericField = "f64" | "i64";
type NumericValue<F extends NumericField> = F extends "f64" ? number : bigint;
export type NumericStateOf<D extends Record<string, NumericField>> = {
  [K in keyof D]: NumericValue<D[K]>;
};

/**
 * A state of fixed numeric fields, e.g. `numericState({ total: "f64", count: "i64" })`.
 * Layout: u32 count, then the group ids (i64), then each field's column (f64 or i64),
 * 8-byte aligned throughout.
 */
export function numericState<const D extends Record<string, NumericField>>(
  fields: D,
): StateCodec<NumericStateOf<D>> {
  const names = Object.keys(fields);
  return {
    encode(groupIds, states) {
      const n = groupIds.length;
      const buffer = new ArrayBuffer(8 + 8 * n * (1 + names.length));
      new Uint32Array(buffer, 0, 1)[0] = n;
      const ids = new BigInt64Array(buffer, 8, n);
      for (let i = 0; i < n; i++) ids[i] = groupIds[i]!;
      names.forEach((name, f) => {
        const offset = 8 + 8 * n * (1 + f);
        if (fields[name] === "f64") {
          const column = new Float64Array(buffer, offset, n);
          for (let i = 0; i < n; i++) column[i] = (states[i] as Record<string, number>)[name]!;
        } else {
          const column = new BigInt64Array(buffer, offset, n);
          for (let i = 0; i < n; i++) column[i] = (states[i] as Record<string, bigint>)[name]!;
        }
      });
      return new Uint8Array(buffer);
    },
    decode(bytes) {
      // Storage may hand back an unaligned view: copy once into an aligned buffer.
      // (`new Uint8Array(view)` copies; Buffer#slice would not.)
      const buffer = bytes.byteOffset % 8 === 0 ? bytes.buffer : new Uint8Array(bytes).buffer;
      const base = bytes.byteOffset % 8 === 0 ? bytes.byteOffset : 0;
      const n = new Uint32Array(buffer, base, 1)[0]!;
      const ids = new BigInt64Array(buffer, base + 8, n);
      const columns = names.map((name, f) => {
        const offset = base + 8 + 8 * n * (1 + f);
        return fields[name] === "f64"
          ? new Float64Array(buffer, offset, n)
          : new BigInt64Array(buffer, offset, n);
      });
      const states = new Array<NumericStateOf<D>>(n);
      for (let i = 0; i < n; i++) {
        const state: Record<string, number | bigint> = {};
        names.forEach((name, f) => (state[name] = columns[f]![i]!));
        states[i] = state as NumericStateOf<D>;
      }
      return { groupIds: Array.from(ids), states };
    },
  };
}
