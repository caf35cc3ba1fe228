import { describe, expect, it } from "vitest";
import { ErrorKind, VgiError, decodeSchema, sql } from "@vgi-ts/protocol";
import { defineCatalog } from "@vgi-ts/catalog";
import { CopyFromFormatInfoCodec } from "@vgi-ts/protocol";
import {
  copyFromFormat,
  copyToFormat,
  optionsSchema,
  resolveOptions,
  type CopyOption,
} from "../src/index.js";

const options: readonly CopyOption[] = [
  { name: "token", type: sql.varchar, doc: "needed" },
  { name: "sep", type: sql.varchar, default: "," },
  { name: "verbose", type: sql.boolean, default: false },
  { name: "mode", type: sql.varchar, default: "a", choices: ["a", "b"] },
];

function rejection(body: () => unknown): VgiError {
  try {
    body();
  } catch (error) {
    if (error instanceof VgiError) return error;
    throw error;
  }
  throw new Error("expected a VgiError");
}

describe("resolveOptions", () => {
  it("keeps given values and the defaults of the others", () => {
    expect(
      resolveOptions("f", options, { token: "x", sep: "|", verbose: false, mode: "b" }),
    ).toEqual({ token: "x", sep: "|", verbose: false, mode: "b" });
  });

  it("treats a NULL optional BOOLEAN as a bare flag", () => {
    expect(resolveOptions("f", options, { token: "x", verbose: null }).verbose).toBe(true);
  });

  it("names a missing required option", () => {
    const error = rejection(() => resolveOptions("f", options, { sep: ";" }));
    expect(error.kind).toBe(ErrorKind.InvalidArgument);
    expect(error.message).toContain("option 'token' is required");
  });

  it("names the allowed choices", () => {
    const error = rejection(() => resolveOptions("f", options, { token: "x", mode: "c" }));
    expect(error.kind).toBe(ErrorKind.InvalidArgument);
    expect(error.message).toContain("'a', 'b'");
    expect(error.message).toContain("got 'c'");
  });
});

describe("COPY format listing", () => {
  const writer = copyToFormat({
    name: "w_handler",
    format: "fmt_out",
    formatComment: "writes",
    tags: { k: "v" },
    ordered: true,
    options,
    write: () => undefined,
    close: () => 0,
  });
  const reader = copyFromFormat({
    name: "r_handler",
    format: "fmt_in",
    options: [{ name: "token", type: sql.varchar }],
    read: () => null,
  });

  it("advertises options as a schema with docs, named options sorted", () => {
    const schema = optionsSchema(options);
    expect(schema.fields.map((f) => f.name)).toEqual(["mode", "sep", "token", "verbose"]);
    expect(schema.fields.find((f) => f.name === "token")!.metadata.get("vgi_doc")).toBe("needed");
  });

  it("lists one row per direction and format, deduplicated", () => {
    const catalog = defineCatalog({
      name: "c",
      schemas: [
        { path: "main", functions: [writer, reader] },
        { path: "other", functions: [writer] },
      ],
    });
    const rows = catalog.copyFormatItems().map((item) => CopyFromFormatInfoCodec.fromIpc(item));
    expect(rows.map((r) => [r.formatName, r.direction, r.handler, r.ordered])).toEqual([
      ["fmt_out", "to", "w_handler", true],
      ["fmt_in", "from", "r_handler", false],
    ]);
    expect(rows[0]!.comment).toBe("writes");
    expect(rows[0]!.tags).toEqual({ k: "v" });
    const listed = decodeSchema(rows[1]!.options, "options");
    expect(listed.fields.map((f) => f.name)).toEqual(["token"]);
  });

  it("lists the handlers as functions of their kinds", () => {
    expect(writer.functionType).toBe("TABLE_BUFFERING");
    expect(reader.describe(["main"]).functionType).toBe("TABLE");
  });
});
