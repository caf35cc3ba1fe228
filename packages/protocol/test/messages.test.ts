import { describe, expect, test } from "vitest";
import {
  Field,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import * as messages from "../src/messages/index.js";
import {
  METHODS,
  METHOD_NAMES,
  MalformedRequestError,
  TypeMismatchError,
  decodeStream,
  encodeStream,
  getMethod,
  type MessageCodec,
} from "../src/index.js";
import { sampleMessage } from "../src/codec/test-samples.js";

type AnyCodec = MessageCodec<unknown, unknown>;

/** Variants exercise null vs non-null fields, list lengths 0/1/2, every enum member slot. */
const VARIANTS = [0, 1, 2, 3, 5];

/** Encode to a batch, through real IPC bytes, decode the one row. */
function viaBatch(codec: AnyCodec, value: unknown): unknown {
  const batch = codec.encode(value);
  expect(batch.numRows).toBe(1);
  const { batches } = decodeStream(encodeStream(batch.schema, [batch]));
  return codec.decodeRow(batches[0]!, 0);
}

function isCodec(value: unknown): value is AnyCodec {
  const v = value as Partial<AnyCodec> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.name === "string" &&
    typeof v.toIpc === "function" &&
    typeof v.fromIpc === "function" &&
    v.schema instanceof Schema
  );
}

const EXPORTED_CODECS = Object.entries(messages)
  .filter(([, value]) => isCodec(value))
  .map(([name, value]) => [name, value as AnyCodec] as const);

describe("method table", () => {
  test("VGI 2.0.0 defines the expected method set", () => {
    expect(METHOD_NAMES.length).toBeGreaterThanOrEqual(70);
    for (const name of ["bind", "init", "catalog_attach", "catalog_catalogs", "catalog_schemas"]) {
      expect(METHOD_NAMES).toContain(name);
    }
    expect(METHODS.init.kind).toBe("stream");
    expect(METHOD_NAMES.filter((name) => METHODS[name].kind === "stream")).toEqual(["init"]);
  });

  test("getMethod finds wire names only (no prototype keys)", () => {
    expect(getMethod("bind")).toBe(METHODS.bind);
    expect(getMethod("nope")).toBeUndefined();
    expect(getMethod("toString")).toBeUndefined();
    expect(getMethod("__proto__")).toBeUndefined();
  });

  test("unary responses are `result: binary` or empty, per return kind", () => {
    for (const name of METHOD_NAMES) {
      const spec = METHODS[name];
      if (spec.kind !== "unary") continue;
      const fields = spec.result.schema.fields;
      if (spec.returns.type === "void") expect(fields, name).toHaveLength(0);
      else {
        expect(
          fields.map((f) => f.name),
          name,
        ).toEqual(["result"]);
        expect(String(fields[0]!.type), name).toBe("Binary");
        expect(fields[0]!.nullable, name).toBe(
          spec.returns.type === "bytes" && spec.returns.nullable,
        );
      }
    }
  });
});

describe.each(METHOD_NAMES.map((name) => [name] as const))("method %s", (name) => {
  const spec = METHODS[name];

  test("params round-trip through IPC for every sample variant", () => {
    for (const variant of VARIANTS) {
      const value = sampleMessage(spec.params as AnyCodec, variant);
      expect(viaBatch(spec.params as AnyCodec, value)).toEqual(value);
    }
  });

  test(spec.kind === "unary" ? "result round-trips" : "header round-trips", () => {
    const codec = (spec.kind === "unary" ? spec.result : spec.header) as AnyCodec;
    for (const variant of VARIANTS) {
      const value = sampleMessage(codec, variant);
      expect(viaBatch(codec, value)).toEqual(value);
      expect(codec.fromIpc(codec.toIpc(value))).toEqual(value);
    }
  });

  if (spec.kind === "unary" && spec.returns.type === "message") {
    test("the returned message round-trips inside `result`", () => {
      const message = (spec.returns as { message: AnyCodec }).message;
      const inner = sampleMessage(message, 1);
      const outer = viaBatch(spec.result as AnyCodec, { result: inner }) as { result: unknown };
      expect(outer.result).toEqual(inner);
      // Already-encoded bytes pass through as the same message.
      const fromBytes = viaBatch(spec.result as AnyCodec, { result: message.toIpc(inner) });
      expect((fromBytes as { result: unknown }).result).toEqual(inner);
    });
  }
});

describe.each(EXPORTED_CODECS)("message %s", (_name, codec) => {
  test("toIpc → fromIpc for every variant", () => {
    for (const variant of VARIANTS) {
      const value = sampleMessage(codec, variant);
      expect(codec.fromIpc(codec.toIpc(value))).toEqual(value);
    }
  });

  test("toIpcMany equals toIpc one by one; multi-row encode/decode", () => {
    const values = VARIANTS.map((variant) => sampleMessage(codec, variant));
    const many = codec.toIpcMany(values);
    expect(many).toHaveLength(values.length);
    expect(many.map((bytes) => codec.fromIpc(bytes))).toEqual(values);
    expect(codec.decode(codec.encode(values))).toEqual(values);
  });

  test("toIpcMany streams read the same with arrow-js's own reader", () => {
    // toIpcMany writes each row's batch by hand (row-batch.ts); an independent reader
    // must read back exactly that row's value.
    const values = VARIANTS.map((variant) => sampleMessage(codec, variant));
    const many = codec.toIpcMany(values);
    many.forEach((bytes, r) => {
      const batches = [...RecordBatchReader.from(bytes)] as RecordBatch[];
      expect(batches.map((b) => b.numRows)).toEqual([1]);
      expect(codec.decode(batches[0]!)).toEqual([values[r]]);
    });
  });
});

describe("codec failures are typed", () => {
  const codec = messages.BindRequestCodec;
  const sample = sampleMessage(codec, 0);

  test("encoding a wrong JS type is a TypeMismatchError naming the field", () => {
    const bad = { ...sample, functionName: 42 } as unknown as typeof sample;
    expect(() => codec.encode(bad)).toThrow(TypeMismatchError);
    expect(() => codec.encode(bad)).toThrow(/BindRequest: field 'function_name'/);
  });

  test("encoding null into a non-null field is a TypeMismatchError", () => {
    const bad = { ...sample, arguments: null } as unknown as typeof sample;
    expect(() => codec.encode(bad)).toThrow(/expected non-null/);
  });

  test("an unknown enum member is a TypeMismatchError", () => {
    const bad = { ...sample, functionType: "WINDOW" } as unknown as typeof sample;
    expect(() => codec.encode(bad)).toThrow(TypeMismatchError);
  });

  test("a batch missing a required field decodes to MalformedRequestError", () => {
    const schema = new Schema([new Field("function_name", new Utf8(), false)]);
    const data = makeData({
      type: new Struct(schema.fields),
      length: 1,
      children: [vectorFromArray(["f"], new Utf8()).data[0]!],
    });
    const batch = new RecordBatch(schema, data);
    expect(() => codec.decodeRow(batch, 0)).toThrow(MalformedRequestError);
    expect(() => codec.decodeRow(batch, 0)).toThrow(/required field is missing/);
  });

  test("a field of the wrong Arrow type decodes to MalformedRequestError", () => {
    const good = codec.encode(sample);
    const fields = good.schema.fields.map((f) =>
      f.name === "arguments" ? new Field("arguments", new Utf8(), false) : f,
    );
    const schema = new Schema(fields);
    const children = good.schema.fields.map((f, i) =>
      f.name === "arguments"
        ? vectorFromArray(["not bytes"], new Utf8()).data[0]!
        : good.getChildAt(i)!.data[0]!,
    );
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(fields), length: 1, children }),
    );
    expect(() => codec.decodeRow(batch, 0)).toThrow(/field 'arguments': wrong type/);
  });

  test("extra incoming fields are ignored (forward compatibility)", () => {
    const good = codec.encode(sample);
    const extra = new Field("added_in_2_1", new Utf8(), true);
    const schema = new Schema([...good.schema.fields, extra]);
    const children = [
      ...good.schema.fields.map((_, i) => good.getChildAt(i)!.data[0]!),
      vectorFromArray(["future"], new Utf8()).data[0]!,
    ];
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 1, children }),
    );
    expect(codec.decodeRow(batch, 0)).toEqual(sample);
  });

  test("fromIpc of garbage, of zero rows and of two rows is MalformedRequestError", () => {
    expect(() => codec.fromIpc(new Uint8Array([1, 2, 3]))).toThrow(MalformedRequestError);
    const empty = encodeStream(codec.schema, []);
    expect(() => codec.fromIpc(empty)).toThrow(/expected exactly one row, got 0/);
    const two = encodeStream(codec.schema, [codec.encode([sample, sample])]);
    expect(() => codec.fromIpc(two)).toThrow(/expected exactly one row, got 2/);
  });

  test("decodeRow out of range is MalformedRequestError", () => {
    expect(() => codec.decodeRow(codec.encode(sample), 1)).toThrow(/row 1 out of range/);
  });

  test("a nested request whose bytes are not IPC is MalformedRequestError", () => {
    const params = messages.BindParamsCodec.encode({ request: new Uint8Array([9, 9, 9, 9]) });
    expect(() => messages.BindParamsCodec.decodeRow(params, 0)).toThrow(MalformedRequestError);
  });
});

describe("large binary results are not copied", () => {
  test("a unary result's one binary value is the column's data itself, and reads back", () => {
    const spec = METHODS.catalog_schema_contents_tables;
    const tables = [0, 1, 2].map((variant) => sampleMessage(messages.TableInfoCodec, variant));
    const items = messages.TableInfoCodec.toIpcMany(tables);
    const listing = messages.CatalogSchemaContentsTablesResultCodec.toIpc({ items });
    const batch = spec.result.encode({ result: listing });
    const data = batch.getChildAt(0)!.data[0]!;
    expect(data.values.buffer).toBe(listing.buffer);
    const back = decodeStream(encodeStream(spec.result.schema, [batch]), "test").batches[0]!;
    const { result } = spec.result.decodeRow(back, 0) as { result: { items: unknown[] } };
    expect(result.items).toEqual(tables);
  });
});
