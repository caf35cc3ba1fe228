/**
 * The decoded form of a `vgi.filters.v2` document: predicates over the bind output
 * columns, each a typed expression tree. Literal values stay Arrow (`data`, one row) so
 * evaluators compare buffers of the same type; `value` is the same value as a JS value
 * (the SQL type layer's reading) for renderers and generic code.
 */
import type { Data, DataType, Field } from "apache-arrow";

export const FILTER_ENCODING = "vgi.filters.v2";
export const FILTER_VERSION = "2";
/** The only semantic profile: DuckDB's own meaning of every operator. */
export const DUCKDB_STANDARD_V1 = "vgi.duckdb.standard.v1";
/** Evaluation needs no session state (no time zone, collation, ...). */
export const NO_EVALUATION_CONTEXT = "vgi.none.v1";
/** Evaluation depends on the DuckDB session (time zone, calendar, ...). */
export const DUCKDB_SESSION_CONTEXT = "vgi.duckdb.session.v1";
/** Tick metadata key carrying a base64 delta document (dynamic filters). */
export const DYNAMIC_FILTERS_KEY = "vgi_pushdown_filters";

export type ComparisonOp =
  "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "distinct_from" | "not_distinct_from";
export type ArithmeticOp = "add" | "subtract" | "multiply" | "divide" | "modulo";
/** `required`: the function must apply it; `advisory`: DuckDB filters again anyway. */
export type PredicateMode = "required" | "advisory";
export type PredicateSource = "query" | "join" | "top_n" | "split_refinement" | "other";
export type StandardFilterFunction = "starts_with" | "ends_with" | "contains" | "list_contains";

/** A namespaced extension function (`duckdb.spatial/intersects_extent@1`). */
export interface FilterFunctionIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly version: number;
}

export interface EvaluationContext {
  readonly profile: string;
  readonly timeZone?: string;
  readonly calendar?: string;
  readonly defaultCollation?: string;
  readonly ieeeFloatingPointOps?: boolean;
  readonly integerDivision?: boolean;
  readonly providerFingerprint?: string;
}

/** A value of a set: the element column of a literal list or of a join-key batch. */
export interface FilterSetValues {
  /** Element type and metadata. */
  readonly field: Field;
  /** The elements (one Arrow chunk; nulls possible). */
  readonly data: Data;
}

export type FilterSet =
  | ({ readonly kind: "literal"; readonly valueRef: number } & FilterSetValues)
  | ({
      readonly kind: "external";
      readonly batchIndex: number;
      readonly columnIndex: number;
      readonly columnName: string;
    } & FilterSetValues);

export type FilterExpression =
  | {
      readonly node: "column_ref";
      readonly columnIndex: number;
      readonly columnName: string;
      readonly field: Field;
    }
  | {
      readonly node: "field_ref";
      readonly expression: FilterExpression;
      readonly fieldIndex: number;
      readonly fieldName: string;
      readonly field: Field;
    }
  | {
      readonly node: "literal";
      readonly valueRef: number;
      readonly field: Field;
      /** The value as one Arrow row. */
      readonly data: Data;
      /** The value as the SQL type layer reads it (null for NULL). */
      readonly value: unknown;
    }
  | {
      readonly node: "comparison";
      readonly op: ComparisonOp;
      readonly left: FilterExpression;
      readonly right: FilterExpression;
    }
  | { readonly node: "and" | "or"; readonly children: readonly FilterExpression[] }
  | { readonly node: "not"; readonly expression: FilterExpression }
  | { readonly node: "is_null"; readonly expression: FilterExpression; readonly negated: boolean }
  | {
      readonly node: "in";
      readonly expression: FilterExpression;
      readonly set: FilterSet;
      readonly negated: boolean;
    }
  | {
      readonly node: "cast";
      readonly expression: FilterExpression;
      readonly typeRef: number;
      readonly field: Field;
    }
  | {
      readonly node: "arithmetic";
      readonly op: ArithmeticOp;
      readonly left: FilterExpression;
      readonly right: FilterExpression;
    }
  | { readonly node: "negate"; readonly expression: FilterExpression }
  | {
      readonly node: "call";
      readonly function: StandardFilterFunction | FilterFunctionIdentity;
      readonly arguments: readonly FilterExpression[];
    };

export interface FilterPredicate {
  readonly id: string;
  readonly revision: number;
  readonly mode: PredicateMode;
  readonly source: PredicateSource;
  readonly expression: FilterExpression;
}

/** What the worker advertised, which bounds what a document may use. */
export interface FilterCapabilities {
  readonly additionalFilterFunctions?: readonly FilterFunctionIdentity[];
  readonly evaluationContexts?: readonly {
    readonly profile: string;
    readonly providerFingerprint?: string | null;
  }[];
}

/** The live predicate state of one scan: a snapshot, then deltas applied in order. */
export interface FilterState {
  readonly predicates: readonly FilterPredicate[];
  readonly context: EvaluationContext;
  /** Highest revision seen per predicate id (removed ids included). */
  readonly revisions: ReadonlyMap<string, number>;
  /** Ids of the snapshot's required predicates: deltas may not touch them. */
  readonly requiredIds: ReadonlySet<string>;
}

export function filterFunctionKey(identity: FilterFunctionIdentity): string {
  return `${identity.namespace}/${identity.name}@${identity.version}`;
}

/** The type an expression yields when the tree alone fixes it (else undefined). */
export function expressionType(expression: FilterExpression): DataType | undefined {
  switch (expression.node) {
    case "column_ref":
    case "field_ref":
    case "literal":
    case "cast":
      return expression.field.type;
    default:
      return undefined;
  }
}
