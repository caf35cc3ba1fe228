/**
 * Building the `TableCall` a table function's hooks see from a bind call: arguments by
 * name (positional, varargs, named with defaults), the bind's context, and the scan's
 * parts (columns, pushdown, filters, splits). Filters may be replaced by a tick's
 * delta, so `filters` and the row ids derived from them are read through getters.
 */
import type { Field } from "apache-arrow";
import { decodeSingleBatch, type CacheValidators } from "@vgi-ts/protocol";
import type { PushdownFilters } from "../filters/pushdown-filters.js";
import { rowIdSelection, type RowIdSelection } from "../filters/row-id-selection.js";
import type { BindCall } from "./bind-call.js";
import type { TableFunctionDefinition } from "./table-function-definition.js";
import type {
  FilterHolder,
  TableArgument,
  TableCall,
  TableExecution,
  TablePushdown,
} from "./table-call.js";

/** The scan-time parts of a table call (all empty at bind). */
export interface TableCallParts {
  readonly columns: readonly string[];
  readonly pushdown: TablePushdown;
  readonly cacheValidators: CacheValidators;
  readonly execution: TableExecution | null;
  readonly filters: FilterHolder;
  readonly rowIdColumn: string | null;
  readonly splits: readonly unknown[] | null;
}

export function buildTableCall<S>(
  definition: TableFunctionDefinition<S>,
  call: BindCall,
  parts: TableCallParts,
): TableCall {
  const { columns, pushdown, cacheValidators, execution, filters, rowIdColumn, splits } = parts;
  const args: Record<string, unknown> = {};
  const specs = definition.arguments.filter((arg) => arg.named !== true);
  specs.forEach((spec, index) => {
    args[spec.name] =
      spec.varargs === true ? call.positional.slice(index) : (call.positional[index] ?? null);
  });
  for (const spec of definition.arguments.filter((arg) => arg.named === true)) {
    const value = call.named.get(spec.name.toLowerCase());
    args[spec.name] = value === undefined ? (spec.default ?? null) : value;
  }
  let argumentColumns: readonly TableArgument[] | undefined;
  // Recomputed only when a tick's delta replaced the filters.
  let rowIds: { of: PushdownFilters | null; selection: RowIdSelection | null } | undefined;
  return {
    functionName: definition.name,
    args,
    argumentTypes: call.positionalTypes,
    settings: call.settings,
    secrets: call.secrets,
    attachOptions: call.attachOptions,
    at: call.at,
    attachId: call.attachId,
    transactionId: call.transactionId,
    columns,
    get argumentColumns() {
      return (argumentColumns ??= positionalArguments(call));
    },
    pushdown,
    cacheValidators,
    execution,
    splits,
    get filters() {
      return filters.current;
    },
    get rowIds() {
      if (rowIdColumn === null) return null;
      if (rowIds?.of !== filters.current) {
        rowIds = {
          of: filters.current,
          selection: rowIdSelection(filters.current, rowIdColumn),
        };
      }
      return rowIds.selection;
    },
    attach: call.attach,
    transaction: call.transaction,
  };
}

/** The positional argument columns of a bind request, with their fields. */
function positionalArguments(call: BindCall): TableArgument[] {
  const batch = decodeSingleBatch(call.request.arguments, "BindRequest.arguments");
  const struct = batch.getChild("args");
  if (struct === null || struct.length === 0) return [];
  const out: TableArgument[] = [];
  struct.type.children.forEach((field: Field, index: number) => {
    if (!field.name.startsWith("named_")) out.push({ field, column: struct.getChildAt(index)! });
  });
  return out;
}
