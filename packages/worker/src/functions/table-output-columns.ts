/**
 * The output-column rules of a table function's definition: what the constructor
 * refuses (partition columns without a kind, late materialization without the
 * pushdowns it relies on, partition or row id columns that are not output columns) and
 * how a decided output schema is marked with the partition and row id columns DuckDB
 * reads from field metadata. Both follow from the definition alone.
 */
import { Field, Schema } from "apache-arrow";
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import { ROW_ID_KEY } from "../filters/row-id-selection.js";
import { markPartitionColumns } from "./partition-values.js";
import type { TableFunctionDefinition } from "./table-function-definition.js";

/** Refuse a definition whose column declarations contradict each other. */
export function checkTableFunctionDefinition<S>(definition: TableFunctionDefinition<S>): void {
  const kind = definition.partitionKind;
  const partitionColumns = definition.partitionColumns ?? [];
  if ((kind === undefined) !== (partitionColumns.length === 0)) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `table function ${definition.name}: partitionKind and partitionColumns go together`,
    );
  }
  if (
    definition.lateMaterialization === true &&
    (definition.filterPushdown !== true || definition.projectionPushdown !== true)
  ) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `table function ${definition.name}: lateMaterialization needs filterPushdown and projectionPushdown`,
    );
  }
  const { columns } = definition;
  if (typeof columns !== "function") {
    const names = new Set(Object.keys(columns).map((n) => n.toLowerCase()));
    const unknown = partitionColumns.filter((c) => !names.has(c.toLowerCase()));
    if (unknown.length > 0) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `table function ${definition.name}: partition column ${unknown.join(", ")} is not an output column`,
      );
    }
    const rowId = definition.rowIdColumn;
    if (rowId !== undefined && !names.has(rowId.toLowerCase())) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `table function ${definition.name}: row id column ${rowId} is not an output column`,
      );
    }
  }
}

/** Partition and row id columns marked in a decided output schema. */
export function markOutputColumns<S>(
  definition: TableFunctionDefinition<S>,
  schema: Schema,
): Schema {
  const marked = markPartitionColumns(schema, definition.partitionColumns ?? []);
  const rowId = definition.rowIdColumn?.toLowerCase();
  if (rowId === undefined) return marked;
  return new Schema(
    marked.fields.map((f) =>
      f.name.toLowerCase() === rowId
        ? new Field(f.name, f.type, f.nullable, new Map([...f.metadata, [ROW_ID_KEY, ""]]))
        : f,
    ),
    marked.metadata,
  );
}
