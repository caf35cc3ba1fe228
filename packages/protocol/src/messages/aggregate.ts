/**
 * Aggregate functions: requests for the grouped (bind/update/combine/finalize/
 * destructor), window and streaming-window lifecycles, and their results.
 */
import {
  binary,
  defineMessage,
  int64,
  list,
  utf8,
  type Infer,
  type InferInput,
} from "../codec/index.js";
import { schemaPath } from "./common.js";

/** Every aggregate request ends with these two, in this order. */
const scope = {
  attachOpaqueData: binary.nullable(),
  schemaPath: schemaPath.nullable(),
} as const;

/** An aggregate call after bind: which function, which execution. */
const execution = { functionName: utf8, executionId: binary } as const;

export const AggregateBindRequestCodec = defineMessage("AggregateBindRequest", {
  functionName: utf8,
  arguments: binary,
  inputSchema: binary.nullable(),
  settings: binary.nullable(),
  secrets: binary.nullable(),
  ...scope,
  argumentNames: list(utf8.nullable()).nullable(),
});
export type AggregateBindRequest = Infer<typeof AggregateBindRequestCodec>;
export type AggregateBindRequestInput = InferInput<typeof AggregateBindRequestCodec>;

export const AggregateUpdateRequestCodec = defineMessage("AggregateUpdateRequest", {
  ...execution,
  inputBatch: binary,
  ...scope,
});
export type AggregateUpdateRequest = Infer<typeof AggregateUpdateRequestCodec>;
export type AggregateUpdateRequestInput = InferInput<typeof AggregateUpdateRequestCodec>;

export const AggregateCombineRequestCodec = defineMessage("AggregateCombineRequest", {
  ...execution,
  mergeBatch: binary,
  ...scope,
});
export type AggregateCombineRequest = Infer<typeof AggregateCombineRequestCodec>;
export type AggregateCombineRequestInput = InferInput<typeof AggregateCombineRequestCodec>;

export const AggregateFinalizeRequestCodec = defineMessage("AggregateFinalizeRequest", {
  ...execution,
  groupIdsBatch: binary,
  outputSchema: binary,
  ...scope,
});
export type AggregateFinalizeRequest = Infer<typeof AggregateFinalizeRequestCodec>;
export type AggregateFinalizeRequestInput = InferInput<typeof AggregateFinalizeRequestCodec>;

export const AggregateDestructorRequestCodec = defineMessage("AggregateDestructorRequest", {
  ...execution,
  groupIdsBatch: binary,
  ...scope,
});
export type AggregateDestructorRequest = Infer<typeof AggregateDestructorRequestCodec>;
export type AggregateDestructorRequestInput = InferInput<typeof AggregateDestructorRequestCodec>;

export const AggregateWindowInitRequestCodec = defineMessage("AggregateWindowInitRequest", {
  ...execution,
  partitionId: int64,
  rowCount: int64,
  partitionBatch: binary,
  outputSchema: binary,
  filterMask: binary,
  frameStats: binary,
  allValid: binary,
  ...scope,
});
export type AggregateWindowInitRequest = Infer<typeof AggregateWindowInitRequestCodec>;
export type AggregateWindowInitRequestInput = InferInput<typeof AggregateWindowInitRequestCodec>;

export const AggregateWindowRequestCodec = defineMessage("AggregateWindowRequest", {
  ...execution,
  partitionId: int64,
  rid: int64,
  frameStarts: list(int64),
  frameEnds: list(int64),
  ...scope,
});
export type AggregateWindowRequest = Infer<typeof AggregateWindowRequestCodec>;
export type AggregateWindowRequestInput = InferInput<typeof AggregateWindowRequestCodec>;

export const AggregateWindowBatchRequestCodec = defineMessage("AggregateWindowBatchRequest", {
  ...execution,
  partitionId: int64,
  rowIdx: int64,
  count: int64,
  framesPerRow: list(int64),
  frameStarts: list(int64),
  frameEnds: list(int64),
  ...scope,
});
export type AggregateWindowBatchRequest = Infer<typeof AggregateWindowBatchRequestCodec>;
export type AggregateWindowBatchRequestInput = InferInput<typeof AggregateWindowBatchRequestCodec>;

export const AggregateWindowDestructorRequestCodec = defineMessage(
  "AggregateWindowDestructorRequest",
  {
    ...execution,
    partitionId: int64,
    ...scope,
  },
);
export type AggregateWindowDestructorRequest = Infer<typeof AggregateWindowDestructorRequestCodec>;
export type AggregateWindowDestructorRequestInput = InferInput<
  typeof AggregateWindowDestructorRequestCodec
>;

export const AggregateStreamingOpenRequestCodec = defineMessage("AggregateStreamingOpenRequest", {
  functionName: utf8,
  arguments: binary,
  inputSchema: binary,
  partitionKeyCount: int64,
  orderKeyCount: int64,
  outputSchema: binary,
  settings: binary.nullable(),
  secrets: binary.nullable(),
  ...scope,
});
export type AggregateStreamingOpenRequest = Infer<typeof AggregateStreamingOpenRequestCodec>;
export type AggregateStreamingOpenRequestInput = InferInput<
  typeof AggregateStreamingOpenRequestCodec
>;

export const AggregateStreamingChunkRequestCodec = defineMessage("AggregateStreamingChunkRequest", {
  ...execution,
  inputBatch: binary,
  ...scope,
});
export type AggregateStreamingChunkRequest = Infer<typeof AggregateStreamingChunkRequestCodec>;
export type AggregateStreamingChunkRequestInput = InferInput<
  typeof AggregateStreamingChunkRequestCodec
>;

export const AggregateStreamingCloseRequestCodec = defineMessage("AggregateStreamingCloseRequest", {
  ...execution,
  ...scope,
});
export type AggregateStreamingCloseRequest = Infer<typeof AggregateStreamingCloseRequestCodec>;
export type AggregateStreamingCloseRequestInput = InferInput<
  typeof AggregateStreamingCloseRequestCodec
>;

// ---- results (carried in the `result` column; empty ones are 1-row, 0-column) ----

export const AggregateBindResultCodec = defineMessage("AggregateBindResult", {
  outputSchema: binary,
  executionId: binary,
});
export type AggregateBindResult = Infer<typeof AggregateBindResultCodec>;
export type AggregateBindResultInput = InferInput<typeof AggregateBindResultCodec>;

/** One serialized result batch: finalize, window, window batch, streaming chunk. */
const resultBatch = { resultBatch: binary } as const;

export const AggregateFinalizeResultCodec = defineMessage("AggregateFinalizeResult", resultBatch);
export type AggregateFinalizeResult = Infer<typeof AggregateFinalizeResultCodec>;
export type AggregateFinalizeResultInput = InferInput<typeof AggregateFinalizeResultCodec>;

export const AggregateWindowResultCodec = defineMessage("AggregateWindowResult", resultBatch);
export type AggregateWindowResult = Infer<typeof AggregateWindowResultCodec>;
export type AggregateWindowResultInput = InferInput<typeof AggregateWindowResultCodec>;

export const AggregateWindowBatchResultCodec = defineMessage(
  "AggregateWindowBatchResult",
  resultBatch,
);
export type AggregateWindowBatchResult = Infer<typeof AggregateWindowBatchResultCodec>;
export type AggregateWindowBatchResultInput = InferInput<typeof AggregateWindowBatchResultCodec>;

export const AggregateStreamingChunkResultCodec = defineMessage(
  "AggregateStreamingChunkResult",
  resultBatch,
);
export type AggregateStreamingChunkResult = Infer<typeof AggregateStreamingChunkResultCodec>;
export type AggregateStreamingChunkResultInput = InferInput<
  typeof AggregateStreamingChunkResultCodec
>;

export const AggregateStreamingOpenResultCodec = defineMessage("AggregateStreamingOpenResult", {
  executionId: binary,
});
export type AggregateStreamingOpenResult = Infer<typeof AggregateStreamingOpenResultCodec>;
export type AggregateStreamingOpenResultInput = InferInput<
  typeof AggregateStreamingOpenResultCodec
>;

export const AggregateUpdateResultCodec = defineMessage("AggregateUpdateResult", {});
export const AggregateCombineResultCodec = defineMessage("AggregateCombineResult", {});
export const AggregateDestructorResultCodec = defineMessage("AggregateDestructorResult", {});
export const AggregateWindowInitResultCodec = defineMessage("AggregateWindowInitResult", {});
export const AggregateWindowDestructorResultCodec = defineMessage(
  "AggregateWindowDestructorResult",
  {},
);
export const AggregateStreamingCloseResultCodec = defineMessage(
  "AggregateStreamingCloseResult",
  {},
);
