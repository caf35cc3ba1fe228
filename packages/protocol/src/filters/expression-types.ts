/**
 * Type tests the decoder applies to expressions: which Arrow types count as VARCHAR or
 * BOOLEAN, and whether an expression yields a BOOLEAN (a predicate root, and/or/not
 * children must).
 */
import { DataType } from "apache-arrow";
import { expressionType, type FilterExpression } from "./filter-tree.js";

/** Node kinds whose value is BOOLEAN whatever their inputs. */
const BOOLEAN_NODES = new Set(["comparison", "and", "or", "not", "is_null", "in", "call"]);

export function isStringType(type: DataType | undefined): boolean {
  if (type === undefined) return false;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return true;
  return DataType.isDictionary(type) && isStringType(type.dictionary);
}

function isBoolType(type: DataType | undefined): boolean {
  return type !== undefined && DataType.isBool(type);
}

export function isBooleanExpression(expression: FilterExpression): boolean {
  return BOOLEAN_NODES.has(expression.node) || isBoolType(expressionType(expression));
}
