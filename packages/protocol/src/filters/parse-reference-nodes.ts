/**
 * Leaf-ish node kinds that name a value: `column_ref` (an output column, checked by
 * index and name against the bind schema), `field_ref` (a STRUCT member of another
 * expression) and `literal` (a `value_N` payload column).
 */
import { DataType } from "apache-arrow";
import { FilterDecodeError } from "./filter-errors.js";
import { expressionType, type FilterExpression } from "./filter-tree.js";
import { exactKeys, string, uint, type JsonObject } from "./json-shape.js";
import type { NodeScope } from "./node-scope.js";

export function parseColumnRef(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "column_index", "column_name"], "column_ref");
  const columnIndex = uint(value.column_index, "column_ref.column_index");
  const columnName = string(value.column_name, "column_ref.column_name");
  const field = scope.options.outputSchema.fields[columnIndex];
  if (field?.name !== columnName) {
    throw new FilterDecodeError(`column_ref ${columnName} is not output column ${columnIndex}`);
  }
  return { node: "column_ref", columnIndex, columnName, field };
}

export function parseFieldRef(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression", "field_index", "field_name"], "field_ref");
  const expression = scope.child(value.expression);
  const parent = expressionType(expression);
  if (parent === undefined || !DataType.isStruct(parent)) {
    throw new FilterDecodeError("field_ref input must be a STRUCT");
  }
  const fieldIndex = uint(value.field_index, "field_ref.field_index");
  const fieldName = string(value.field_name, "field_ref.field_name");
  const field = parent.children[fieldIndex];
  if (field?.name !== fieldName) {
    throw new FilterDecodeError(`field_ref ${fieldName} is not field ${fieldIndex}`);
  }
  return { node: "field_ref", expression, fieldIndex, fieldName, field };
}

export function parseLiteral(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "value_ref"], "literal");
  const { ref, field, data } = scope.payload.column("value", value.value_ref);
  return {
    node: "literal",
    valueRef: ref,
    field,
    data,
    value: scope.payload.readValue(field, data),
  };
}
