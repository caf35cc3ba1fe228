/**
 * Params of the methods whose only argument is a request struct: the wire params are
 * a single non-null `request: binary` column holding that struct's IPC stream.
 * Decoding the params decodes the nested request too.
 */
import {
  defineMessage,
  nested,
  type Infer,
  type InferInput,
  type IpcCodec,
  type MessageCodec,
} from "../codec/index.js";
import {
  AggregateBindRequestCodec,
  AggregateCombineRequestCodec,
  AggregateDestructorRequestCodec,
  AggregateFinalizeRequestCodec,
  AggregateStreamingChunkRequestCodec,
  AggregateStreamingCloseRequestCodec,
  AggregateStreamingOpenRequestCodec,
  AggregateUpdateRequestCodec,
  AggregateWindowBatchRequestCodec,
  AggregateWindowDestructorRequestCodec,
  AggregateWindowInitRequestCodec,
  AggregateWindowRequestCodec,
} from "./aggregate.js";
import {
  CatalogAttachRequestCodec,
  CatalogCreateRequestCodec,
  IndexCreateRequestCodec,
  MacroCreateRequestCodec,
  TableCreateRequestCodec,
} from "./catalog-requests.js";
import {
  BindRequestCodec,
  InitRequestCodec,
  TableFunctionCardinalityRequestCodec,
  TableFunctionDynamicToStringRequestCodec,
  TableFunctionPlanRequestCodec,
  TableFunctionStatisticsRequestCodec,
} from "./function-requests.js";
import {
  TableBufferingCombineRequestCodec,
  TableBufferingDestructorRequestCodec,
  TableBufferingProcessRequestCodec,
} from "./table-buffering.js";

/** Params whose one column carries request `R`. */
export type RequestParams<R> = { request: R };
export type RequestParamsCodec<T, TIn> = MessageCodec<
  RequestParams<T>,
  RequestParams<TIn | Uint8Array>
>;

function requestParams<T, TIn>(
  name: string,
  request: IpcCodec<T, TIn>,
): RequestParamsCodec<T, TIn> {
  // TS cannot resolve the optional-key mapping for a generic TIn; for a concrete
  // request type the inferred shape is exactly RequestParamsCodec<T, TIn>.
  return defineMessage(name, { request: nested(request) }) as unknown as RequestParamsCodec<T, TIn>;
}

export const BindParamsCodec = requestParams("BindParams", BindRequestCodec);
export type BindParams = Infer<typeof BindParamsCodec>;
export type BindParamsInput = InferInput<typeof BindParamsCodec>;

export const InitParamsCodec = requestParams("InitParams", InitRequestCodec);
export type InitParams = Infer<typeof InitParamsCodec>;
export type InitParamsInput = InferInput<typeof InitParamsCodec>;

export const TableFunctionCardinalityParamsCodec = requestParams(
  "TableFunctionCardinalityParams",
  TableFunctionCardinalityRequestCodec,
);
export type TableFunctionCardinalityParams = Infer<typeof TableFunctionCardinalityParamsCodec>;
export type TableFunctionCardinalityParamsInput = InferInput<
  typeof TableFunctionCardinalityParamsCodec
>;

export const TableFunctionStatisticsParamsCodec = requestParams(
  "TableFunctionStatisticsParams",
  TableFunctionStatisticsRequestCodec,
);
export type TableFunctionStatisticsParams = Infer<typeof TableFunctionStatisticsParamsCodec>;
export type TableFunctionStatisticsParamsInput = InferInput<
  typeof TableFunctionStatisticsParamsCodec
>;

export const TableFunctionDynamicToStringParamsCodec = requestParams(
  "TableFunctionDynamicToStringParams",
  TableFunctionDynamicToStringRequestCodec,
);
export type TableFunctionDynamicToStringParams = Infer<
  typeof TableFunctionDynamicToStringParamsCodec
>;
export type TableFunctionDynamicToStringParamsInput = InferInput<
  typeof TableFunctionDynamicToStringParamsCodec
>;

export const TableFunctionPlanParamsCodec = requestParams(
  "TableFunctionPlanParams",
  TableFunctionPlanRequestCodec,
);
export type TableFunctionPlanParams = Infer<typeof TableFunctionPlanParamsCodec>;
export type TableFunctionPlanParamsInput = InferInput<typeof TableFunctionPlanParamsCodec>;

export const AggregateBindParamsCodec = requestParams(
  "AggregateBindParams",
  AggregateBindRequestCodec,
);
export type AggregateBindParams = Infer<typeof AggregateBindParamsCodec>;
export type AggregateBindParamsInput = InferInput<typeof AggregateBindParamsCodec>;

export const AggregateUpdateParamsCodec = requestParams(
  "AggregateUpdateParams",
  AggregateUpdateRequestCodec,
);
export type AggregateUpdateParams = Infer<typeof AggregateUpdateParamsCodec>;
export type AggregateUpdateParamsInput = InferInput<typeof AggregateUpdateParamsCodec>;

export const AggregateCombineParamsCodec = requestParams(
  "AggregateCombineParams",
  AggregateCombineRequestCodec,
);
export type AggregateCombineParams = Infer<typeof AggregateCombineParamsCodec>;
export type AggregateCombineParamsInput = InferInput<typeof AggregateCombineParamsCodec>;

export const AggregateFinalizeParamsCodec = requestParams(
  "AggregateFinalizeParams",
  AggregateFinalizeRequestCodec,
);
export type AggregateFinalizeParams = Infer<typeof AggregateFinalizeParamsCodec>;
export type AggregateFinalizeParamsInput = InferInput<typeof AggregateFinalizeParamsCodec>;

export const AggregateDestructorParamsCodec = requestParams(
  "AggregateDestructorParams",
  AggregateDestructorRequestCodec,
);
export type AggregateDestructorParams = Infer<typeof AggregateDestructorParamsCodec>;
export type AggregateDestructorParamsInput = InferInput<typeof AggregateDestructorParamsCodec>;

export const AggregateWindowInitParamsCodec = requestParams(
  "AggregateWindowInitParams",
  AggregateWindowInitRequestCodec,
);
export type AggregateWindowInitParams = Infer<typeof AggregateWindowInitParamsCodec>;
export type AggregateWindowInitParamsInput = InferInput<typeof AggregateWindowInitParamsCodec>;

export const AggregateWindowParamsCodec = requestParams(
  "AggregateWindowParams",
  AggregateWindowRequestCodec,
);
export type AggregateWindowParams = Infer<typeof AggregateWindowParamsCodec>;
export type AggregateWindowParamsInput = InferInput<typeof AggregateWindowParamsCodec>;

export const AggregateWindowBatchParamsCodec = requestParams(
  "AggregateWindowBatchParams",
  AggregateWindowBatchRequestCodec,
);
export type AggregateWindowBatchParams = Infer<typeof AggregateWindowBatchParamsCodec>;
export type AggregateWindowBatchParamsInput = InferInput<typeof AggregateWindowBatchParamsCodec>;

export const AggregateWindowDestructorParamsCodec = requestParams(
  "AggregateWindowDestructorParams",
  AggregateWindowDestructorRequestCodec,
);
export type AggregateWindowDestructorParams = Infer<typeof AggregateWindowDestructorParamsCodec>;
export type AggregateWindowDestructorParamsInput = InferInput<
  typeof AggregateWindowDestructorParamsCodec
>;

export const AggregateStreamingOpenParamsCodec = requestParams(
  "AggregateStreamingOpenParams",
  AggregateStreamingOpenRequestCodec,
);
export type AggregateStreamingOpenParams = Infer<typeof AggregateStreamingOpenParamsCodec>;
export type AggregateStreamingOpenParamsInput = InferInput<
  typeof AggregateStreamingOpenParamsCodec
>;

export const AggregateStreamingChunkParamsCodec = requestParams(
  "AggregateStreamingChunkParams",
  AggregateStreamingChunkRequestCodec,
);
export type AggregateStreamingChunkParams = Infer<typeof AggregateStreamingChunkParamsCodec>;
export type AggregateStreamingChunkParamsInput = InferInput<
  typeof AggregateStreamingChunkParamsCodec
>;

export const AggregateStreamingCloseParamsCodec = requestParams(
  "AggregateStreamingCloseParams",
  AggregateStreamingCloseRequestCodec,
);
export type AggregateStreamingCloseParams = Infer<typeof AggregateStreamingCloseParamsCodec>;
export type AggregateStreamingCloseParamsInput = InferInput<
  typeof AggregateStreamingCloseParamsCodec
>;

export const TableBufferingProcessParamsCodec = requestParams(
  "TableBufferingProcessParams",
  TableBufferingProcessRequestCodec,
);
export type TableBufferingProcessParams = Infer<typeof TableBufferingProcessParamsCodec>;
export type TableBufferingProcessParamsInput = InferInput<typeof TableBufferingProcessParamsCodec>;

export const TableBufferingCombineParamsCodec = requestParams(
  "TableBufferingCombineParams",
  TableBufferingCombineRequestCodec,
);
export type TableBufferingCombineParams = Infer<typeof TableBufferingCombineParamsCodec>;
export type TableBufferingCombineParamsInput = InferInput<typeof TableBufferingCombineParamsCodec>;

export const TableBufferingDestructorParamsCodec = requestParams(
  "TableBufferingDestructorParams",
  TableBufferingDestructorRequestCodec,
);
export type TableBufferingDestructorParams = Infer<typeof TableBufferingDestructorParamsCodec>;
export type TableBufferingDestructorParamsInput = InferInput<
  typeof TableBufferingDestructorParamsCodec
>;

export const CatalogAttachParamsCodec = requestParams(
  "CatalogAttachParams",
  CatalogAttachRequestCodec,
);
export type CatalogAttachParams = Infer<typeof CatalogAttachParamsCodec>;
export type CatalogAttachParamsInput = InferInput<typeof CatalogAttachParamsCodec>;

export const CatalogCreateParamsCodec = requestParams(
  "CatalogCreateParams",
  CatalogCreateRequestCodec,
);
export type CatalogCreateParams = Infer<typeof CatalogCreateParamsCodec>;
export type CatalogCreateParamsInput = InferInput<typeof CatalogCreateParamsCodec>;

export const CatalogTableCreateParamsCodec = requestParams(
  "CatalogTableCreateParams",
  TableCreateRequestCodec,
);
export type CatalogTableCreateParams = Infer<typeof CatalogTableCreateParamsCodec>;
export type CatalogTableCreateParamsInput = InferInput<typeof CatalogTableCreateParamsCodec>;

export const CatalogMacroCreateParamsCodec = requestParams(
  "CatalogMacroCreateParams",
  MacroCreateRequestCodec,
);
export type CatalogMacroCreateParams = Infer<typeof CatalogMacroCreateParamsCodec>;
export type CatalogMacroCreateParamsInput = InferInput<typeof CatalogMacroCreateParamsCodec>;

export const CatalogIndexCreateParamsCodec = requestParams(
  "CatalogIndexCreateParams",
  IndexCreateRequestCodec,
);
export type CatalogIndexCreateParams = Infer<typeof CatalogIndexCreateParamsCodec>;
export type CatalogIndexCreateParamsInput = InferInput<typeof CatalogIndexCreateParamsCodec>;
