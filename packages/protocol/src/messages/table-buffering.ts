/**
 * Table-buffering functions: process input batches into states, combine states,
 * tear down. Requests and their results.
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

const execution = { functionName: utf8, executionId: binary } as const;

export const TableBufferingProcessRequestCodec = defineMessage("TableBufferingProcessRequest", {
  ...execution,
  inputBatch: binary,
  attachOpaqueData: binary.nullable(),
  transactionId: binary.nullable(),
  batchIndex: int64.nullable(),
  schemaPath: schemaPath.nullable(),
});
export type TableBufferingProcessRequest = Infer<typeof TableBufferingProcessRequestCodec>;
export type TableBufferingProcessRequestInput = InferInput<
  typeof TableBufferingProcessRequestCodec
>;

export const TableBufferingCombineRequestCodec = defineMessage("TableBufferingCombineRequest", {
  ...execution,
  stateIds: list(binary),
  attachOpaqueData: binary.nullable(),
  transactionId: binary.nullable(),
  schemaPath: schemaPath.nullable(),
});
export type TableBufferingCombineRequest = Infer<typeof TableBufferingCombineRequestCodec>;
export type TableBufferingCombineRequestInput = InferInput<
  typeof TableBufferingCombineRequestCodec
>;

export const TableBufferingDestructorRequestCodec = defineMessage(
  "TableBufferingDestructorRequest",
  {
    ...execution,
    attachOpaqueData: binary.nullable(),
    transactionId: binary.nullable(),
    schemaPath: schemaPath.nullable(),
  },
);
export type TableBufferingDestructorRequest = Infer<typeof TableBufferingDestructorRequestCodec>;
export type TableBufferingDestructorRequestInput = InferInput<
  typeof TableBufferingDestructorRequestCodec
>;

export const TableBufferingProcessResultCodec = defineMessage("TableBufferingProcessResult", {
  stateId: binary,
});
export type TableBufferingProcessResult = Infer<typeof TableBufferingProcessResultCodec>;
export type TableBufferingProcessResultInput = InferInput<typeof TableBufferingProcessResultCodec>;

export const TableBufferingCombineResultCodec = defineMessage("TableBufferingCombineResult", {
  finalizeStateIds: list(binary),
});
export type TableBufferingCombineResult = Infer<typeof TableBufferingCombineResultCodec>;
export type TableBufferingCombineResultInput = InferInput<typeof TableBufferingCombineResultCodec>;

export const TableBufferingDestructorResultCodec = defineMessage(
  "TableBufferingDestructorResult",
  {},
);
