import { Schema } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { encodeBatch, makeRecordBatch, sql } from "@vgi-ts/protocol";
import { decodeBindCall, secretForScope } from "../src/index.js";

const secretType = sql.struct({
  type: sql.varchar,
  name: sql.varchar,
  scope: sql.varchar,
  api_key: sql.varchar,
});

/** The secrets batch the extension sends: one STRUCT column per secret, named by the secret. */
function secretsBatch(secrets: Record<string, { scope: string; api_key: string }>): Uint8Array {
  const names = Object.keys(secrets);
  const schema = new Schema(names.map((name) => secretType.field(name, true)));
  return encodeBatch(
    makeRecordBatch(
      schema,
      1,
      names.map((name) => secretType.build([{ type: "svc", name, ...secrets[name]! }])),
    ),
  );
}

const bind = (secrets: Uint8Array | null) =>
  decodeBindCall({
    functionName: "f",
    arguments: encodeBatch(makeRecordBatch(new Schema([]), 1, [])),
    inputSchema: null,
    settings: null,
    secrets,
    argumentNames: null,
  });

describe("secrets at bind", () => {
  it("finds a named secret by its type too", () => {
    const call = bind(secretsBatch({ my_key: { scope: "", api_key: "k" } }));
    expect((call.secrets.get("my_key") as { api_key: string }).api_key).toBe("k");
    expect((call.secrets.get("svc") as { api_key: string }).api_key).toBe("k");
  });

  it("picks the longest matching scope; unscoped matches anything, last", () => {
    const call = bind(
      secretsBatch({
        anywhere: { scope: "", api_key: "any" },
        lake: { scope: "s3://lake/", api_key: "wide" },
        raw: { scope: "s3://other/\ns3://lake/raw/", api_key: "narrow" },
      }),
    );
    const key = (path: string) => secretForScope(call.secrets, "svc", path)?.api_key ?? null;
    expect(key("s3://lake/raw/x.parquet")).toBe("narrow");
    expect(key("s3://lake/curated/x.parquet")).toBe("wide");
    expect(key("s3://other/y")).toBe("narrow");
    expect(key("gs://z")).toBe("any");
    expect(secretForScope(call.secrets, "other_type", "s3://lake/")).toBeNull();
  });

  it("no secrets: empty map", () => {
    expect(bind(null).secrets.size).toBe(0);
  });
});
