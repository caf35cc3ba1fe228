/**
 * The catalog half of the VGI method surface, as plain functions from decoded params to
 * result values. The worker wraps them as RPC methods; keeping them free of transport
 * concerns lets the same code serve stdio, HTTP and in-process tests.
 */
import {
  ErrorKind,
  VgiError,
  type CatalogAttachRequest,
  type CatalogAttachResultInput,
  type CatalogCatalogsResultInput,
  type CatalogSchemaContentsFunctionsParams,
  type CatalogSchemaContentsFunctionsResultInput,
  type CatalogSchemaGetParams,
  type CatalogSchemaGetResultInput,
  type CatalogSchemasParams,
  type CatalogSchemasResultInput,
  type CatalogVersionParams,
  type CatalogVersionResultInput,
} from "@vgi-ts/protocol";
import type { CatalogRegistry } from "./catalog-registry.js";

const NO_ITEMS = { items: [] } as const;

export interface CatalogMethods {
  catalogCatalogs(): CatalogCatalogsResultInput;
  catalogAttach(request: CatalogAttachRequest): CatalogAttachResultInput;
  catalogVersion(params: CatalogVersionParams): CatalogVersionResultInput;
  catalogSchemas(params: CatalogSchemasParams): CatalogSchemasResultInput;
  catalogSchemaGet(params: CatalogSchemaGetParams): CatalogSchemaGetResultInput;
  catalogSchemaContentsFunctions(
    params: CatalogSchemaContentsFunctionsParams,
  ): CatalogSchemaContentsFunctionsResultInput;
  /** Listings of object kinds a catalog does not hold yet: always empty. */
  catalogEmptyListing(params: { attachOpaqueData: Uint8Array }): { items: readonly Uint8Array[] };
}

export function createCatalogMethods(registry: CatalogRegistry): CatalogMethods {
  return {
    catalogCatalogs: () => ({ items: registry.catalogs.map((catalog) => catalog.info()) }),

    catalogAttach(request) {
      if (request.dataVersionSpec !== null || request.implementationVersion !== null) {
        // Versioned catalogs come later; refusing is better than silently ignoring a pin.
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `Catalog '${request.name}' has no data or implementation versions to pin`,
        );
      }
      const catalog = registry.get(request.name);
      // Checked now (a required option missing fails the ATTACH) and carried in the
      // token, as sent, so every later call in any process reads the same typed values.
      const optionsIpc = request.options ?? undefined;
      catalog.attachOptionValues({ optionsIpc });
      return {
        attachOpaqueData: registry.issueToken(
          optionsIpc === undefined || optionsIpc.byteLength === 0
            ? { catalog: catalog.name }
            : { catalog: catalog.name, optionsIpc },
        ),
        ...catalog.attachResult(),
      };
    },

    catalogVersion(params) {
      registry.resolve(params.attachOpaqueData);
      return { version: 1n };
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

    catalogEmptyListing(params) {
      registry.resolve(params.attachOpaqueData);
      return NO_ITEMS;
    },
  };
}
