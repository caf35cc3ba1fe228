/**
 * Params of the `catalog_table_*` methods. All address one table (`objectRef`) and
 * end with the optional transaction, except insert-function lookup, which appends
 * the writable branch after it.
 */
import { binary, bool, defineMessage, utf8, type Infer, type InferInput } from "../codec/index.js";
import { objectRef, transaction } from "./common.js";

const lookup = { ...objectRef, ...transaction } as const;
/** Time travel: `AT (unit => value)`. */
const atClause = { atUnit: utf8.nullable(), atValue: utf8.nullable() } as const;
const timeTravelLookup = { ...objectRef, ...atClause, ...transaction } as const;
/** ALTER on a single column. */
const column = { ...objectRef, columnName: utf8 } as const;

export const CatalogTableGetParamsCodec = defineMessage("CatalogTableGetParams", timeTravelLookup);
export type CatalogTableGetParams = Infer<typeof CatalogTableGetParamsCodec>;
export type CatalogTableGetParamsInput = InferInput<typeof CatalogTableGetParamsCodec>;

export const CatalogTableDropParamsCodec = defineMessage("CatalogTableDropParams", {
  ...objectRef,
  ignoreNotFound: bool,
  cascade: bool,
  ...transaction,
});
export type CatalogTableDropParams = Infer<typeof CatalogTableDropParamsCodec>;
export type CatalogTableDropParamsInput = InferInput<typeof CatalogTableDropParamsCodec>;

export const CatalogTableScanFunctionGetParamsCodec = defineMessage(
  "CatalogTableScanFunctionGetParams",
  timeTravelLookup,
);
export type CatalogTableScanFunctionGetParams = Infer<
  typeof CatalogTableScanFunctionGetParamsCodec
>;
export type CatalogTableScanFunctionGetParamsInput = InferInput<
  typeof CatalogTableScanFunctionGetParamsCodec
>;

export const CatalogTableScanBranchesGetParamsCodec = defineMessage(
  "CatalogTableScanBranchesGetParams",
  timeTravelLookup,
);
export type CatalogTableScanBranchesGetParams = Infer<
  typeof CatalogTableScanBranchesGetParamsCodec
>;
export type CatalogTableScanBranchesGetParamsInput = InferInput<
  typeof CatalogTableScanBranchesGetParamsCodec
>;

export const CatalogTableColumnStatisticsGetParamsCodec = defineMessage(
  "CatalogTableColumnStatisticsGetParams",
  lookup,
);
export type CatalogTableColumnStatisticsGetParams = Infer<
  typeof CatalogTableColumnStatisticsGetParamsCodec
>;
export type CatalogTableColumnStatisticsGetParamsInput = InferInput<
  typeof CatalogTableColumnStatisticsGetParamsCodec
>;

export const CatalogTableInsertFunctionGetParamsCodec = defineMessage(
  "CatalogTableInsertFunctionGetParams",
  {
    ...lookup,
    writableBranchFunctionName: utf8.nullable(),
  },
);
export type CatalogTableInsertFunctionGetParams = Infer<
  typeof CatalogTableInsertFunctionGetParamsCodec
>;
export type CatalogTableInsertFunctionGetParamsInput = InferInput<
  typeof CatalogTableInsertFunctionGetParamsCodec
>;

export const CatalogTableUpdateFunctionGetParamsCodec = defineMessage(
  "CatalogTableUpdateFunctionGetParams",
  lookup,
);
export type CatalogTableUpdateFunctionGetParams = Infer<
  typeof CatalogTableUpdateFunctionGetParamsCodec
>;
export type CatalogTableUpdateFunctionGetParamsInput = InferInput<
  typeof CatalogTableUpdateFunctionGetParamsCodec
>;

export const CatalogTableDeleteFunctionGetParamsCodec = defineMessage(
  "CatalogTableDeleteFunctionGetParams",
  lookup,
);
export type CatalogTableDeleteFunctionGetParams = Infer<
  typeof CatalogTableDeleteFunctionGetParamsCodec
>;
export type CatalogTableDeleteFunctionGetParamsInput = InferInput<
  typeof CatalogTableDeleteFunctionGetParamsCodec
>;

export const CatalogTableCommentSetParamsCodec = defineMessage("CatalogTableCommentSetParams", {
  ...objectRef,
  comment: utf8.nullable(),
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogTableCommentSetParams = Infer<typeof CatalogTableCommentSetParamsCodec>;
export type CatalogTableCommentSetParamsInput = InferInput<
  typeof CatalogTableCommentSetParamsCodec
>;

export const CatalogTableRenameParamsCodec = defineMessage("CatalogTableRenameParams", {
  ...objectRef,
  newName: utf8,
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogTableRenameParams = Infer<typeof CatalogTableRenameParamsCodec>;
export type CatalogTableRenameParamsInput = InferInput<typeof CatalogTableRenameParamsCodec>;

export const CatalogTableColumnAddParamsCodec = defineMessage("CatalogTableColumnAddParams", {
  ...objectRef,
  columnDefinition: binary,
  ignoreNotFound: bool,
  ifColumnNotExists: bool,
  ...transaction,
});
export type CatalogTableColumnAddParams = Infer<typeof CatalogTableColumnAddParamsCodec>;
export type CatalogTableColumnAddParamsInput = InferInput<typeof CatalogTableColumnAddParamsCodec>;

export const CatalogTableColumnDropParamsCodec = defineMessage("CatalogTableColumnDropParams", {
  ...column,
  ignoreNotFound: bool,
  ifColumnExists: bool,
  cascade: bool,
  ...transaction,
});
export type CatalogTableColumnDropParams = Infer<typeof CatalogTableColumnDropParamsCodec>;
export type CatalogTableColumnDropParamsInput = InferInput<
  typeof CatalogTableColumnDropParamsCodec
>;

export const CatalogTableColumnRenameParamsCodec = defineMessage("CatalogTableColumnRenameParams", {
  ...column,
  newColumnName: utf8,
  ignoreNotFound: bool,
  ...transaction,
});
export type CatalogTableColumnRenameParams = Infer<typeof CatalogTableColumnRenameParamsCodec>;
export type CatalogTableColumnRenameParamsInput = InferInput<
  typeof CatalogTableColumnRenameParamsCodec
>;

export const CatalogTableColumnCommentSetParamsCodec = defineMessage(
  "CatalogTableColumnCommentSetParams",
  {
    ...column,
    comment: utf8.nullable(),
    ignoreNotFound: bool,
    ...transaction,
  },
);
export type CatalogTableColumnCommentSetParams = Infer<
  typeof CatalogTableColumnCommentSetParamsCodec
>;
export type CatalogTableColumnCommentSetParamsInput = InferInput<
  typeof CatalogTableColumnCommentSetParamsCodec
>;

export const CatalogTableColumnDefaultSetParamsCodec = defineMessage(
  "CatalogTableColumnDefaultSetParams",
  {
    ...column,
    expression: utf8,
    ignoreNotFound: bool,
    ...transaction,
  },
);
export type CatalogTableColumnDefaultSetParams = Infer<
  typeof CatalogTableColumnDefaultSetParamsCodec
>;
export type CatalogTableColumnDefaultSetParamsInput = InferInput<
  typeof CatalogTableColumnDefaultSetParamsCodec
>;

/** Drop-default and the NOT NULL toggles take the same arguments. */
const columnToggle = { ...column, ignoreNotFound: bool, ...transaction } as const;

export const CatalogTableColumnDefaultDropParamsCodec = defineMessage(
  "CatalogTableColumnDefaultDropParams",
  columnToggle,
);
export type CatalogTableColumnDefaultDropParams = Infer<
  typeof CatalogTableColumnDefaultDropParamsCodec
>;
export type CatalogTableColumnDefaultDropParamsInput = InferInput<
  typeof CatalogTableColumnDefaultDropParamsCodec
>;

export const CatalogTableColumnTypeChangeParamsCodec = defineMessage(
  "CatalogTableColumnTypeChangeParams",
  {
    ...objectRef,
    columnDefinition: binary,
    expression: utf8.nullable(),
    ignoreNotFound: bool,
    ...transaction,
  },
);
export type CatalogTableColumnTypeChangeParams = Infer<
  typeof CatalogTableColumnTypeChangeParamsCodec
>;
export type CatalogTableColumnTypeChangeParamsInput = InferInput<
  typeof CatalogTableColumnTypeChangeParamsCodec
>;

export const CatalogTableNotNullSetParamsCodec = defineMessage(
  "CatalogTableNotNullSetParams",
  columnToggle,
);
export type CatalogTableNotNullSetParams = Infer<typeof CatalogTableNotNullSetParamsCodec>;
export type CatalogTableNotNullSetParamsInput = InferInput<
  typeof CatalogTableNotNullSetParamsCodec
>;

export const CatalogTableNotNullDropParamsCodec = defineMessage(
  "CatalogTableNotNullDropParams",
  columnToggle,
);
export type CatalogTableNotNullDropParams = Infer<typeof CatalogTableNotNullDropParamsCodec>;
export type CatalogTableNotNullDropParamsInput = InferInput<
  typeof CatalogTableNotNullDropParamsCodec
>;
