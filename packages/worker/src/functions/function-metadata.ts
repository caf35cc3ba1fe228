/**
 * What a function author can say about a function beyond its signature, and the
 * `FunctionInfo` row built from it. Fields a kind does not use get the values the
 * extension expects for "not applicable" (empty lists, false, null).
 */
import {
  DUCKDB_STANDARD_V1,
  ErrorKind,
  VgiError,
  encodeSchema,
  type FilterFunctionIdentity,
  type FunctionInfoInput,
  type FunctionStability,
  type FunctionType,
  type NullHandling,
} from "@vgi-ts/protocol";
import type { Schema } from "apache-arrow";

export interface FunctionExample {
  readonly sql: string;
  readonly description?: string;
  readonly expectedOutput?: string;
}

export interface SecretRequirement {
  readonly secretType: string;
  readonly scope?: string;
  readonly secretName?: string;
}

export interface FunctionMetadata {
  readonly description?: string;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly examples?: readonly FunctionExample[];
  readonly categories?: readonly string[];
  /** `consistent` (default), `volatile` (never deduplicated or cached), or per-query. */
  readonly stability?: "consistent" | "volatile" | "consistent_within_query";
  /** `default`: DuckDB folds constant NULL arguments to NULL; `special`: always called. */
  readonly nullHandling?: "default" | "special";
  readonly requiredSettings?: readonly string[];
  readonly requiredSecrets?: readonly SecretRequirement[];
  /** Table functions: produce only the columns the query needs (`call.columns`). */
  readonly projectionPushdown?: boolean;
  /**
   * Table functions: DuckDB may push WHERE predicates (and join keys, Top-N bounds) to
   * the scan, decoded in `call.filters`. Required predicates are then not applied by
   * DuckDB again: apply them (or set `autoApplyFilters`).
   */
  readonly filterPushdown?: boolean;
  /** Filter meanings understood; only `vgi.duckdb.standard.v1` exists (the default). */
  readonly filterSemanticProfiles?: readonly string[];
  /** Namespaced filter functions beyond the standard ones (`duckdb.spatial/intersects_extent@1`). */
  readonly additionalFilterFunctions?: readonly FilterFunctionIdentity[];
  /** Evaluation contexts accepted besides `vgi.none.v1` (e.g. `vgi.duckdb.session.v1`). */
  readonly filterEvaluationContexts?: readonly {
    readonly profile: string;
    readonly providerFingerprint?: string | null;
  }[];
  /** The function applies every pushed predicate exactly (DuckDB may then skip its own check). */
  readonly filtersExactlyApplied?: boolean;
  /** Aggregates: the result depends on input order (DuckDB then honours ORDER BY in the call). */
  readonly orderDependent?: boolean;
  /** Aggregates: duplicates change the result (DuckDB then honours DISTINCT in the call). */
  readonly distinctDependent?: boolean;
}

const STABILITY: Record<NonNullable<FunctionMetadata["stability"]>, FunctionStability> = {
  consistent: "CONSISTENT",
  volatile: "VOLATILE",
  consistent_within_query: "CONSISTENT_WITHIN_QUERY",
};

const NULL_HANDLING: Record<NonNullable<FunctionMetadata["nullHandling"]>, NullHandling> = {
  default: "DEFAULT",
  special: "SPECIAL",
};

export interface FunctionInfoParts {
  readonly name: string;
  readonly functionType: FunctionType;
  readonly arguments: Schema;
  readonly outputSchema: Schema;
  readonly metadata: FunctionMetadata;
  /** Aggregates: offers the window / streaming-partitioned OVER paths. */
  readonly supportsWindow?: boolean;
  readonly streamingPartitioned?: boolean;
}

export function buildFunctionInfo(
  parts: FunctionInfoParts,
  schemaPath: readonly string[],
): FunctionInfoInput {
  const { metadata } = parts;
  return {
    comment: metadata.comment ?? null,
    tags: new Map(Object.entries(metadata.tags ?? {})),
    name: parts.name,
    schemaPath: [...schemaPath],
    functionType: parts.functionType,
    arguments: encodeSchema(parts.arguments),
    outputSchema: encodeSchema(parts.outputSchema),
    parameterDefaultValues: null,
    stability: STABILITY[metadata.stability ?? "consistent"],
    nullHandling: NULL_HANDLING[metadata.nullHandling ?? "default"],
    argumentMonotonicity: null,
    description: metadata.description ?? "",
    examples: (metadata.examples ?? []).map((example) => ({
      sql: example.sql,
      description: example.description ?? "",
      expectedOutput: example.expectedOutput ?? null,
    })),
    categories: [...(metadata.categories ?? [])],
    projectionPushdown: metadata.projectionPushdown ?? null,
    filterPushdown: metadata.filterPushdown === true ? true : null,
    samplingPushdown: null,
    lateMaterialization: null,
    filterSemanticProfiles: filterProfiles(metadata),
    additionalFilterFunctions: (metadata.additionalFilterFunctions ?? []).map((f) => ({
      namespace: f.namespace,
      name: f.name,
      version: BigInt(f.version),
    })),
    runtimeFilterAlgorithms: [],
    filterEvaluationContexts: (metadata.filterEvaluationContexts ?? []).map((c) => ({
      profile: c.profile,
      providerFingerprint: c.providerFingerprint ?? null,
    })),
    orderPreservation: null,
    maxWorkers: null,
    supportsBatchIndex: false,
    supportsSplits: false,
    filtersExactlyApplied: metadata.filtersExactlyApplied === true,
    supportsPositions: false,
    splitTokenTtlSeconds: null,
    partitionKind: "NOT_PARTITIONED",
    orderDependent: metadata.orderDependent === true ? "ORDER_DEPENDENT" : "NOT_ORDER_DEPENDENT",
    distinctDependent:
      metadata.distinctDependent === true ? "DISTINCT_DEPENDENT" : "NOT_DISTINCT_DEPENDENT",
    supportsWindow: parts.supportsWindow ?? false,
    streamingPartitioned: parts.streamingPartitioned ?? false,
    hasFinalize: false,
    sourceOrderDependent: false,
    sinkOrderDependent: false,
    requiresInputBatchIndex: false,
    inputFromArgs: false,
    requiredSettings: [...(metadata.requiredSettings ?? [])],
    requiredSecrets: (metadata.requiredSecrets ?? []).map((secret) => ({
      secretType: secret.secretType,
      scope: secret.scope ?? null,
      secretName: secret.secretName ?? null,
    })),
  };
}

/** The semantic profiles a function advertises: the standard one when it takes filters. */
function filterProfiles(metadata: FunctionMetadata): string[] {
  const declared = metadata.filterSemanticProfiles;
  if (declared === undefined) return metadata.filterPushdown === true ? [DUCKDB_STANDARD_V1] : [];
  for (const profile of declared) {
    if (profile !== DUCKDB_STANDARD_V1) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `filter semantic profile ${profile} is unknown (only ${DUCKDB_STANDARD_V1})`,
      );
    }
  }
  return [...declared];
}
