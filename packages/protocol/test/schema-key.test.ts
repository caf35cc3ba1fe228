import { describe, expect, test } from "vitest";
import {
  Dictionary,
  Field,
  Int16,
  Int32,
  Int64,
  Map_,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
} from "apache-arrow";
import { schemaKey } from "../src/ipc/schema-key.js";
import { encodeSchema, encodeStream } from "../src/index.js";

const entries = (valueNullable: boolean) =>
  new Field(
    "entries",
    new Struct([
      new Field("key", new Utf8(), false),
      new Field("value", new Int32(), valueNullable),
    ]),
    false,
  );

/** Builds a fresh (not shared) schema each call, varied by one parameter at a time. */
function schema(change: Partial<Record<string, unknown>> = {}): Schema {
  const meta = new Map<string, string>(change.fieldMeta === undefined ? [] : [["k", "v"]]);
  return new Schema(
    [
      new Field("id", new Int64(), change.nullable !== undefined, meta),
      new Field("at", new TimestampMicrosecond((change.timezone as string) ?? "UTC"), true),
      new Field(
        "tags",
        new Map_(entries(change.valueNullable === undefined), change.sorted === true),
        true,
      ),
      new Field(
        "kind",
        new Dictionary(new Utf8(), new Int16(), (change.dictId as number) ?? 0, false),
        true,
      ),
    ],
    new Map(change.schemaMeta === undefined ? [] : [["s", "1"]]),
  );
}

describe("schemaKey", () => {
  test("equal for structurally equal schemas built separately", () => {
    expect(schemaKey(schema())).toBe(schemaKey(schema()));
  });

  test.each([
    ["nullability", { nullable: true }],
    ["field metadata", { fieldMeta: true }],
    ["schema metadata", { schemaMeta: true }],
    ["timestamp timezone", { timezone: "Europe/Paris" }],
    ["map keysSorted (absent from String(type))", { sorted: true }],
    ["nested child nullability", { valueNullable: false }],
    ["dictionary id", { dictId: 7 }],
  ])("differs on %s", (_what, change) => {
    expect(schemaKey(schema(change))).not.toBe(schemaKey(schema()));
  });
});

describe("encodeSchema memo", () => {
  test("returns the serialization of the schema asked for, whichever was cached first", () => {
    for (const change of [{}, { sorted: true }, { timezone: "Asia/Tokyo" }, {}]) {
      const s = schema(change);
      expect(encodeSchema(s)).toEqual(encodeStream(s, []));
    }
  });
});
