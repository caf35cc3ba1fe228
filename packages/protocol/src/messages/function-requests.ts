/**
 * Requests of the function invocation lifecycle: bind, init (the one streaming
 * method), and the table-function side calls that replay the bind.
 */
import {
  binary,
  bool,
  defineMessage,
  float64,
  int64,
  largeBinary,
  list,
  nested,
  struct,
  utf8,
  type Infer,
  type InferField,
  type InferInput,
} from "../codec/index.js";
import { schemaPath } from "./common.js";
import {
  InvocationFunctionType,
  OrderByDirection,
  OrderByNullOrder,
  TableInOutFunctionInitPhase,
} from "./enums.js";

// COPY contexts appear both as standalone messages and as struct fields of
// BindRequest; one shape declaration serves both.
const copyFromShape = { format: utf8, filePath: utf8, expectedSchema: binary } as const;
const copyToShape = { format: utf8, filePath: utf8 } as const;

export const CopyFromContext = struct(copyFromShape);
export type CopyFromContext = InferField<typeof CopyFromContext>;
export const CopyFromContextCodec = defineMessage("CopyFromContext", copyFromShape);
export type CopyFromContextInput = InferInput<typeof CopyFromContextCodec>;

export const CopyToContext = struct(copyToShape);
export type CopyToContext = InferField<typeof CopyToContext>;
export const CopyToContextCodec = defineMessage("CopyToContext", copyToShape);
export type CopyToContextInput = InferInput<typeof CopyToContextCodec>;

export const BindRequestCodec = defineMessage("BindRequest", {
  functionName: utf8,
  arguments: binary,
  functionType: InvocationFunctionType,
  inputSchema: binary.nullable(),
  settings: binary.nullable(),
  secrets: binary.nullable(),
  attachOpaqueData: binary.nullable(),
  transactionOpaqueData: binary.nullable(),
  resolvedSecretsProvided: bool,
  atUnit: utf8.nullable(),
  atValue: utf8.nullable(),
  copyFrom: CopyFromContext.nullable(),
  copyTo: CopyToContext.nullable(),
  schemaPath: schemaPath.nullable(),
  // Positional arguments have no name, hence nullable items.
  argumentNames: list(utf8.nullable()).nullable(),
});
export type BindRequest = Infer<typeof BindRequestCodec>;
export type BindRequestInput = InferInput<typeof BindRequestCodec>;

/** The header of the `init` stream. */
export const GlobalInitResponseCodec = defineMessage("GlobalInitResponse", {
  executionId: binary,
  opaqueData: binary.nullable(),
  maxWorkers: int64,
});
export type GlobalInitResponse = Infer<typeof GlobalInitResponseCodec>;
export type GlobalInitResponseInput = InferInput<typeof GlobalInitResponseCodec>;

/** Pushdown and ordering fields shared, in this order, by init and plan requests. */
const orderAndSample = {
  orderByColumnName: utf8.nullable(),
  orderByDirection: OrderByDirection.nullable(),
  orderByNullOrder: OrderByNullOrder.nullable(),
  orderByLimit: int64.nullable(),
  tablesamplePercentage: float64.nullable(),
  tablesampleSeed: int64.nullable(),
} as const;

/** Every table-function side call replays the original bind. */
const boundCall = {
  bindCall: nested(BindRequestCodec),
  bindOpaqueData: binary.nullable(),
} as const;

export const InitRequestCodec = defineMessage("InitRequest", {
  bindCall: nested(BindRequestCodec),
  outputSchema: binary,
  bindOpaqueData: binary.nullable(),
  projectionIds: list(int64).nullable(),
  pushdownFilters: largeBinary.nullable(),
  joinKeys: list(largeBinary).nullable(),
  splitTokens: list(largeBinary).nullable(),
  rowLimit: int64.nullable(),
  phase: TableInOutFunctionInitPhase.nullable(),
  finalizeStateId: binary.nullable(),
  executionId: binary.nullable(),
  initOpaqueData: binary.nullable(),
  substreamId: binary.nullable(),
  ...orderAndSample,
});
export type InitRequest = Infer<typeof InitRequestCodec>;
export type InitRequestInput = InferInput<typeof InitRequestCodec>;

export const TableFunctionCardinalityRequestCodec = defineMessage(
  "TableFunctionCardinalityRequest",
  {
    ...boundCall,
  },
);
export type TableFunctionCardinalityRequest = Infer<typeof TableFunctionCardinalityRequestCodec>;
export type TableFunctionCardinalityRequestInput = InferInput<
  typeof TableFunctionCardinalityRequestCodec
>;

export const TableFunctionStatisticsRequestCodec = defineMessage("TableFunctionStatisticsRequest", {
  ...boundCall,
});
export type TableFunctionStatisticsRequest = Infer<typeof TableFunctionStatisticsRequestCodec>;
export type TableFunctionStatisticsRequestInput = InferInput<
  typeof TableFunctionStatisticsRequestCodec
>;

export const TableFunctionDynamicToStringRequestCodec = defineMessage(
  "TableFunctionDynamicToStringRequest",
  {
    ...boundCall,
    globalExecutionId: binary,
  },
);
export type TableFunctionDynamicToStringRequest = Infer<
  typeof TableFunctionDynamicToStringRequestCodec
>;
export type TableFunctionDynamicToStringRequestInput = InferInput<
  typeof TableFunctionDynamicToStringRequestCodec
>;

export const TableFunctionPlanRequestCodec = defineMessage("TableFunctionPlanRequest", {
  ...boundCall,
  projectionIds: list(int64).nullable(),
  pushdownFilters: largeBinary.nullable(),
  joinKeys: list(largeBinary).nullable(),
  rowLimit: int64.nullable(),
  targetSplitBytes: int64.nullable(),
  minSplits: int64.nullable(),
  maxSplitsPerResponse: int64.nullable(),
  cursor: binary.nullable(),
  refinedFilters: largeBinary.nullable(),
  filtersComplete: bool,
  startPosition: binary.nullable(),
  endPosition: binary.nullable(),
  ...orderAndSample,
});
export type TableFunctionPlanRequest = Infer<typeof TableFunctionPlanRequestCodec>;
export type TableFunctionPlanRequestInput = InferInput<typeof TableFunctionPlanRequestCodec>;
