/**
 * The catalogs one worker serves (the reference calls this a meta worker): DuckDB
 * names the catalog at ATTACH, and every later call carries the attach token that
 * routes it back here.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import { decodeAttachToken, encodeAttachToken, type AttachState } from "./attach-token.js";
import type { Catalog } from "./catalog.js";

export class CatalogRegistry {
  private readonly byName = new Map<string, Catalog>();

  constructor(catalogs: readonly Catalog[]) {
    for (const catalog of catalogs) {
      const key = catalog.name.toLowerCase();
      if (this.byName.has(key)) throw new Error(`two catalogs are named ${catalog.name}`);
      this.byName.set(key, catalog);
    }
  }

  get catalogs(): readonly Catalog[] {
    return [...this.byName.values()];
  }

  get(name: string): Catalog {
    const catalog = this.byName.get(name.toLowerCase());
    if (catalog === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `This worker serves no catalog named '${name}'. Available: [${this.catalogs.map((c) => c.name).join(", ")}]`,
      );
    }
    return catalog;
  }

  issueToken(state: AttachState): Uint8Array {
    return encodeAttachToken(state);
  }

  /** The catalog an attach token names, as of the versions its ATTACH resolved to. */
  resolve(token: Uint8Array | null | undefined): { catalog: Catalog; state: AttachState } {
    const state = decodeAttachToken(token);
    const catalog = this.get(state.catalog).asOf({
      dataVersion: state.dataVersion ?? null,
      implementationVersion: state.implementationVersion ?? null,
    });
    return { catalog, state };
  }
}
