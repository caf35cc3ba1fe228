import { describe, expect, it } from "vitest";
import {
  decodeSchema,
  decodeSingleBatch,
  encodeBatch,
  makeRecordBatch,
  sql,
  sqlTypeFromArrow,
  type AnySqlType,
} from "@vgi-ts/protocol";
import { Schema } from "apache-arrow";
import {
  CatalogRegistry,
  createCatalogMethods,
  defineCatalog,
  encodeAttachOptionSpec,
  encodeSecretTypeSpec,
  encodeSettingSpec,
  redactAttachOptions,
  type AttachOptionDefinition,
} from "../src/index.js";

const OPTIONS: AttachOptionDefinition[] = [
  { name: "api_key", type: sql.varchar, required: true, secret: true },
  { name: "retries", type: sql.integer, description: "How often", default: 3 },
  { name: "tags", type: sql.list(sql.bigint), default: [1n, 2n] },
];

/** The options batch the extension sends: one row, one column per option written. */
function sentOptions(values: Record<string, [AnySqlType, unknown]>): Uint8Array {
  const entries = Object.entries(values);
  const schema = new Schema(entries.map(([name, [type]]) => type.field(name, true)));
  return encodeBatch(
    makeRecordBatch(
      schema,
      1,
      entries.map(([, [type, value]]) => type.build([value])),
    ),
  );
}

describe("catalog options", () => {
  it("encodes an ATTACH option spec as the reference's one-row batch", () => {
    const batch = decodeSingleBatch(encodeAttachOptionSpec(OPTIONS[1]!));
    expect(batch.schema.fields.map((f) => f.name)).toEqual([
      "name",
      "description",
      "type",
      "default_value",
      "required",
    ]);
    const row = batch.get(0)!.toJSON() as Record<string, unknown>;
    expect(row.name).toBe("retries");
    expect(row.description).toBe("How often");
    expect(row.required).toBe(false);
    const type = decodeSchema(row.type as Uint8Array).fields[0]!;
    expect(type.name).toBe("value");
    expect(sqlTypeFromArrow(type.type, type.metadata).sqlName).toBe("INTEGER");
    const defaults = decodeSingleBatch(row.default_value as Uint8Array);
    expect(defaults.getChild("value")!.get(0)).toBe(3);
  });

  it("marks a required option and gives it no default; refuses both at once", () => {
    const row = decodeSingleBatch(encodeAttachOptionSpec(OPTIONS[0]!)).get(0)!.toJSON();
    expect(row.required).toBe(true);
    expect(row.default_value).toBeNull();
    expect(() =>
      encodeAttachOptionSpec({ name: "x", type: sql.integer, required: true, default: 1 }),
    ).toThrow(/required but has a default/);
  });

  it("settings carry no required column; secret types mark redacted parameters", () => {
    const setting = decodeSingleBatch(
      encodeSettingSpec({ name: "multiplier", type: sql.bigint, default: 1n }),
    );
    expect(setting.schema.fields.map((f) => f.name)).not.toContain("required");
    const secret = decodeSingleBatch(
      encodeSecretTypeSpec({
        name: "svc",
        parameters: [
          { name: "password", type: sql.varchar, redact: true },
          { name: "port", type: sql.integer },
        ],
      }),
    )
      .get(0)!
      .toJSON();
    const params = decodeSchema(secret.parameters_schema as Uint8Array);
    expect(params.fields.map((f) => [f.name, f.metadata.get("redact") ?? null])).toEqual([
      ["password", "true"],
      ["port", null],
    ]);
  });

  it("fails an ATTACH without a required option; carries typed values in the token", () => {
    const catalog = defineCatalog({ name: "gated", attachOptions: OPTIONS, schemas: [] });
    const registry = new CatalogRegistry([catalog]);
    const methods = createCatalogMethods(registry);
    const attach = (options: Uint8Array | null) =>
      methods.catalogAttach({
        name: "gated",
        options,
        dataVersionSpec: null,
        implementationVersion: null,
        clientCapabilities: null,
      });
    expect(() => attach(null)).toThrow(/without the required option 'api_key'/);
    expect(() => attach(sentOptions({ retries: [sql.integer, 5] }))).toThrow(/'api_key'/);
    const result = attach(
      sentOptions({ API_KEY: [sql.varchar, "s3cret"], retries: [sql.integer, 5] }),
    );
    const { catalog: resolved, state } = registry.resolve(result.attachOpaqueData);
    const values = resolved.attachOptionValues(state);
    expect([...values]).toEqual([
      ["api_key", "s3cret"],
      ["retries", 5],
      ["tags", [1n, 2n]],
    ]);
    expect(redactAttachOptions(OPTIONS, values)).toEqual({
      api_key: "***",
      retries: "5",
      tags: '["1","2"]',
    });
  });

  it("lists declared options before ATTACH", () => {
    const catalog = defineCatalog({ name: "gated", attachOptions: OPTIONS, schemas: [] });
    expect(catalog.info().attachOptionSpecs).toHaveLength(3);
  });
});
