/**
 * Results of `bind` and the table-function side calls. Each is the message carried,
 * as IPC bytes, in the `result` column of the method's response (see methods.ts).
 */
import {
  binary,
  defineMessage,
  int64,
  list,
  nested,
  utf8,
  type Infer,
  type InferInput,
} from "../codec/index.js";
import { ScanSplitCodec } from "./scan.js";

export const BindResultCodec = defineMessage("BindResult", {
  outputSchema: binary,
  opaqueData: binary.nullable(),
  lookupSecretTypes: list(utf8),
  lookupScopes: list(utf8),
  lookupNames: list(utf8),
});
export type BindResult = Infer<typeof BindResultCodec>;
export type BindResultInput = InferInput<typeof BindResultCodec>;

export const TableFunctionCardinalityResultCodec = defineMessage("TableFunctionCardinalityResult", {
  estimate: int64.nullable(),
  max: int64.nullable(),
});
export type TableFunctionCardinalityResult = Infer<typeof TableFunctionCardinalityResultCodec>;
export type TableFunctionCardinalityResultInput = InferInput<
  typeof TableFunctionCardinalityResultCodec
>;

/** Ordered key/value pairs as two parallel lists (order is significant, so no map). */
export const TableFunctionDynamicToStringResultCodec = defineMessage(
  "TableFunctionDynamicToStringResult",
  {
    keys: list(utf8),
    values: list(utf8),
  },
);
export type TableFunctionDynamicToStringResult = Infer<
  typeof TableFunctionDynamicToStringResultCodec
>;
export type TableFunctionDynamicToStringResultInput = InferInput<
  typeof TableFunctionDynamicToStringResultCodec
>;

export const TableFunctionPlanResultCodec = defineMessage("TableFunctionPlanResult", {
  splits: list(nested(ScanSplitCodec)),
  nextCursors: list(binary).nullable(),
  executionId: binary.nullable(),
  initOpaqueData: binary.nullable(),
  maxWorkers: int64.nullable(),
  estimatedTotalSplits: int64.nullable(),
  estimatedTotalRows: int64.nullable(),
  estimatedTotalBytes: int64.nullable(),
  catalogVersion: int64.nullable(),
  scope: utf8,
  locations: list(utf8).nullable(),
  partitioning: list(binary).nullable(),
  sortOrder: list(binary).nullable(),
  cacheMaxAgeSeconds: int64.nullable(),
  startPosition: binary.nullable(),
  endPosition: binary.nullable(),
});
export type TableFunctionPlanResult = Infer<typeof TableFunctionPlanResultCodec>;
export type TableFunctionPlanResultInput = InferInput<typeof TableFunctionPlanResultCodec>;
