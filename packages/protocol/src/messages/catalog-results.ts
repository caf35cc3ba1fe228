/**
 * Results of catalog methods, each carried as IPC bytes in the method response's
 * `result` column. Listings are `items: list<binary>`, one nested IPC stream per
 * object — so a listing of N functions is N small `FunctionInfo` streams.
 */
import {
  binary,
  bool,
  defineMessage,
  int64,
  list,
  nested,
  utf8,
  type Infer,
  type InferInput,
  type IpcCodec,
  type MessageCodec,
  type NestedType,
} from "../codec/index.js";
import {
  AttachCatalogInfoCodec,
  CatalogInfoCodec,
  CopyFromFormatInfoCodec,
  IndexInfoCodec,
  MacroInfoCodec,
  SchemaInfoCodec,
  TableInfoCodec,
  ViewInfoCodec,
} from "./catalog-objects.js";
import { stringMap } from "./common.js";
import { FunctionInfoCodec } from "./function-info.js";

export const CatalogAttachResultCodec = defineMessage("CatalogAttachResult", {
  attachOpaqueData: binary,
  supportsTransactions: bool,
  supportsTimeTravel: bool,
  catalogVersionFrozen: bool,
  catalogVersion: int64,
  attachOpaqueDataRequired: bool,
  defaultSchema: utf8,
  // Setting and secret-type descriptors have no 2.0 message schema: raw IPC bytes.
  settings: list(binary),
  secretTypes: list(binary),
  attachCatalogs: list(nested(AttachCatalogInfoCodec)),
  comment: utf8.nullable(),
  tags: stringMap,
  supportsColumnStatistics: bool,
  globalFunctions: list(nested(FunctionInfoCodec)),
  globalFunctionPrefix: utf8,
  resolvedDataVersion: utf8.nullable(),
  resolvedImplementationVersion: utf8.nullable(),
});
export type CatalogAttachResult = Infer<typeof CatalogAttachResultCodec>;
export type CatalogAttachResultInput = InferInput<typeof CatalogAttachResultCodec>;

export const CatalogVersionResultCodec = defineMessage("CatalogVersionResult", { version: int64 });
export type CatalogVersionResult = Infer<typeof CatalogVersionResultCodec>;
export type CatalogVersionResultInput = InferInput<typeof CatalogVersionResultCodec>;

export const CatalogTransactionBeginResultCodec = defineMessage("CatalogTransactionBeginResult", {
  transactionOpaqueData: binary.nullable(),
});
export type CatalogTransactionBeginResult = Infer<typeof CatalogTransactionBeginResultCodec>;
export type CatalogTransactionBeginResultInput = InferInput<
  typeof CatalogTransactionBeginResultCodec
>;

type ItemsCodec<T, TIn> = MessageCodec<{ items: T[] }, { items: readonly (TIn | Uint8Array)[] }>;

/** `{ items: list<binary> }` where each item is one `codec` IPC stream. */
function listing<T, TIn>(name: string, codec: IpcCodec<T, TIn>): ItemsCodec<T, TIn> {
  const item: NestedType<T, TIn> = nested(codec);
  return defineMessage(name, { items: list(item) });
}

export const CatalogCatalogsResultCodec = listing("CatalogCatalogsResult", CatalogInfoCodec);
export type CatalogCatalogsResult = Infer<typeof CatalogCatalogsResultCodec>;
export type CatalogCatalogsResultInput = InferInput<typeof CatalogCatalogsResultCodec>;

export const CatalogCopyFromFormatsResultCodec = listing(
  "CatalogCopyFromFormatsResult",
  CopyFromFormatInfoCodec,
);
export type CatalogCopyFromFormatsResult = Infer<typeof CatalogCopyFromFormatsResultCodec>;
export type CatalogCopyFromFormatsResultInput = InferInput<
  typeof CatalogCopyFromFormatsResultCodec
>;

export const CatalogSchemasResultCodec = listing("CatalogSchemasResult", SchemaInfoCodec);
export type CatalogSchemasResult = Infer<typeof CatalogSchemasResultCodec>;
export type CatalogSchemasResultInput = InferInput<typeof CatalogSchemasResultCodec>;

/** Zero items means "no such schema". */
export const CatalogSchemaGetResultCodec = listing("CatalogSchemaGetResult", SchemaInfoCodec);
export type CatalogSchemaGetResult = Infer<typeof CatalogSchemaGetResultCodec>;
export type CatalogSchemaGetResultInput = InferInput<typeof CatalogSchemaGetResultCodec>;

export const CatalogSchemaContentsTablesResultCodec = listing(
  "CatalogSchemaContentsTablesResult",
  TableInfoCodec,
);
export type CatalogSchemaContentsTablesResult = Infer<
  typeof CatalogSchemaContentsTablesResultCodec
>;
export type CatalogSchemaContentsTablesResultInput = InferInput<
  typeof CatalogSchemaContentsTablesResultCodec
>;

export const CatalogSchemaContentsViewsResultCodec = listing(
  "CatalogSchemaContentsViewsResult",
  ViewInfoCodec,
);
export type CatalogSchemaContentsViewsResult = Infer<typeof CatalogSchemaContentsViewsResultCodec>;
export type CatalogSchemaContentsViewsResultInput = InferInput<
  typeof CatalogSchemaContentsViewsResultCodec
>;

export const CatalogSchemaContentsFunctionsResultCodec = listing(
  "CatalogSchemaContentsFunctionsResult",
  FunctionInfoCodec,
);
export type CatalogSchemaContentsFunctionsResult = Infer<
  typeof CatalogSchemaContentsFunctionsResultCodec
>;
export type CatalogSchemaContentsFunctionsResultInput = InferInput<
  typeof CatalogSchemaContentsFunctionsResultCodec
>;

export const CatalogSchemaContentsMacrosResultCodec = listing(
  "CatalogSchemaContentsMacrosResult",
  MacroInfoCodec,
);
export type CatalogSchemaContentsMacrosResult = Infer<
  typeof CatalogSchemaContentsMacrosResultCodec
>;
export type CatalogSchemaContentsMacrosResultInput = InferInput<
  typeof CatalogSchemaContentsMacrosResultCodec
>;

export const CatalogSchemaContentsIndexesResultCodec = listing(
  "CatalogSchemaContentsIndexesResult",
  IndexInfoCodec,
);
export type CatalogSchemaContentsIndexesResult = Infer<
  typeof CatalogSchemaContentsIndexesResultCodec
>;
export type CatalogSchemaContentsIndexesResultInput = InferInput<
  typeof CatalogSchemaContentsIndexesResultCodec
>;

export const CatalogTableGetResultCodec = listing("CatalogTableGetResult", TableInfoCodec);
export type CatalogTableGetResult = Infer<typeof CatalogTableGetResultCodec>;
export type CatalogTableGetResultInput = InferInput<typeof CatalogTableGetResultCodec>;

export const CatalogViewGetResultCodec = listing("CatalogViewGetResult", ViewInfoCodec);
export type CatalogViewGetResult = Infer<typeof CatalogViewGetResultCodec>;
export type CatalogViewGetResultInput = InferInput<typeof CatalogViewGetResultCodec>;

export const CatalogMacroGetResultCodec = listing("CatalogMacroGetResult", MacroInfoCodec);
export type CatalogMacroGetResult = Infer<typeof CatalogMacroGetResultCodec>;
export type CatalogMacroGetResultInput = InferInput<typeof CatalogMacroGetResultCodec>;

export const CatalogIndexGetResultCodec = listing("CatalogIndexGetResult", IndexInfoCodec);
export type CatalogIndexGetResult = Infer<typeof CatalogIndexGetResultCodec>;
export type CatalogIndexGetResultInput = InferInput<typeof CatalogIndexGetResultCodec>;
