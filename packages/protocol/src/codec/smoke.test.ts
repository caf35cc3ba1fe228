import { test, expect } from "vitest";
import { tableFromIPC } from "apache-arrow";
import {
  defineMessage,
  utf8,
  binary,
  int64,
  list,
  map,
  struct,
  enumOf,
  timestampUs,
  nested,
  bool,
  type Infer,
} from "./index.js";

test("smoke", () => {
  const Inner = defineMessage("Inner", { a: utf8, n: int64.nullable() });
  const C = defineMessage("Smoke", {
    attachOpaqueData: binary,
    kind: enumOf(["X", "Y"] as const),
    tags: map(utf8, utf8),
    path: list(utf8),
    items: list(struct({ sql: utf8, when: timestampUs().nullable() })),
    inner: nested(Inner),
    flag: bool.nullable(),
    n: int64,
  });
  type T = Infer<typeof C>;
  const v: T = {
    attachOpaqueData: new Uint8Array([1, 2]),
    kind: "Y",
    tags: { a: "b" },
    path: ["x", "y"],
    items: [
      { sql: "s", when: new Date(1700000000123) },
      { sql: "t", when: null },
    ],
    inner: { a: "q", n: 5n },
    flag: null,
    n: 7n,
  };
  const bytes = C.toIpc(v);
  console.log(C.schema.fields.map(String));
  const back = C.fromIpc(bytes);
  expect(back).toEqual(v);
  const t = tableFromIPC(bytes);
  console.log(t.getChild("kind")?.get(0), t.schema.fields[1]?.type.toString());
  const many = C.encode([v, v, { ...v, kind: "X" }]);
  expect(C.decode(many).map((x) => x.kind)).toEqual(["Y", "Y", "X"]);
  expect(() => C.encode({ ...v, kind: "Z" as "X" })).toThrow(/Smoke: field 'kind'/);
  try {
    C.encode({ ...v, items: [{ sql: 1 as unknown as string, when: null }] });
  } catch (e) {
    console.log(String(e));
  }
  const E = defineMessage("Empty", {});
  const eb = E.toIpc({});
  expect(E.fromIpc(eb)).toEqual({});
});
