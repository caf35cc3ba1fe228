/**
 * One catalog attached through the catalog methods, as the extension would attach it,
 * with the table calls the tests read back: the schema's table listing and a table
 * looked up by name (both decoded).
 */
import { TableInfoCodec, type TableInfo } from "@vgi-ts/protocol";
import { CatalogRegistry, createCatalogMethods, type Catalog } from "../src/index.js";

export function attachCatalog(catalog: Catalog, options: Uint8Array | null = null) {
  const methods = createCatalogMethods(new CatalogRegistry([catalog]));
  const result = methods.catalogAttach({
    name: catalog.name,
    options,
    dataVersionSpec: null,
    implementationVersion: null,
    clientCapabilities: null,
  });
  const token = result.attachOpaqueData;
  const scope = { attachOpaqueData: token, transactionOpaqueData: null };
  /** The names `catalog_schema_contents_tables` lists for schema `main`. */
  const tableNames = (): string[] =>
    methods
      .catalogSchemaContentsTables({ ...scope, path: ["main"] })
      .items.map((item) => decodeTable(item).name);
  /** `catalog_table_get` of `main.<name>`: the table, or null for zero items. */
  const getTable = (name: string): TableInfo | null => {
    const [item] = methods.catalogTableGet({
      ...scope,
      schemaPath: ["main"],
      name,
      atUnit: null,
      atValue: null,
    }).items;
    return item === undefined ? null : decodeTable(item);
  };
  return { methods, result, token, scope, tableNames, getTable };
}

/** A listed table, whether the listing holds encoded bytes or the values to encode. */
function decodeTable(item: Uint8Array | object): TableInfo {
  return TableInfoCodec.fromIpc(
    item instanceof Uint8Array ? item : TableInfoCodec.toIpc(item as never),
  );
}
