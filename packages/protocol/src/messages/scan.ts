/**
 * How a catalog table is scanned: the function to call (`ScanFunctionResult`), the
 * physical sources behind it (`ScanBranch`), and units of planned work (`ScanSplit`).
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
} from "../codec/index.js";
import { schemaPath } from "./common.js";

export const ScanFunctionResultCodec = defineMessage("ScanFunctionResult", {
  functionName: utf8,
  arguments: binary,
  requiredExtensions: list(utf8),
  schemaPath: schemaPath.nullable(),
});
export type ScanFunctionResult = Infer<typeof ScanFunctionResultCodec>;
export type ScanFunctionResultInput = InferInput<typeof ScanFunctionResultCodec>;

export const ScanBranchCodec = defineMessage("ScanBranch", {
  functionName: utf8,
  arguments: binary,
  branchFilter: utf8.nullable(),
  writable: bool,
  sourceCatalog: utf8.nullable(),
  sourceSchemaPath: schemaPath.nullable(),
  sourceTable: utf8.nullable(),
  formatName: utf8.nullable(),
  formatLocations: list(utf8).nullable(),
  formatOptions: binary.nullable(),
  schemaPath: schemaPath.nullable(),
});
export type ScanBranch = Infer<typeof ScanBranchCodec>;
export type ScanBranchInput = InferInput<typeof ScanBranchCodec>;

/** Each branch travels as its own `ScanBranch` IPC stream. */
export const ScanBranchesResultCodec = defineMessage("ScanBranchesResult", {
  branches: list(nested(ScanBranchCodec)),
  requiredExtensions: list(utf8),
});
export type ScanBranchesResult = Infer<typeof ScanBranchesResultCodec>;
export type ScanBranchesResultInput = InferInput<typeof ScanBranchesResultCodec>;

export const ScanSplitCodec = defineMessage("ScanSplit", {
  payload: binary,
  token: binary,
  estimatedRows: int64.nullable(),
  rowsExact: bool,
  estimatedBytes: int64.nullable(),
  partitionBounds: binary.nullable(),
  columnStatistics: binary.nullable(),
  locationIds: list(int64).nullable(),
  startPosition: binary.nullable(),
  endPosition: binary.nullable(),
});
export type ScanSplit = Infer<typeof ScanSplitCodec>;
export type ScanSplitInput = InferInput<typeof ScanSplitCodec>;
