/**
 * Params of catalog methods that take flat arguments (everything but tables, see
 * table-params.ts). Field order is the wire order of the method's parameters.
 */
import { binary, bool, defineMessage, utf8, type Infer, type InferInput } from "../codec/index.js";
import { attach, objectRef, schemaRef, stringMap, transaction } from "./common.js";
import { OnConflict, SchemaObjectType } from "./enums.js";

const dropFlags = { ignoreNotFound: bool, cascade: bool } as const;

// ---- catalogs and transactions ----

export const CatalogCatalogsParamsCodec = defineMessage("CatalogCatalogsParams", {});

export const CatalogDetachParamsCodec = defineMessage("CatalogDetachParams", { ...attach });
export type CatalogDetachParams = Infer<typeof CatalogDetachParamsCodec>;
export type CatalogDetachParamsInput = InferInput<typeof CatalogDetachParamsCodec>;

export const CatalogDropParamsCodec = defineMessage("CatalogDropParams", { name: utf8 });
export type CatalogDropParams = Infer<typeof CatalogDropParamsCodec>;
export type CatalogDropParamsInput = InferInput<typeof CatalogDropParamsCodec>;

export const CatalogVersionParamsCodec = defineMessage("CatalogVersionParams", {
  ...attach,
  ...transaction,
});
export type CatalogVersionParams = Infer<typeof CatalogVersionParamsCodec>;
export type CatalogVersionParamsInput = InferInput<typeof CatalogVersionParamsCodec>;

export const CatalogCopyFromFormatsParamsCodec = defineMessage("CatalogCopyFromFormatsParams", {
  ...attach,
  ...transaction,
});
export type CatalogCopyFromFormatsParams = Infer<typeof CatalogCopyFromFormatsParamsCodec>;
export type CatalogCopyFromFormatsParamsInput = InferInput<
  typeof CatalogCopyFromFormatsParamsCodec
>;

export const CatalogTransactionBeginParamsCodec = defineMessage("CatalogTransactionBeginParams", {
  ...attach,
});
export type CatalogTransactionBeginParams = Infer<typeof CatalogTransactionBeginParamsCodec>;
export type CatalogTransactionBeginParamsInput = InferInput<
  typeof CatalogTransactionBeginParamsCodec
>;

/** Commit and rollback name the transaction, so it is required here. */
const openTransaction = { ...attach, transactionOpaqueData: binary } as const;

export const CatalogTransactionCommitParamsCodec = defineMessage(
  "CatalogTransactionCommitParams",
  openTransaction,
);
export type CatalogTransactionCommitParams = Infer<typeof CatalogTransactionCommitParamsCodec>;
export type CatalogTransactionCommitParamsInput = InferInput<
  typeof CatalogTransactionCommitParamsCodec
>;

export const CatalogTransactionRollbackParamsCodec = defineMessage(
  "CatalogTransactionRollbackParams",
  openTransaction,
);
export type CatalogTransactionRollbackParams = Infer<typeof CatalogTransactionRollbackParamsCodec>;
export type CatalogTransactionRollbackParamsInput = InferInput<
  typeof CatalogTransactionRollbackParamsCodec
>;

// ---- schemas ----

export const CatalogSchemasParamsCodec = defineMessage("CatalogSchemasParams", {
  ...attach,
  ...transaction,
});
export type CatalogSchemasParams = Infer<typeof CatalogSchemasParamsCodec>;
export type CatalogSchemasParamsInput = InferInput<typeof CatalogSchemasParamsCodec>;

export const CatalogSchemaGetParamsCodec = defineMessage("CatalogSchemaGetParams", {
  ...schemaRef,
  ...transaction,
});
export type CatalogSchemaGetParams = Infer<typeof CatalogSchemaGetParamsCodec>;
export type CatalogSchemaGetParamsInput = InferInput<typeof CatalogSchemaGetParamsCodec>;

export const CatalogSchemaCreateParamsCodec = defineMessage("CatalogSchemaCreateParams", {
  ...schemaRef,
  onConflict: OnConflict,
  comment: utf8.nullable(),
  tags: stringMap.nullable(),
  ...transaction,
});
export type CatalogSchemaCreateParams = Infer<typeof CatalogSchemaCreateParamsCodec>;
export type CatalogSchemaCreateParamsInput = InferInput<typeof CatalogSchemaCreateParamsCodec>;

export const CatalogSchemaDropParamsCodec = defineMessage("CatalogSchemaDropParams", {
  ...schemaRef,
  ...dropFlags,
  ...transaction,
});
export type CatalogSchemaDropParams = Infer<typeof CatalogSchemaDropParamsCodec>;
export type CatalogSchemaDropParamsInput = InferInput<typeof CatalogSchemaDropParamsCodec>;

const contents = { ...schemaRef, ...transaction } as const;
/** Function and macro listings are filtered by object type. */
const typedContents = { ...schemaRef, type: SchemaObjectType, ...transaction } as const;

export const CatalogSchemaContentsTablesParamsCodec = defineMessage(
  "CatalogSchemaContentsTablesParams",
  contents,
);
export type CatalogSchemaContentsTablesParams = Infer<
  typeof CatalogSchemaContentsTablesParamsCodec
>;
export type CatalogSchemaContentsTablesParamsInput = InferInput<
  typeof CatalogSchemaContentsTablesParamsCodec
>;

export const CatalogSchemaContentsViewsParamsCodec = defineMessage(
  "CatalogSchemaContentsViewsParams",
  contents,
);
export type CatalogSchemaContentsViewsParams = Infer<typeof CatalogSchemaContentsViewsParamsCodec>;
export type CatalogSchemaContentsViewsParamsInput = InferInput<
  typeof CatalogSchemaContentsViewsParamsCodec
>;

export const CatalogSchemaContentsIndexesParamsCodec = defineMessage(
  "CatalogSchemaContentsIndexesParams",
  contents,
);
export type CatalogSchemaContentsIndexesParams = Infer<
  typeof CatalogSchemaContentsIndexesParamsCodec
>;
export type CatalogSchemaContentsIndexesParamsInput = InferInput<
  typeof CatalogSchemaContentsIndexesParamsCodec
>;

export const CatalogSchemaContentsFunctionsParamsCodec = defineMessage(
  "CatalogSchemaContentsFunctionsParams",
  typedContents,
);
export type CatalogSchemaContentsFunctionsParams = Infer<
  typeof CatalogSchemaContentsFunctionsParamsCodec
>;
export type CatalogSchemaContentsFunctionsParamsInput = InferInput<
  typeof CatalogSchemaContentsFunctionsParamsCodec
>;

export const CatalogSchemaContentsMacrosParamsCodec = defineMessage(
  "CatalogSchemaContentsMacrosParams",
  typedContents,
);
export type CatalogSchemaContentsMacrosParams = Infer<
  typeof CatalogSchemaContentsMacrosParamsCodec
>;
export type CatalogSchemaContentsMacrosParamsInput = InferInput<
  typeof CatalogSchemaContentsMacrosParamsCodec
>;

// ---- views, macros, indexes ----

const lookup = { ...objectRef, ...transaction } as const;

export const CatalogViewGetParamsCodec = defineMessage("CatalogViewGetParams", lookup);
export type CatalogViewGetParams = Infer<typeof CatalogViewGetParamsCodec>;
export type CatalogViewGetParamsInput = InferInput<typeof CatalogViewGetParamsCodec>;

export const CatalogViewCreateParamsCodec = defineMessage("CatalogViewCreateParams", {
  ...objectRef,
  definition: utf8,
  onConflict: OnConflict,
  ...transaction,
});
export type CatalogViewCreateParams = Infer<typeof CatalogViewCreateParamsCodec>;
export type CatalogViewCreateParamsInput = InferInput<typeof CatalogViewCreateParamsCodec>;

export const CatalogViewDropParamsCodec = defineMessage("CatalogViewDropParams", {
  ...objectRef,
  ...dropFlags,
  ...transaction,
});
export type CatalogViewDropParams = Infer<typeof CatalogViewDropParamsCodec>;
export type CatalogViewDropParamsInput = InferInput<typeof CatalogViewDropParamsCodec>;

export const CatalogViewRenameParamsCodec = defineMessage("CatalogViewRenameParams", {
  ...objectRef,
  newName: utf8,
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogViewRenameParams = Infer<typeof CatalogViewRenameParamsCodec>;
export type CatalogViewRenameParamsInput = InferInput<typeof CatalogViewRenameParamsCodec>;

export const CatalogViewCommentSetParamsCodec = defineMessage("CatalogViewCommentSetParams", {
  ...objectRef,
  comment: utf8.nullable(),
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogViewCommentSetParams = Infer<typeof CatalogViewCommentSetParamsCodec>;
export type CatalogViewCommentSetParamsInput = InferInput<typeof CatalogViewCommentSetParamsCodec>;

export const CatalogMacroGetParamsCodec = defineMessage("CatalogMacroGetParams", lookup);
export type CatalogMacroGetParams = Infer<typeof CatalogMacroGetParamsCodec>;
export type CatalogMacroGetParamsInput = InferInput<typeof CatalogMacroGetParamsCodec>;

export const CatalogMacroDropParamsCodec = defineMessage("CatalogMacroDropParams", {
  ...objectRef,
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogMacroDropParams = Infer<typeof CatalogMacroDropParamsCodec>;
export type CatalogMacroDropParamsInput = InferInput<typeof CatalogMacroDropParamsCodec>;

export const CatalogIndexGetParamsCodec = defineMessage("CatalogIndexGetParams", lookup);
export type CatalogIndexGetParams = Infer<typeof CatalogIndexGetParamsCodec>;
export type CatalogIndexGetParamsInput = InferInput<typeof CatalogIndexGetParamsCodec>;

export const CatalogIndexDropParamsCodec = defineMessage("CatalogIndexDropParams", {
  ...objectRef,
  ...dropFlags,
  ...transaction,
});
export type CatalogIndexDropParams = Infer<typeof CatalogIndexDropParamsCodec>;
export type CatalogIndexDropParamsInput = InferInput<typeof CatalogIndexDropParamsCodec>;
