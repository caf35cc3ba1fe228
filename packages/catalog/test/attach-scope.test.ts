import { describe, expect, test } from "vitest";
import {
  CatalogRegistry,
  createCatalogMethods,
  decodeAttachToken,
  defineCatalog,
  encodeAttachToken,
} from "../src/index.js";

function attach(methods: ReturnType<typeof createCatalogMethods>, name: string) {
  return methods.catalogAttach({
    name,
    options: null,
    dataVersionSpec: null,
    implementationVersion: null,
  } as Parameters<typeof methods.catalogAttach>[0]);
}

describe("attach-scoped catalogs", () => {
  const registry = new CatalogRegistry([
    defineCatalog({
      name: "scoped",
      attachScoped: true,
      dataVersions: { spec: "2.0.0", supported: ["2.0.0"], default: "2.0.0" },
      schemas: [],
    }),
    defineCatalog({ name: "plain", schemas: [] }),
  ]);
  const methods = createCatalogMethods(registry);

  test("every ATTACH gets its own id, carried in the token and required", () => {
    const first = attach(methods, "scoped");
    const second = attach(methods, "scoped");
    const a = decodeAttachToken(first.attachOpaqueData).id;
    const b = decodeAttachToken(second.attachOpaqueData).id;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(first.attachOpaqueDataRequired).toBe(true);
    expect(first.resolvedDataVersion).toBe("2.0.0");
  });

  test("other catalogs get no id", () => {
    const plain = attach(methods, "plain");
    expect(decodeAttachToken(plain.attachOpaqueData).id).toBeUndefined();
    expect(plain.attachOpaqueDataRequired).toBe(false);
  });

  test("the id survives a token round trip; a foreign type is ignored", () => {
    const token = encodeAttachToken({ catalog: "scoped", id: "abc" });
    expect(decodeAttachToken(token)).toEqual({ catalog: "scoped", options: {}, id: "abc" });
    const forged = new TextEncoder().encode(
      JSON.stringify({ m: "vgi-ts.attach.v1", c: "scoped", o: {}, i: 42 }),
    );
    expect(decodeAttachToken(forged).id).toBeUndefined();
  });
});
