/**
 * `FunctionInfo`: one function as listed by the catalog — the biggest VGI message,
 * and the one listed by the thousand, so it gets its own file.
 */
import {
  binary,
  bool,
  defineMessage,
  int32,
  int64,
  list,
  struct,
  uint64,
  utf8,
  type Infer,
  type InferField,
  type InferInput,
} from "../codec/index.js";
import { schemaObject } from "./common.js";
import {
  ArgumentMonotonicity,
  DistinctDependence,
  FunctionStability,
  FunctionType,
  NullHandling,
  OrderDependence,
  OrderPreservation,
  PartitionKind,
} from "./enums.js";

export const CatalogExample = struct({
  sql: utf8,
  description: utf8,
  expectedOutput: utf8.nullable(),
});
export type CatalogExample = InferField<typeof CatalogExample>;

/** A versioned, namespaced capability (filter functions, runtime filter algorithms). */
const capability = { namespace: utf8, name: utf8, version: uint64 } as const;

export const FilterFunctionCapability = struct(capability);
export type FilterFunctionCapability = InferField<typeof FilterFunctionCapability>;

export const RuntimeFilterAlgorithmCapability = struct(capability);
export type RuntimeFilterAlgorithmCapability = InferField<typeof RuntimeFilterAlgorithmCapability>;

export const EvaluationContextCapability = struct({
  profile: utf8,
  providerFingerprint: utf8.nullable(),
});
export type EvaluationContextCapability = InferField<typeof EvaluationContextCapability>;

export const SecretLookupEntry = struct({
  secretType: utf8,
  scope: utf8.nullable(),
  secretName: utf8.nullable(),
});
export type SecretLookupEntry = InferField<typeof SecretLookupEntry>;

export const FunctionInfoCodec = defineMessage("FunctionInfo", {
  ...schemaObject,
  functionType: FunctionType,
  arguments: binary,
  outputSchema: binary,
  parameterDefaultValues: binary.nullable(),
  stability: FunctionStability.nullable(),
  nullHandling: NullHandling.nullable(),
  argumentMonotonicity: list(ArgumentMonotonicity).nullable(),
  description: utf8,
  examples: list(CatalogExample),
  categories: list(utf8),
  projectionPushdown: bool.nullable(),
  filterPushdown: bool.nullable(),
  samplingPushdown: bool.nullable(),
  lateMaterialization: bool.nullable(),
  filterSemanticProfiles: list(utf8),
  additionalFilterFunctions: list(FilterFunctionCapability),
  runtimeFilterAlgorithms: list(RuntimeFilterAlgorithmCapability),
  filterEvaluationContexts: list(EvaluationContextCapability),
  orderPreservation: OrderPreservation.nullable(),
  maxWorkers: int32.nullable(),
  supportsBatchIndex: bool,
  supportsSplits: bool,
  filtersExactlyApplied: bool,
  supportsPositions: bool,
  splitTokenTtlSeconds: int64.nullable(),
  partitionKind: PartitionKind,
  orderDependent: OrderDependence,
  distinctDependent: DistinctDependence,
  supportsWindow: bool,
  streamingPartitioned: bool,
  hasFinalize: bool,
  sourceOrderDependent: bool,
  sinkOrderDependent: bool,
  requiresInputBatchIndex: bool,
  inputFromArgs: bool,
  requiredSettings: list(utf8),
  requiredSecrets: list(SecretLookupEntry),
});
export type FunctionInfo = Infer<typeof FunctionInfoCodec>;
export type FunctionInfoInput = InferInput<typeof FunctionInfoCodec>;
