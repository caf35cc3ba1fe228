/**
 * The `in` node: `x [NOT] IN set`, where the set is either a literal LIST payload column
 * (`value_N`, one row) or an external join-key column of the init request's `join_keys`
 * batches (how DuckDB pushes a join's build side). Either way the set is checked against
 * the IN-set size limit and kept as Arrow data for the worker's kernels.
 */
import { DataType, type Field } from "apache-arrow";
import { FilterDecodeError } from "./filter-errors.js";
import type { FilterExpression, FilterSet } from "./filter-tree.js";
import { boolean, exactKeys, object, string, uint, type JsonObject } from "./json-shape.js";
import type { NodeScope } from "./node-scope.js";

export function parseIn(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression", "set", "negated"], "in");
  const raw = object(value.set, "in.set");
  let set: FilterSet;
  if (raw.kind === "literal") set = literalSet(raw, scope);
  else if (raw.kind === "external") set = externalSet(raw, scope);
  else throw new FilterDecodeError(`unknown IN set kind ${JSON.stringify(raw.kind)}`);
  return {
    node: "in",
    expression: scope.child(value.expression),
    set,
    negated: boolean(value.negated, "in.negated"),
  };
}

/** A literal set: the elements of the one LIST value in a `value_N` column. */
function literalSet(raw: JsonObject, scope: NodeScope): FilterSet {
  exactKeys(raw, ["kind", "value_ref"], "in.set");
  const { ref, field, data } = scope.payload.column("value", raw.value_ref);
  if (!DataType.isList(field.type) && !DataType.isLargeList(field.type)) {
    throw new FilterDecodeError(`IN set value_${ref} must be a LIST`);
  }
  if (!data.getValid(0)) throw new FilterDecodeError(`IN set value_${ref} is NULL`);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const start = Number(offsets[data.offset]);
  const end = Number(offsets[data.offset + 1]);
  const elements = data.children[0]!;
  if (start < 0 || end < start || end > elements.length) {
    throw new FilterDecodeError(`IN set value_${ref} has bad offsets`);
  }
  checkSetSize(end - start, scope);
  const element = field.type.children[0] as Field;
  return {
    kind: "literal",
    valueRef: ref,
    field: element,
    data: elements.slice(start, end - start),
  };
}

/** An external set: one column of a `join_keys` batch, checked by index and name. */
function externalSet(raw: JsonObject, scope: NodeScope): FilterSet {
  exactKeys(raw, ["kind", "batch_index", "column_index", "column_name"], "in.set");
  const batchIndex = uint(raw.batch_index, "in.set.batch_index");
  const columnIndex = uint(raw.column_index, "in.set.column_index");
  const columnName = string(raw.column_name, "in.set.column_name");
  const batch = scope.payload.joinBatch(batchIndex);
  const field = batch.schema.fields[columnIndex];
  if (field?.name !== columnName) {
    throw new FilterDecodeError(
      `join_keys[${batchIndex}] has no column ${columnName} at ${columnIndex}`,
    );
  }
  checkSetSize(batch.numRows, scope);
  const data = batch.getChildAt(columnIndex)!.data[0]!;
  return { kind: "external", batchIndex, columnIndex, columnName, field, data };
}

function checkSetSize(size: number, scope: NodeScope): void {
  if (size > scope.limits.maxSetSize) {
    throw new FilterDecodeError(`IN set of ${size} values exceeds ${scope.limits.maxSetSize}`);
  }
}
