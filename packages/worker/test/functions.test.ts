/**
 * Argument specs (their wire form in FunctionInfo.arguments) and overload scoring
 * (which same-named overload serves a bind request).
 */
import { describe, expect, test } from "vitest";
import {
  Field,
  Float64,
  Int32,
  Int64,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type DataType,
} from "apache-arrow";
import { BindRequestCodec, encodeSchema, encodeStream, sql } from "@vgi-ts/protocol";
import {
  ANY,
  argumentField,
  argumentsSchema,
  decodeBindCall,
  isAny,
  scalarFunction,
  type ArgumentSpec,
  type BindCall,
} from "@vgi-ts/worker";
// Not part of the package API; tested where it lives.
import { pickOverload, scoreSignature } from "../src/functions/overload-score.js";

/** A BindCall as the worker decodes it from a real BindRequest. */
function bindCall(options: {
  constants?: readonly [name: string, type: DataType, value: unknown][];
  columns?: readonly DataType[];
  argumentNames?: readonly (string | null)[] | null;
}): BindCall {
  const constants = options.constants ?? [];
  const struct = new Struct(constants.map(([name, type]) => new Field(name, type, true)));
  const schema = new Schema([new Field("args", struct, true)]);
  const children = constants.map(
    ([, type, value]) => vectorFromArray([value] as unknown[], type).data[0]!,
  );
  const args = new RecordBatch(
    schema,
    makeData({
      type: new Struct(schema.fields),
      length: 1,
      children: [makeData({ type: struct, length: 1, children })],
    }),
  );
  const columns = options.columns ?? [];
  const request = BindRequestCodec.decodeRow(
    BindRequestCodec.encode({
      functionName: "f",
      arguments: encodeStream(schema, [args]),
      functionType: "SCALAR",
      inputSchema: encodeSchema(
        new Schema(columns.map((type, i) => new Field(`col_${i}`, type, true))),
      ),
      resolvedSecretsProvided: false,
      argumentNames: options.argumentNames ?? null,
    }),
    0,
  );
  return decodeBindCall(request);
}

const meta = (field: Field): Record<string, string> => Object.fromEntries(field.metadata);

describe("argument specs", () => {
  test("plain typed argument: the descriptor's Arrow type, no markers", () => {
    const field = argumentField({ name: "x", type: sql.bigint });
    expect(field.name).toBe("x");
    expect(String(field.type)).toBe("Int64");
    expect(field.nullable).toBe(true);
    expect(meta(field)).toEqual({});
  });

  test("markers: const, varargs, named, ANY, doc, default, range, choices, pattern", () => {
    expect(meta(argumentField({ name: "c", type: sql.varchar, const: true }))).toEqual({
      vgi_const: "true",
    });
    expect(meta(argumentField({ name: "v", type: sql.double, varargs: true }))).toEqual({
      vgi_varargs: "true",
    });
    const any = argumentField({ name: "a", type: ANY, doc: "anything" });
    expect(any.type).toBeInstanceOf(Null);
    expect(meta(any)).toEqual({ vgi_type: "any", vgi_doc: "anything" });
    expect(isAny(ANY)).toBe(true);
    expect(isAny(sql.any)).toBe(true);
    expect(isAny(sql.bigint)).toBe(false);
    expect(
      meta(
        argumentField({
          name: "opt",
          type: sql.integer,
          named: true,
          default: 10n,
          range: "[0, 100]",
          choices: ["a", "b"],
          pattern: "^x",
        }),
      ),
    ).toEqual({
      vgi_arg: "named",
      vgi_default: "10",
      vgi_range: "[0, 100]",
      vgi_choices: '["a","b"]',
      vgi_pattern: "^x",
    });
  });

  test("extension metadata travels with the declared type (JSON, UUID)", () => {
    expect(meta(argumentField({ name: "j", type: sql.json }))).toMatchObject({
      "ARROW:extension:name": "arrow.json",
    });
    expect(meta(argumentField({ name: "u", type: sql.uuid }))).toMatchObject({
      "ARROW:extension:name": "arrow.uuid",
    });
  });

  test("schema order: positional in declaration order, then named alphabetically", () => {
    const schema = argumentsSchema([
      { name: "b_named", type: sql.integer, named: true },
      { name: "first", type: sql.varchar },
      { name: "a_named", type: sql.integer, named: true },
      { name: "second", type: sql.bigint, const: true },
    ]);
    expect(schema.fields.map((f) => f.name)).toEqual(["first", "second", "a_named", "b_named"]);
  });

  test.each<[string, ArgumentSpec[], RegExp]>([
    [
      "duplicate names (any case)",
      [
        { name: "x", type: sql.bigint },
        { name: "X", type: sql.bigint },
      ],
      /declared twice/,
    ],
    [
      "varargs not last",
      [
        { name: "v", type: sql.bigint, varargs: true },
        { name: "x", type: sql.bigint },
      ],
      /only the last argument may be varargs/,
    ],
    [
      "varargs constant",
      [{ name: "v", type: sql.bigint, varargs: true, const: true }],
      /cannot also be constant/,
    ],
  ])("rejects %s", (_name, specs, message) => {
    expect(() => argumentsSchema(specs)).toThrow(message);
  });

  test("a scalar function lists its arguments and result in FunctionInfo", () => {
    const fn = scalarFunction({
      name: "pad",
      arguments: [
        { name: "text", type: sql.varchar },
        { name: "width", type: sql.integer, const: true },
      ],
      returns: sql.varchar,
      row: (text, width) => text.padEnd(width),
    });
    const info = fn.describe(["main"]);
    expect(info.name).toBe("pad");
    expect(info.functionType).toBe("SCALAR");
    expect(info.schemaPath).toEqual(["main"]);
  });

  test("a scalar function needs exactly one of compute and row", () => {
    expect(() =>
      scalarFunction({ name: "none", arguments: [], returns: sql.bigint } as never),
    ).toThrow(/exactly one of compute or row/);
  });
});

describe("decodeBindCall", () => {
  test("constants, their types, column fields and argument names", () => {
    const call = bindCall({
      constants: [
        ["sep", new Utf8(), ", "],
        ["named_limit", new Int32(), 7],
      ],
      columns: [new Int64(), new Utf8()],
      argumentNames: [null, "sep"],
    });
    expect(call.positional).toEqual([", "]);
    expect(call.positionalTypes.map(String)).toEqual(["Utf8"]);
    expect([...call.named]).toEqual([["limit", 7]]);
    expect(call.inputFields.map(String)).toEqual(["col_0: Int64", "col_1: Utf8"]);
    expect(call.argumentNames).toEqual([null, "sep"]);
    expect(call.settings.size).toBe(0);
  });
});

describe("overload scoring", () => {
  const bigintX: ArgumentSpec[] = [{ name: "x", type: sql.bigint }];
  const doubleX: ArgumentSpec[] = [{ name: "x", type: sql.double }];
  const anyX: ArgumentSpec[] = [{ name: "x", type: ANY }];
  const decimalX: ArgumentSpec[] = [{ name: "x", type: sql.decimal(18, 3) }];

  test("exact type beats ANY; wrong type does not match", () => {
    const call = bindCall({ columns: [new Int64()] });
    expect(scoreSignature(bigintX, call)).toBe(2);
    expect(scoreSignature(anyX, call)).toBe(0);
    expect(scoreSignature(doubleX, call)).toBeNull();
    expect(scoreSignature(doubleX, bindCall({ columns: [new Float64()] }))).toBe(2);
  });

  test("same family with other parameters (decimal precision) still matches, lower", () => {
    const call = bindCall({ columns: [sql.decimal(10, 2).arrowType()] });
    expect(scoreSignature(decimalX, call)).toBe(1);
    expect(scoreSignature(decimalX, bindCall({ columns: [sql.decimal(18, 3).arrowType()] }))).toBe(
      2,
    );
  });

  test("arity: column count and constant count must fit", () => {
    expect(scoreSignature(bigintX, bindCall({ columns: [] }))).toBeNull();
    expect(scoreSignature(bigintX, bindCall({ columns: [new Int64(), new Int64()] }))).toBeNull();
    const withConst: ArgumentSpec[] = [
      { name: "x", type: sql.bigint },
      { name: "n", type: sql.integer, const: true },
    ];
    expect(scoreSignature(withConst, bindCall({ columns: [new Int64()] }))).toBeNull();
    expect(
      scoreSignature(
        withConst,
        bindCall({ columns: [new Int64()], constants: [["n", new Int32(), 3]] }),
      ),
    ).toBe(4);
    // A constant of the wrong type does not match.
    expect(
      scoreSignature(
        withConst,
        bindCall({ columns: [new Int64()], constants: [["n", new Utf8(), "3"]] }),
      ),
    ).toBeNull();
  });

  test("varargs take zero or more trailing columns of their type", () => {
    const specs: ArgumentSpec[] = [
      { name: "sep", type: sql.varchar },
      { name: "parts", type: sql.bigint, varargs: true },
    ];
    expect(scoreSignature(specs, bindCall({ columns: [new Utf8()] }))).toBe(2);
    expect(
      scoreSignature(specs, bindCall({ columns: [new Utf8(), new Int64(), new Int64()] })),
    ).toBe(6);
    expect(
      scoreSignature(specs, bindCall({ columns: [new Utf8(), new Int64(), new Utf8()] })),
    ).toBeNull();
    expect(scoreSignature(specs, bindCall({ columns: [] }))).toBeNull();
  });

  test("argument_names break ties between same-typed overloads", () => {
    const byName = (name: string): ArgumentSpec[] => [{ name, type: sql.bigint }];
    const call = bindCall({ columns: [new Int64()], argumentNames: ["Width"] });
    expect(scoreSignature(byName("width"), call)).toBe(3);
    expect(scoreSignature(byName("height"), call)).toBe(2);
    const chosen = pickOverload([byName("height"), byName("width")], (specs) =>
      scoreSignature(specs, call),
    );
    expect(chosen?.[0]?.name).toBe("width");
  });

  test("pickOverload: best score wins, first of equals, null when none fits", () => {
    const scores: Record<string, number | null> = { a: 1, b: 3, c: 3, d: null };
    expect(pickOverload(["a", "b", "c", "d"], (k) => scores[k]!)).toBe("b");
    expect(pickOverload(["d"], (k) => scores[k]!)).toBeNull();
    expect(pickOverload([], () => 1)).toBeNull();
    // A zero score (ANY) still counts as a match.
    expect(pickOverload(["z"], () => 0)).toBe("z");
  });

  test("a scalar function's matchScore is its signature's score", () => {
    const fn = scalarFunction({
      name: "twice",
      arguments: [{ name: "x", type: sql.bigint }],
      returns: sql.bigint,
      row: (x) => x * 2n,
    });
    expect(fn.matchScore(bindCall({ columns: [new Int64()] }))).toBe(2);
    expect(fn.matchScore(bindCall({ columns: [new Utf8()] }))).toBeNull();
  });
});
