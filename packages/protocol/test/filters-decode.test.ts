/**
 * Decoding vgi.filters.v2 payloads: the shapes DuckDB 1.5.5 sends (captured from the
 * real extension), every node kind, deltas, evaluation contexts, and what is refused.
 */
import { describe, expect, test } from "vitest";
import {
  Bool,
  Field,
  Int64,
  List,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from "apache-arrow";
import {
  FilterDecodeError,
  applyFilterDelta,
  decodeDynamicFilterMetadata,
  decodeFilterSnapshot,
  encodeFilterPayload,
  encodeStream,
  type FilterPayloadColumn,
  type FilterState,
} from "../src/index.js";

const output = new Schema([
  new Field("n", new Int64()),
  new Field("s", new Utf8()),
  new Field("flag", new Bool()),
  new Field("rec", new Struct([new Field("a", new Int64()), new Field("b", new Utf8())])),
  new Field("tags", new List(new Field("item", new Utf8()))),
]);

const col = (name: string) => ({
  node: "column_ref",
  column_index: output.fields.findIndex((f) => f.name === name),
  column_name: name,
});
const lit = (ref: number) => ({ node: "literal", value_ref: ref });
const cmp = (op: string, left: unknown, right: unknown) => ({
  node: "comparison",
  op,
  left,
  right,
});

function int64(name: string, value: bigint | null): FilterPayloadColumn {
  return {
    field: new Field(name, new Int64()),
    data: vectorFromArray([value], new Int64()).data[0]!,
  };
}
function utf8(name: string, value: string | null): FilterPayloadColumn {
  return {
    field: new Field(name, new Utf8()),
    data: vectorFromArray([value], new Utf8()).data[0]!,
  };
}
function int64List(name: string, values: (bigint | null)[]): FilterPayloadColumn {
  const type = new List(new Field("item", new Int64()));
  return { field: new Field(name, type), data: vectorFromArray([values], type).data[0]! };
}

function predicate(expression: unknown, extra: Record<string, unknown> = {}) {
  return { id: "query:0", revision: 0, mode: "required", source: "query", expression, ...extra };
}
function snapshot(predicates: unknown[]) {
  return {
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "snapshot",
    predicates,
  };
}
function decode(
  doc: unknown,
  payloads: FilterPayloadColumn[] = [],
  joinKeys?: Uint8Array[],
): FilterState {
  return decodeFilterSnapshot(encodeFilterPayload(doc, payloads), {
    outputSchema: output,
    joinKeys,
  });
}
function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FilterDecodeError);
    expect((error as FilterDecodeError).kind).toBe("malformed_request");
    return (error as Error).message;
  }
  throw new Error("expected a FilterDecodeError");
}

describe("snapshot documents", () => {
  test("n >= 8 as DuckDB sends it", () => {
    const state = decode(snapshot([predicate(cmp("ge", col("n"), lit(0)))]), [
      int64("value_0", 8n),
    ]);
    expect(state.context).toEqual({ profile: "vgi.none.v1" });
    expect(state.predicates).toHaveLength(1);
    const [p] = state.predicates;
    expect(p!.mode).toBe("required");
    expect(state.requiredIds.has("query:0")).toBe(true);
    const e = p!.expression;
    expect(e.node).toBe("comparison");
    if (e.node !== "comparison" || e.right.node !== "literal") throw new Error("shape");
    expect(e.right.value).toBe(8n);
    expect(e.left).toMatchObject({ node: "column_ref", columnIndex: 0, columnName: "n" });
  });

  test("every node kind decodes", () => {
    const expression = {
      node: "and",
      children: [
        {
          node: "or",
          children: [
            cmp("distinct_from", col("n"), lit(0)),
            cmp("not_distinct_from", col("s"), lit(1)),
          ],
        },
        { node: "not", expression: { node: "is_null", expression: col("s"), negated: false } },
        { node: "in", expression: col("n"), set: { kind: "literal", value_ref: 2 }, negated: true },
        cmp(
          "lt",
          { node: "arithmetic", op: "add", left: col("n"), right: lit(0) },
          { node: "negate", expression: lit(0) },
        ),
        cmp("eq", { node: "cast", expression: col("n"), type_ref: 0 }, lit(1)),
        { node: "call", function: "starts_with", arguments: [col("s"), lit(1)] },
        { node: "call", function: "list_contains", arguments: [col("tags"), lit(1)] },
        cmp(
          "eq",
          { node: "field_ref", expression: col("rec"), field_index: 1, field_name: "b" },
          lit(1),
        ),
        col("flag"),
      ],
    };
    const state = decode(snapshot([predicate(expression)]), [
      int64("value_0", 3n),
      utf8("value_1", "x"),
      int64List("value_2", [1n, null, 3n]),
      utf8("type_0", null),
    ]);
    const root = state.predicates[0]!.expression;
    if (root.node !== "and") throw new Error("shape");
    expect(root.children.map((c) => c.node)).toEqual([
      "or",
      "not",
      "in",
      "comparison",
      "comparison",
      "call",
      "call",
      "comparison",
      "column_ref",
    ]);
    const inNode = root.children[2]!;
    if (inNode.node !== "in") throw new Error("shape");
    expect(inNode.set.kind).toBe("literal");
    expect(inNode.set.data.length).toBe(3);
  });

  test("external IN sets come from join_keys", () => {
    const keys = new Schema([new Field("k", new Int64())]);
    const batch = vectorFromArray([1n, 5n, 9n], new Int64());
    const join = joinBatch(keys, batch.data[0]!);
    const state = decode(
      snapshot([
        predicate(
          {
            node: "in",
            expression: col("n"),
            set: { kind: "external", batch_index: 0, column_index: 0, column_name: "k" },
            negated: false,
          },
          { mode: "advisory", source: "join" },
        ),
      ]),
      [],
      [join],
    );
    const e = state.predicates[0]!.expression;
    if (e.node !== "in") throw new Error("shape");
    expect(e.set.kind).toBe("external");
    expect(e.set.data.length).toBe(3);
    expect(
      refused(() =>
        decode(
          snapshot([
            predicate({
              node: "in",
              expression: col("n"),
              set: { kind: "external", batch_index: 1, column_index: 0, column_name: "k" },
              negated: false,
            }),
          ]),
          [],
          [join],
        ),
      ),
    ).toMatch(/join_keys batch 1/);
  });

  test("session evaluation context needs advertising and all its keys", () => {
    const meta = new Map([
      ["vgi_filter_encoding", "vgi.filters.v2"],
      ["vgi_filter_version", "2"],
      ["vgi_evaluation_context", "vgi.duckdb.session.v1"],
      ["vgi_time_zone", "UTC"],
      ["vgi_calendar", "gregorian"],
      ["vgi_default_collation", ""],
      ["vgi_ieee_floating_point_ops", "true"],
      ["vgi_integer_division", "false"],
    ]);
    const bytes = encodeFilterPayload(snapshot([]), [], meta);
    expect(refused(() => decodeFilterSnapshot(bytes, { outputSchema: output }))).toMatch(
      /not advertised/,
    );
    const state = decodeFilterSnapshot(bytes, {
      outputSchema: output,
      evaluationContexts: [{ profile: "vgi.duckdb.session.v1" }],
    });
    expect(state.context).toMatchObject({
      timeZone: "UTC",
      ieeeFloatingPointOps: true,
      integerDivision: false,
    });
    const missing = new Map(meta);
    missing.delete("vgi_calendar");
    expect(
      refused(() =>
        decodeFilterSnapshot(encodeFilterPayload(snapshot([]), [], missing), {
          outputSchema: output,
          evaluationContexts: [{ profile: "vgi.duckdb.session.v1" }],
        }),
      ),
    ).toMatch(/vgi_calendar/);
  });

  test("division needs the session context", () => {
    const e = cmp(
      "gt",
      { node: "arithmetic", op: "divide", left: col("n"), right: lit(0) },
      lit(0),
    );
    expect(refused(() => decode(snapshot([predicate(e)]), [int64("value_0", 2n)]))).toMatch(
      /session/,
    );
  });
});

describe("refusals", () => {
  const ok = (expression: unknown, payloads: FilterPayloadColumn[] = [int64("value_0", 1n)]) =>
    decode(snapshot([predicate(expression)]), payloads);
  test.each([
    ["unknown node", { node: "regex", expression: col("n") }, /unknown expression node/],
    ["column name/index mismatch", { ...col("n"), column_name: "s" }, /not output column/],
    ["missing value payload", cmp("eq", col("n"), lit(7)), /missing payload value_7/],
    ["negative value_ref", cmp("eq", col("n"), lit(-1)), /value_ref/],
    ["extra property", { ...cmp("eq", col("n"), lit(0)), extra: 1 }, /unknown property 'extra'/],
    ["unknown comparison", cmp("like", col("n"), lit(0)), /unknown comparison/],
    [
      "and with one child",
      { node: "and", children: [cmp("eq", col("n"), lit(0))] },
      /at least two/,
    ],
    ["non-boolean root", col("n"), /not BOOLEAN/],
    [
      "unknown function",
      { node: "call", function: "regexp_matches", arguments: [col("s"), lit(0)] },
      /unknown standard function/,
    ],
    [
      "unadvertised extension function",
      {
        node: "call",
        function: { namespace: "duckdb.spatial", name: "intersects_extent", version: 1 },
        arguments: [col("s"), col("s")],
      },
      /not advertised/,
    ],
    [
      "starts_with on a number",
      { node: "call", function: "starts_with", arguments: [col("n"), lit(0)] },
      /VARCHAR/,
    ],
    [
      "field_ref on a scalar",
      cmp(
        "eq",
        { node: "field_ref", expression: col("n"), field_index: 0, field_name: "a" },
        lit(0),
      ),
      /STRUCT/,
    ],
  ])("%s", (_name, expression, message) => {
    expect(refused(() => ok(expression))).toMatch(message);
  });

  test("document-level violations", () => {
    const payload = [int64("value_0", 1n)];
    const good = predicate(cmp("eq", col("n"), lit(0)));
    expect(refused(() => decode({ ...snapshot([good]), kind: "delta" }, payload))).toMatch(
      /snapshot/,
    );
    expect(refused(() => decode({ ...snapshot([good]), semantics: "x" }, payload))).toMatch(
      /semantics/,
    );
    expect(refused(() => decode(snapshot([good, good]), payload))).toMatch(/duplicate id/);
    expect(refused(() => decode(snapshot([{ ...good, revision: 1 }]), payload))).toMatch(
      /revision/,
    );
    expect(refused(() => decode(snapshot([{ ...good, mode: "maybe" }]), payload))).toMatch(/mode/);
    expect(refused(() => decode('{"encoding":"vgi.filters.v2","encoding":"x"}'))).toMatch(
      /duplicate object key/,
    );
    expect(refused(() => decode("{"))).toMatch(/invalid filter JSON/);
    expect(refused(() => decode("[] []"))).toMatch(/trailing/);
    expect(
      refused(() => decodeFilterSnapshot(new Uint8Array([1, 2, 3]), { outputSchema: output })),
    ).toMatch(/vgi.filters.v2/);
  });

  test("limits: depth, nodes, IN-set size", () => {
    let deep: unknown = cmp("eq", col("n"), lit(0));
    for (let i = 0; i < 70; i++) deep = { node: "not", expression: deep };
    expect(refused(() => ok(deep))).toMatch(/deeper than 64/);
    const wide = {
      node: "or",
      children: Array.from({ length: 20 }, () => cmp("eq", col("n"), lit(0))),
    };
    expect(() => ok(wide)).not.toThrow();
    const state = () =>
      decodeFilterSnapshot(
        encodeFilterPayload(snapshot([predicate(wide)]), [int64("value_0", 1n)]),
        {
          outputSchema: output,
          limits: { maxNodes: 30 },
        },
      );
    expect(refused(state)).toMatch(/more than 30 expression nodes/);
    const big = Array.from({ length: 100 }, (_, i) => BigInt(i));
    const inSet = {
      node: "in",
      expression: col("n"),
      set: { kind: "literal", value_ref: 0 },
      negated: false,
    };
    expect(
      refused(() =>
        decodeFilterSnapshot(
          encodeFilterPayload(snapshot([predicate(inSet)]), [int64List("value_0", big)]),
          {
            outputSchema: output,
            limits: { maxSetSize: 50 },
          },
        ),
      ),
    ).toMatch(/exceeds 50/);
  });
});

describe("deltas", () => {
  const base = () => decode(snapshot([]));
  const delta = (updates: unknown[]) => ({
    encoding: "vgi.filters.v2",
    semantics: "vgi.duckdb.standard.v1",
    kind: "delta",
    updates,
  });
  const upsert = (revision: number, value: bigint) =>
    encodeFilterPayload(
      delta([
        {
          operation: "upsert",
          id: "top_n:0",
          revision,
          mode: "advisory",
          source: "top_n",
          expression: cmp("gt", col("n"), lit(0)),
        },
      ]),
      [int64("value_0", value)],
    );

  test("Top-N bounds tighten by revision; stale revisions are ignored; remove drops", () => {
    const s1 = applyFilterDelta(base(), upsert(1, 97n), { outputSchema: output });
    const s2 = applyFilterDelta(s1, upsert(2, 197n), { outputSchema: output });
    const stale = applyFilterDelta(s2, upsert(1, 5n), { outputSchema: output });
    const value = (s: FilterState) => {
      const e = s.predicates[0]!.expression;
      return e.node === "comparison" && e.right.node === "literal" ? e.right.value : undefined;
    };
    expect(value(s1)).toBe(97n);
    expect(value(s2)).toBe(197n);
    expect(value(stale)).toBe(197n);
    const removed = applyFilterDelta(
      s2,
      encodeFilterPayload(delta([{ operation: "remove", id: "top_n:0", revision: 3 }])),
      { outputSchema: output },
    );
    expect(removed.predicates).toHaveLength(0);
  });

  test("a delta may not touch required predicates or upsert required ones", () => {
    const prior = decode(snapshot([predicate(cmp("eq", col("n"), lit(0)))]), [
      int64("value_0", 1n),
    ]);
    expect(
      refused(() =>
        applyFilterDelta(
          prior,
          encodeFilterPayload(delta([{ operation: "remove", id: "query:0", revision: 1 }])),
          { outputSchema: output },
        ),
      ),
    ).toMatch(/required/);
    const required = encodeFilterPayload(
      delta([
        {
          operation: "upsert",
          id: "x",
          revision: 1,
          mode: "required",
          source: "top_n",
          expression: cmp("gt", col("n"), lit(0)),
        },
      ]),
      [int64("value_0", 1n)],
    );
    expect(refused(() => applyFilterDelta(base(), required, { outputSchema: output }))).toMatch(
      /advisory/,
    );
  });

  test("tick metadata is strict base64", () => {
    const bytes = upsert(1, 5n);
    const encoded = btoa(String.fromCharCode(...bytes));
    expect(decodeDynamicFilterMetadata(encoded)).toEqual(bytes);
    expect(refused(() => decodeDynamicFilterMetadata("not base64!"))).toMatch(/base64/);
    expect(refused(() => decodeDynamicFilterMetadata("AAAA", { maxDeltaBase64Bytes: 2 }))).toMatch(
      /exceeds/,
    );
  });
});

function joinBatch(schema: Schema, column: Data): Uint8Array {
  const struct = makeData({
    type: new Struct(schema.fields),
    length: column.length,
    children: [column],
  });
  return encodeStream(schema, [new RecordBatch(schema, struct)]);
}
