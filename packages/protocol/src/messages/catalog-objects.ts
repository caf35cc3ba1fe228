/**
 * What a catalog lists and describes: catalogs, schemas, tables, views, macros,
 * indexes, COPY formats, companion catalogs, foreign keys, client capabilities.
 * (FunctionInfo is in function-info.ts, scan descriptions in scan.ts.)
 */
import {
  binary,
  bool,
  defineMessage,
  int32,
  int64,
  list,
  map,
  nested,
  struct,
  timestampUs,
  utf8,
  type Infer,
  type InferField,
  type InferInput,
} from "../codec/index.js";
import { catalogObject, schemaObject, schemaPath, stringMap } from "./common.js";
import { IndexConstraintType, MacroType } from "./enums.js";
import { BindResultCodec } from "./function-results.js";
import { ScanFunctionResultCodec } from "./scan.js";

export const CatalogDataVersionRelease = struct({
  version: utf8,
  releasedAt: timestampUs("UTC").nullable(),
  summary: utf8,
  notesUrl: utf8.nullable(),
});
export type CatalogDataVersionRelease = InferField<typeof CatalogDataVersionRelease>;

export const CatalogInfoCodec = defineMessage("CatalogInfo", {
  name: utf8,
  implementationVersion: utf8.nullable(),
  dataVersionSpec: utf8.nullable(),
  attachOptionSpecs: list(binary),
  releases: list(CatalogDataVersionRelease),
  sourceUrl: utf8.nullable(),
});
export type CatalogInfo = Infer<typeof CatalogInfoCodec>;
export type CatalogInfoInput = InferInput<typeof CatalogInfoCodec>;

export const SchemaInfoCodec = defineMessage("SchemaInfo", {
  ...catalogObject,
  attachOpaqueData: binary,
  path: schemaPath,
  estimatedObjectCount: map(utf8, int64).nullable(),
});
export type SchemaInfo = Infer<typeof SchemaInfoCodec>;
export type SchemaInfoInput = InferInput<typeof SchemaInfoCodec>;

export const ForeignKeyInfoCodec = defineMessage("ForeignKeyInfo", {
  fkColumns: list(utf8),
  pkColumns: list(utf8),
  referencedTable: utf8,
  referencedSchemaPath: schemaPath,
});
export type ForeignKeyInfo = Infer<typeof ForeignKeyInfoCodec>;
export type ForeignKeyInfoInput = InferInput<typeof ForeignKeyInfoCodec>;

/** Column-index groups (UNIQUE / PRIMARY KEY constraints). */
const columnGroups = list(list(int32));

export const TableInfoCodec = defineMessage("TableInfo", {
  ...schemaObject,
  /** Serialized Arrow schema of the columns. */
  columns: binary,
  notNullConstraints: list(int32),
  uniqueConstraints: columnGroups,
  checkConstraints: list(utf8),
  primaryKeyConstraints: columnGroups,
  foreignKeyConstraints: list(nested(ForeignKeyInfoCodec)),
  writeResultModes: stringMap,
  supportsColumnStatistics: bool,
  // Inlined answers that let the client skip a round trip.
  scanFunction: nested(ScanFunctionResultCodec).nullable(),
  // Write-function results have no 2.0 schema of their own: raw IPC bytes.
  insertFunction: binary.nullable(),
  updateFunction: binary.nullable(),
  deleteFunction: binary.nullable(),
  cardinalityEstimate: int64.nullable(),
  cardinalityMax: int64.nullable(),
  columnStatistics: binary.nullable(),
  bindResult: nested(BindResultCodec).nullable(),
  requiredFilters: list(list(utf8)),
});
export type TableInfo = Infer<typeof TableInfoCodec>;
export type TableInfoInput = InferInput<typeof TableInfoCodec>;

export const ViewInfoCodec = defineMessage("ViewInfo", {
  ...schemaObject,
  definition: utf8,
  columnComments: stringMap,
});
export type ViewInfo = Infer<typeof ViewInfoCodec>;
export type ViewInfoInput = InferInput<typeof ViewInfoCodec>;

export const MacroInfoCodec = defineMessage("MacroInfo", {
  ...schemaObject,
  macroType: MacroType,
  parameters: list(utf8),
  parameterDefaultValues: binary.nullable(),
  definition: utf8,
  argumentsSchema: binary.nullable(),
});
export type MacroInfo = Infer<typeof MacroInfoCodec>;
export type MacroInfoInput = InferInput<typeof MacroInfoCodec>;

export const IndexInfoCodec = defineMessage("IndexInfo", {
  ...schemaObject,
  tableName: utf8,
  indexType: utf8,
  constraintType: IndexConstraintType,
  expressions: list(utf8),
  options: stringMap,
});
export type IndexInfo = Infer<typeof IndexInfoCodec>;
export type IndexInfoInput = InferInput<typeof IndexInfoCodec>;

export const CopyFromFormatInfoCodec = defineMessage("CopyFromFormatInfo", {
  ...catalogObject,
  formatName: utf8,
  handler: utf8,
  /** Serialized Arrow schema of the format's options. */
  options: binary,
  /** `"from"`, `"to"` or `"both"` (plain utf8 on the wire). */
  direction: utf8,
  description: utf8,
  ordered: bool,
});
export type CopyFromFormatInfo = Infer<typeof CopyFromFormatInfoCodec>;
export type CopyFromFormatInfoInput = InferInput<typeof CopyFromFormatInfoCodec>;

/** A companion catalog the client should ATTACH alongside this one. */
export const AttachCatalogInfoCodec = defineMessage("AttachCatalogInfo", {
  alias: utf8,
  target: utf8,
  dbType: utf8,
  options: stringMap,
  hidden: bool,
  required: bool,
  secretRef: utf8,
});
export type AttachCatalogInfo = Infer<typeof AttachCatalogInfoCodec>;
export type AttachCatalogInfoInput = InferInput<typeof AttachCatalogInfoCodec>;

export const ClientCapabilitiesCodec = defineMessage("ClientCapabilities", {
  engine: utf8,
  nativeFormats: list(utf8),
  catalogs: list(utf8),
  canStream: bool,
  filterEncodings: list(utf8),
});
export type ClientCapabilities = Infer<typeof ClientCapabilitiesCodec>;
export type ClientCapabilitiesInput = InferInput<typeof ClientCapabilitiesCodec>;
