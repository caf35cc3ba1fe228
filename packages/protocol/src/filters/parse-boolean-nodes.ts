/**
 * Node kinds that yield a BOOLEAN from their inputs: `comparison` (the eight DuckDB
 * comparison operators, including IS [NOT] DISTINCT FROM), the connectives `and` / `or`
 * (two or more BOOLEAN children) and `not`, and `is_null`.
 */
import { isBooleanExpression } from "./expression-types.js";
import { FilterDecodeError } from "./filter-errors.js";
import type { ComparisonOp, FilterExpression } from "./filter-tree.js";
import { array, boolean, exactKeys, type JsonObject } from "./json-shape.js";
import type { NodeScope } from "./node-scope.js";

const COMPARISONS = new Set<string>([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "distinct_from",
  "not_distinct_from",
]);

export function parseComparison(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "op", "left", "right"], "comparison");
  if (typeof value.op !== "string" || !COMPARISONS.has(value.op)) {
    throw new FilterDecodeError(`unknown comparison ${String(value.op)}`);
  }
  return {
    node: "comparison",
    op: value.op as ComparisonOp,
    left: scope.child(value.left),
    right: scope.child(value.right),
  };
}

export function parseConnective(
  node: "and" | "or",
  value: JsonObject,
  scope: NodeScope,
): FilterExpression {
  exactKeys(value, ["node", "children"], node);
  const children = array(value.children, `${node}.children`).map((item) => scope.child(item));
  if (children.length < 2 || !children.every(isBooleanExpression)) {
    throw new FilterDecodeError(`${node} needs at least two BOOLEAN children`);
  }
  return { node, children };
}

export function parseNot(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression"], "not");
  const expression = scope.child(value.expression);
  if (!isBooleanExpression(expression)) throw new FilterDecodeError("not needs a BOOLEAN");
  return { node: "not", expression };
}

export function parseIsNull(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression", "negated"], "is_null");
  return {
    node: "is_null",
    expression: scope.child(value.expression),
    negated: boolean(value.negated, "is_null.negated"),
  };
}
