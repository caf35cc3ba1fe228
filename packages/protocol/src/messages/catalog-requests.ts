/**
 * Catalog requests big enough to travel as a nested struct in a `request` column:
 * attach, create catalog, and the CREATE TABLE / MACRO / INDEX statements.
 */
import {
  binary,
  defineMessage,
  int32,
  list,
  nested,
  utf8,
  type Infer,
  type InferInput,
} from "../codec/index.js";
import { ClientCapabilitiesCodec, ForeignKeyInfoCodec } from "./catalog-objects.js";
import { objectRef, stringMap, transaction } from "./common.js";
import { IndexConstraintType, MacroType, OnConflict } from "./enums.js";

export const CatalogAttachRequestCodec = defineMessage("CatalogAttachRequest", {
  name: utf8,
  /** Attach options as a serialized 1-row record batch. */
  options: binary.nullable(),
  dataVersionSpec: utf8.nullable(),
  implementationVersion: utf8.nullable(),
  clientCapabilities: nested(ClientCapabilitiesCodec).nullable(),
});
export type CatalogAttachRequest = Infer<typeof CatalogAttachRequestCodec>;
export type CatalogAttachRequestInput = InferInput<typeof CatalogAttachRequestCodec>;

export const CatalogCreateRequestCodec = defineMessage("CatalogCreateRequest", {
  name: utf8,
  onConflict: OnConflict,
  options: binary.nullable(),
});
export type CatalogCreateRequest = Infer<typeof CatalogCreateRequestCodec>;
export type CatalogCreateRequestInput = InferInput<typeof CatalogCreateRequestCodec>;

export const TableCreateRequestCodec = defineMessage("TableCreateRequest", {
  ...objectRef,
  columns: binary,
  onConflict: OnConflict,
  notNullConstraints: list(int32),
  uniqueConstraints: list(list(int32)),
  checkConstraints: list(utf8),
  primaryKeyConstraints: list(list(int32)),
  foreignKeyConstraints: list(nested(ForeignKeyInfoCodec)),
  ...transaction,
});
export type TableCreateRequest = Infer<typeof TableCreateRequestCodec>;
export type TableCreateRequestInput = InferInput<typeof TableCreateRequestCodec>;

export const MacroCreateRequestCodec = defineMessage("MacroCreateRequest", {
  ...objectRef,
  macroType: MacroType,
  parameters: list(utf8),
  definition: utf8,
  onConflict: OnConflict,
  parameterDefaultValues: binary.nullable(),
  argumentsSchema: binary.nullable(),
  ...transaction,
});
export type MacroCreateRequest = Infer<typeof MacroCreateRequestCodec>;
export type MacroCreateRequestInput = InferInput<typeof MacroCreateRequestCodec>;

export const IndexCreateRequestCodec = defineMessage("IndexCreateRequest", {
  ...objectRef,
  tableName: utf8,
  indexType: utf8,
  constraintType: IndexConstraintType,
  expressions: list(utf8),
  onConflict: OnConflict,
  options: stringMap,
  ...transaction,
});
export type IndexCreateRequest = Infer<typeof IndexCreateRequestCodec>;
export type IndexCreateRequestInput = InferInput<typeof IndexCreateRequestCodec>;
