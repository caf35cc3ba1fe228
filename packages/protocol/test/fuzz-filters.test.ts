/**
 * Fuzzing the vgi.filters.v2 decoder: random documents (valid shapes mutated, deep
 * nesting, huge IN sets, bad value references, wrong types) and random or truncated
 * bytes. Decoding either succeeds or throws a FilterDecodeError (`malformed_request`);
 * never another exception, never a hang. Deterministic from VGI_FUZZ_SEED; the case
 * count scales with VGI_FUZZ_RUNS, as for the request fuzzer.
 */
import { describe, expect, test } from "vitest";
import { Field, Int64, List, Schema, Struct, Utf8, vectorFromArray } from "apache-arrow";
import {
  FilterDecodeError,
  applyFilterDelta,
  decodeDynamicFilterMetadata,
  decodeFilterSnapshot,
  encodeFilterPayload,
  type FilterPayloadColumn,
} from "../src/index.js";
import { Prng } from "./support.js";

const RUNS = Number(process.env.VGI_FUZZ_RUNS ?? 1);
const SEED = Number(process.env.VGI_FUZZ_SEED ?? 0x5eed);

const output = new Schema([
  new Field("n", new Int64()),
  new Field("s", new Utf8()),
  new Field("rec", new Struct([new Field("a", new Int64())])),
]);

const NODES = [
  "column_ref",
  "field_ref",
  "literal",
  "comparison",
  "and",
  "or",
  "not",
  "is_null",
  "in",
  "cast",
  "arithmetic",
  "negate",
  "call",
  "bogus",
];
const OPS = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "distinct_from",
  "not_distinct_from",
  "add",
  "divide",
  "??",
];

function randomScalar(rng: Prng): unknown {
  return rng.pick([
    0,
    1,
    -1,
    2 ** 60,
    1.5,
    "n",
    "s",
    "rec",
    "",
    null,
    true,
    [],
    {},
    "value_0",
    64,
    1e308,
  ]);
}

/** A random expression: mostly well-formed, sometimes not. */
function randomExpression(rng: Prng, depth: number): unknown {
  if (rng.int(20) === 0) return randomScalar(rng);
  const node = depth > 6 ? rng.pick(["column_ref", "literal"]) : rng.pick(NODES);
  const child = () => randomExpression(rng, depth + 1);
  const e: Record<string, unknown> = { node };
  switch (node) {
    case "column_ref": {
      const i = rng.int(4);
      e.column_index = rng.int(10) === 0 ? -1 : i;
      e.column_name = ["n", "s", "rec", "zz"][rng.int(4)];
      break;
    }
    case "field_ref":
      e.expression = child();
      e.field_index = rng.int(2);
      e.field_name = rng.pick(["a", "b"]);
      break;
    case "literal":
      e.value_ref = rng.int(10) === 0 ? rng.pick([-1, 99, "0", 1.5]) : rng.int(3);
      break;
    case "comparison":
    case "arithmetic":
      e.op = rng.pick(OPS);
      e.left = child();
      e.right = child();
      break;
    case "and":
    case "or":
      e.children = Array.from({ length: rng.int(4) }, child);
      break;
    case "in":
      e.expression = child();
      e.set =
        rng.int(2) === 0
          ? { kind: "literal", value_ref: rng.int(4) }
          : {
              kind: "external",
              batch_index: rng.int(2),
              column_index: rng.int(2),
              column_name: rng.pick(["k", "x"]),
            };
      e.negated = rng.int(5) === 0 ? "no" : rng.int(2) === 0;
      break;
    case "cast":
      e.expression = child();
      e.type_ref = rng.int(2);
      break;
    case "call":
      e.function = rng.pick([
        "starts_with",
        "contains",
        "list_contains",
        "nope",
        { namespace: "duckdb.spatial", name: "intersects_extent", version: 1 },
      ]);
      e.arguments = Array.from({ length: rng.int(4) }, child);
      break;
    default:
      e.expression = child();
      e.negated = rng.int(2) === 0;
  }
  if (rng.int(15) === 0) e[rng.pick(["extra", "node", "options"])] = randomScalar(rng);
  if (rng.int(15) === 0) delete e[rng.pick(Object.keys(e))];
  return e;
}

function randomDocument(rng: Prng): unknown {
  const kind = rng.int(6) === 0 ? "delta" : "snapshot";
  const predicates = Array.from({ length: rng.int(4) }, (_, i) => ({
    ...(kind === "delta" ? { operation: rng.pick(["upsert", "remove", "merge"]) } : {}),
    id: rng.int(8) === 0 ? "" : `p${i}`,
    revision: rng.int(8) === 0 ? 1 : 0,
    mode: rng.pick(["required", "advisory", "advisory", "maybe"]),
    source: rng.pick(["query", "join", "top_n", "x"]),
    expression: randomExpression(rng, 1),
  }));
  return {
    encoding: rng.int(20) === 0 ? "v1" : "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind,
    [kind === "delta" ? "updates" : "predicates"]: predicates,
  };
}

function payloads(rng: Prng): FilterPayloadColumn[] {
  const list = new List(new Field("item", new Int64()));
  const setSize = rng.int(25) === 0 ? 60_000 : rng.int(5);
  const all: FilterPayloadColumn[] = [
    {
      field: new Field("value_0", new Int64()),
      data: vectorFromArray([BigInt(rng.int(100))], new Int64()).data[0]!,
    },
    {
      field: new Field("value_1", new Utf8()),
      data: vectorFromArray([rng.int(3) === 0 ? null : "x"], new Utf8()).data[0]!,
    },
    {
      field: new Field("value_2", list),
      data: vectorFromArray([Array.from({ length: setSize }, (_, i) => BigInt(i))], list).data[0]!,
    },
    { field: new Field("type_0", new Utf8()), data: vectorFromArray([null], new Utf8()).data[0]! },
  ];
  return all.filter(() => rng.int(6) !== 0);
}

type Outcome = "ok" | "refused";

function attempt(run: () => unknown): Outcome {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof FilterDecodeError && error.kind === "malformed_request") return "refused";
    throw error;
  }
}

function mutateBytes(rng: Prng, bytes: Uint8Array): Uint8Array {
  switch (rng.int(3)) {
    case 0:
      return bytes.slice(0, rng.int(bytes.length));
    case 1: {
      const out = bytes.slice();
      for (let k = 0; k < 1 + rng.int(8); k++) out[rng.int(out.length)] = rng.int(256);
      return out;
    }
    default:
      return rng.bytes(rng.int(300));
  }
}

describe("vgi.filters.v2 decoder fuzz", () => {
  const cases = 150 * RUNS;

  test(`${cases} random documents: decoded or refused with a typed error (seed ${SEED})`, () => {
    const rng = new Prng(SEED);
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < cases; i++) {
      const doc = randomDocument(rng);
      const bytes = encodeFilterPayload(doc, payloads(rng));
      const outcome = attempt(() =>
        decodeFilterSnapshot(bytes, { outputSchema: output, limits: { maxSetSize: 50_000 } }),
      );
      counts[outcome]++;
    }
    // Both outcomes occur: the generator reaches the decoder's success paths too.
    expect(counts.ok).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  });

  test(`${cases} corrupted payloads and deltas: refused, never thrown otherwise`, () => {
    const rng = new Prng(SEED + 1);
    const empty = decodeFilterSnapshot(
      encodeFilterPayload({
        encoding: "vgi.filters.v2",
        semantics: "vgi.duckdb.standard.v1",
        kind: "snapshot",
        predicates: [],
      }),
      { outputSchema: output },
    );
    for (let i = 0; i < cases; i++) {
      const bytes = mutateBytes(rng, encodeFilterPayload(randomDocument(rng), payloads(rng)));
      attempt(() => decodeFilterSnapshot(bytes, { outputSchema: output }));
      attempt(() => applyFilterDelta(empty, bytes, { outputSchema: output }));
      const text = String.fromCharCode(...bytes.slice(0, 64));
      attempt(() => decodeDynamicFilterMetadata(rng.int(2) === 0 ? text : btoa(text)));
    }
  });

  test("hostile JSON: deep nesting, huge documents, garbage text", () => {
    const rng = new Prng(SEED + 2);
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(
      attempt(() => decodeFilterSnapshot(encodeFilterPayload(deep), { outputSchema: output })),
    ).toBe("refused");
    const leaf = '{"node":"column_ref","column_index":0,"column_name":"n"}';
    const nested = '{"node":"negate","expression":'.repeat(5_000) + leaf + "}".repeat(5_000);
    const doc =
      '{"encoding":"vgi.filters.v2","semantics":"vgi.duckdb.standard.v1","kind":"snapshot",' +
      `"predicates":[{"id":"a","revision":0,"mode":"required","source":"query","expression":${nested}}]}`;
    expect(
      attempt(() => decodeFilterSnapshot(encodeFilterPayload(doc), { outputSchema: output })),
    ).toBe("refused");
    const huge = `{"encoding":"${"x".repeat(2 << 20)}"}`;
    expect(
      attempt(() => decodeFilterSnapshot(encodeFilterPayload(huge), { outputSchema: output })),
    ).toBe("refused");
    for (let i = 0; i < 200 * RUNS; i++) {
      const text = Array.from({ length: rng.int(80) }, () =>
        rng.pick([
          "{",
          "}",
          "[",
          "]",
          '"',
          ":",
          ",",
          "a",
          "1",
          "-",
          "e",
          "\\",
          "true",
          "null",
          " ",
          "\u0001",
        ]),
      ).join("");
      attempt(() => decodeFilterSnapshot(encodeFilterPayload(text), { outputSchema: output }));
    }
  });
});
