import { describe, expect, it } from "vitest";
import { MemoryStorage, attachScope, attachScopeId } from "../src/index.js";

describe("attachScope", () => {
  it("separates attachments and keys, and clears one key only", async () => {
    const storage = new MemoryStorage();
    const one = attachScope(storage, "attach-1");
    const two = attachScope(storage, "attach-2");
    await one.storage("k").append("log", new Uint8Array([1]));
    await one.storage("other").append("log", new Uint8Array([2]));
    await two.storage("k").append("log", new Uint8Array([3]));
    const bytes = async (scope: typeof one, key: string) =>
      (await scope.storage(key).read("log")).map((entry) => entry.data[0]);
    expect(await bytes(one, "k")).toEqual([1]);
    expect(await bytes(two, "k")).toEqual([3]);
    await one.storage("k").clear();
    expect(await bytes(one, "k")).toEqual([]);
    expect(await bytes(one, "other")).toEqual([2]);
    expect(await bytes(two, "k")).toEqual([3]);
  });

  it("derives 16-byte ids that depend on both parts", () => {
    const id = attachScopeId("a", "bc");
    expect(id.byteLength).toBe(16);
    expect(Buffer.from(id)).toEqual(Buffer.from(attachScopeId("a", "bc")));
    expect(Buffer.from(id)).not.toEqual(Buffer.from(attachScopeId("ab", "c")));
  });
});
