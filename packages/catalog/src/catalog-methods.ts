/**
 * The catalog half of the VGI method surface, as plain functions from decoded params to
 * result values. The worker wraps them as RPC methods; keeping them free of transport
 * concerns lets the same code serve stdio, HTTP and in-process tests.
 */
import { randomBytes } from "node:crypto";
import {
  ErrorKind,
  ScanFunctionResultCodec,
  VgiError,
  type CatalogAttachRequest,
  type CatalogAttachResultInput,
  type CatalogCatalogsResultInput,
  type CatalogCopyFromFormatsParams,
  type CatalogCopyFromFormatsResultInput,
  type CatalogSchemaContentsFunctionsParams,
  type CatalogSchemaContentsFunctionsResultInput,
  type CatalogSchemaGetParams,
  type CatalogSchemaGetResultInput,
  type CatalogSchemasParams,
  type CatalogSchemasResultInput,
  type CatalogVersionParams,
  type CatalogVersionResultInput,
  type CatalogSchemaContentsTablesParams,
  type CatalogSchemaContentsMacrosParams,
  type CatalogTableGetParams,
  type CatalogTableScanFunctionGetParams,
  type CatalogTableUpdateFunctionGetParams,
  type CatalogTransactionBeginParams,
  type CatalogTransactionBeginResultInput,
  type CatalogTableColumnStatisticsGetParams,
  type CatalogViewGetParams,
  type CatalogMacroGetParams,
  type CatalogIndexGetParams,
  type ScanFunctionResultInput,
  type ScanBranchesResultInput,
} from "@vgi-ts/protocol";
import { atClause } from "./time-travel.js";
import { decodeAttachToken } from "./attach-token.js";
import type { WriteOperation } from "./catalog-table.js";
import type { CatalogRegistry } from "./catalog-registry.js";

const NO_ITEMS = { items: [] } as const;

/** A listing of encoded items (or objects the codec encodes). */
interface Listing {
  readonly items: readonly (Uint8Array | object)[];
}

export interface CatalogMethods {
  catalogCatalogs(): CatalogCatalogsResultInput;
  catalogAttach(request: CatalogAttachRequest): CatalogAttachResultInput;
  catalogVersion(params: CatalogVersionParams): CatalogVersionResultInput;
  catalogSchemas(params: CatalogSchemasParams): CatalogSchemasResultInput;
  catalogSchemaGet(params: CatalogSchemaGetParams): CatalogSchemaGetResultInput;
  catalogSchemaContentsFunctions(
    params: CatalogSchemaContentsFunctionsParams,
  ): CatalogSchemaContentsFunctionsResultInput;
  catalogSchemaContentsTables(params: CatalogSchemaContentsTablesParams): Listing;
  catalogSchemaContentsViews(params: CatalogSchemaContentsTablesParams): Listing;
  catalogSchemaContentsMacros(params: CatalogSchemaContentsMacrosParams): Listing;
  catalogSchemaContentsIndexes(params: CatalogSchemaContentsTablesParams): Listing;
  /** Zero items means "no such table" (DuckDB then looks elsewhere or reports it). */
  catalogTableGet(params: CatalogTableGetParams): Listing;
  catalogTableScanFunctionGet(params: CatalogTableScanFunctionGetParams): ScanFunctionResultInput;
  catalogTableScanBranchesGet(params: CatalogTableScanFunctionGetParams): ScanBranchesResultInput;
  catalogTableColumnStatisticsGet(params: CatalogTableColumnStatisticsGetParams): Uint8Array | null;
  catalogViewGet(params: CatalogViewGetParams): Listing;
  catalogMacroGet(params: CatalogMacroGetParams): Listing;
  catalogIndexGet(params: CatalogIndexGetParams): Listing;
  catalogCopyFromFormats(params: CatalogCopyFromFormatsParams): CatalogCopyFromFormatsResultInput;
  /** The write function of a table (IPC of a ScanFunctionResult); refused when not allowed. */
  catalogTableWriteFunctionGet(
    operation: WriteOperation,
    params: CatalogTableUpdateFunctionGetParams,
  ): Uint8Array;
  /** A new transaction id; only for catalogs that declare transactions. */
  catalogTransactionBegin(
    params: CatalogTransactionBeginParams,
  ): CatalogTransactionBeginResultInput;
  /** DDL on a declared catalog: refused, with the reference's "catalog is read-only" wording. */
  catalogReadOnly(operation: string): (params: ReadOnlyParams) => never;
  /** Listings of object kinds a catalog does not hold yet: always empty. */
  catalogEmptyListing(params: { attachOpaqueData: Uint8Array }): { items: readonly Uint8Array[] };
}

/** DDL params: the attachment at the top level, or inside a `request` (CREATE TABLE, ...). */
type ReadOnlyParams = {
  readonly attachOpaqueData?: Uint8Array | null;
  readonly request?: { readonly attachOpaqueData?: Uint8Array | null };
};

export function createCatalogMethods(registry: CatalogRegistry): CatalogMethods {
  return {
    catalogCatalogs: () => ({ items: registry.catalogs.map((catalog) => catalog.info()) }),

    catalogAttach(request) {
      const catalog = registry.get(request.name);
      // Each spec resolves to one served version (or the ATTACH fails naming the option);
      // the token carries the result, so every later call sees the same catalog.
      const versions = catalog.resolveVersions(
        request.dataVersionSpec,
        request.implementationVersion,
      );
      // Checked now (a required option missing fails the ATTACH) and carried in the
      // token, as sent, so every later call in any process reads the same typed values.
      const optionsIpc = request.options ?? undefined;
      const options = catalog.attachOptionValues({ optionsIpc });
      const id = catalog.asOf(versions).isolatesAttachments
        ? { id: randomBytes(16).toString("hex") }
        : {};
      return {
        attachOpaqueData: registry.issueToken({
          catalog: catalog.name,
          ...id,
          ...(optionsIpc === undefined || optionsIpc.byteLength === 0 ? {} : { optionsIpc }),
          ...(versions.dataVersion === null ? {} : { dataVersion: versions.dataVersion }),
          ...(versions.implementationVersion === null
            ? {}
            : { implementationVersion: versions.implementationVersion }),
        }),
        ...catalog.asOf(versions).attachResult(versions, options),
      };
    },

    catalogVersion(params) {
      // Only the number: a live catalog's new listing is built when DuckDB asks for it.
      const state = decodeAttachToken(params.attachOpaqueData);
      return { version: registry.get(state.catalog).currentVersion() };
    },

    catalogSchemas(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.schemaItems() };
    },

    catalogSchemaGet(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.schemaItem(params.path) };
    },

    catalogSchemaContentsFunctions(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      return { items: catalog.functionItems(params.path, params.type) };
    },

    catalogSchemaContentsTables(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.tableItems(params.path) };
    },

    catalogSchemaContentsViews(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.viewItems(params.path) };
    },

    catalogSchemaContentsMacros(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      return { items: catalog.macroItems(params.path, params.type) };
    },

    catalogSchemaContentsIndexes(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.indexItems(params.path) };
    },

    catalogTableGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const table = catalog.findTable(params.schemaPath, params.name);
      if (table === undefined) return NO_ITEMS;
      return { items: [table.info(catalog.tableContext(params.schemaPath), atClause(params))] };
    },

    catalogTableScanFunctionGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const table = catalog.requireTable(params.schemaPath, params.name);
      return table.scanFunction(catalog.tableContext(params.schemaPath), atClause(params));
    },

    catalogTableScanBranchesGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const table = catalog.requireTable(params.schemaPath, params.name);
      return table.scanBranches(catalog.tableContext(params.schemaPath), atClause(params));
    },

    catalogTableColumnStatisticsGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      return catalog.findTable(params.schemaPath, params.name)?.columnStatistics() ?? null;
    },

    catalogViewGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const view = catalog.findView(params.schemaPath, params.name);
      return view === undefined ? NO_ITEMS : { items: [view] };
    },

    catalogMacroGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const macro = catalog.findMacro(params.schemaPath, params.name);
      return macro === undefined ? NO_ITEMS : { items: [macro] };
    },

    catalogIndexGet(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const index = catalog.findIndex(params.schemaPath, params.name);
      return index === undefined ? NO_ITEMS : { items: [index] };
    },

    catalogCopyFromFormats(params) {
      return { items: registry.resolve(params.attachOpaqueData).catalog.copyFormatItems() };
    },

    catalogTableWriteFunctionGet(operation, params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      const table = catalog.requireTable(params.schemaPath, params.name);
      const found = table.writeFunction?.(operation, catalog.tableContext(params.schemaPath));
      if (found === undefined || found === null) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `Table '${table.name}' does not support ${operation.toUpperCase()}`,
        );
      }
      return ScanFunctionResultCodec.toIpc(found);
    },

    catalogTransactionBegin(params) {
      const { catalog } = registry.resolve(params.attachOpaqueData);
      if (catalog.definition.supportsTransactions !== true) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `Catalog '${catalog.name}' does not declare transactions`,
        );
      }
      return { transactionOpaqueData: new Uint8Array(randomBytes(16)) };
    },

    catalogReadOnly(operation) {
      return (params) => {
        // CREATE/DROP CATALOG name no attachment: nothing to resolve.
        const token = params.attachOpaqueData ?? params.request?.attachOpaqueData ?? null;
        const where = token === null ? "" : ` in '${registry.resolve(token).catalog.name}'`;
        throw new VgiError(ErrorKind.ReadOnly, `Cannot ${operation}${where}: catalog is read-only`);
      };
    },

    catalogEmptyListing(params) {
      registry.resolve(params.attachOpaqueData);
      return NO_ITEMS;
    },
  };
}
