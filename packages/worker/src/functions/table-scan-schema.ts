/**
 * The schemas of one table, table-in-out or table-buffering stream: declared columns as
 * a schema, the projected output (projection pushdown), the decoded filters, and what
 * `produce` is asked for when the runtime applies the pushed filters itself (the output
 * plus the columns only a predicate reads).
 */
import { Field, Schema } from "apache-arrow";
import { ErrorKind, VgiError, type InitRequest } from "@vgi-ts/protocol";
import { PushdownFilters } from "../filters/pushdown-filters.js";
import type { TableColumns } from "./table-call.js";
import type { TableFunctionDefinition } from "./table-function-definition.js";

/** The parts of a definition that decide a scan's schemas. */
type ScanShape = Pick<
  TableFunctionDefinition<unknown>,
  | "filterPushdown"
  | "projectionPushdown"
  | "autoApplyFilters"
  | "additionalFilterFunctions"
  | "filterEvaluationContexts"
>;

export function asSchema(columns: TableColumns | Schema): Schema {
  return columns instanceof Schema ? columns : columnsSchema(columns);
}

/** Declared output columns as a schema (types' extension metadata on the fields). */
export function columnsSchema(columns: TableColumns): Schema {
  return new Schema(
    Object.entries(columns).map(
      ([name, type]) => new Field(name, type.arrowType(), true, new Map(type.metadata?.() ?? [])),
    ),
  );
}

/** The request's filters, decoded against the unprojected bind schema. */
export function scanFilters(
  definition: Pick<
    ScanShape,
    "filterPushdown" | "additionalFilterFunctions" | "filterEvaluationContexts"
  >,
  init: Pick<InitRequest, "pushdownFilters" | "joinKeys">,
  full: Schema,
): PushdownFilters | null {
  if (definition.filterPushdown !== true || init.pushdownFilters === null) return null;
  return PushdownFilters.decode(init.pushdownFilters, {
    outputSchema: full,
    joinKeys: init.joinKeys,
    additionalFilterFunctions: definition.additionalFilterFunctions ?? [],
    evaluationContexts: definition.filterEvaluationContexts ?? [],
  });
}

/**
 * What `produce` is asked for: the output columns plus, when the runtime applies the
 * filters, the columns they read (in bind order), so the mask can be computed.
 */
export function producedSchema(
  definition: ScanShape,
  full: Schema,
  output: Schema,
  filters: PushdownFilters | null,
): Schema {
  if (definition.autoApplyFilters !== true || filters === null) return output;
  const wanted = new Set(output.fields.map((f) => f.name));
  const extra = new Set(filters.filteredColumns().filter((name) => !wanted.has(name)));
  // Columns only a predicate reads may be missing from the projection.
  if (extra.size === 0) return output;
  return new Schema(
    [...output.fields, ...full.fields.filter((f) => extra.has(f.name))],
    full.metadata,
  );
}

/** With projection pushdown the stream carries only the projected columns, in that order. */
export function projectedSchema(
  definition: Pick<ScanShape, "projectionPushdown">,
  full: Schema,
  projectionIds: readonly bigint[] | null,
): Schema {
  if (definition.projectionPushdown !== true || projectionIds === null) return full;
  return new Schema(
    projectionIds.map((id) => {
      const field = full.fields[Number(id)];
      if (field === undefined) {
        throw new VgiError(
          ErrorKind.MalformedRequest,
          `projection id ${id} is outside the ${full.fields.length} output columns`,
        );
      }
      return field;
    }),
    full.metadata,
  );
}
