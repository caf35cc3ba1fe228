/**
 * Truth read straight off one operand: `is_null` (validity only, never NULL itself) and
 * a BOOLEAN-valued operand used as a predicate (a BOOLEAN column on its bitmap, anything
 * else row by row, refusing non-BOOLEAN values).
 */
import { DataType } from "apache-arrow";
import { booleanTruth, isValid } from "./column-kernels.js";
import { FilterEvaluationError } from "./filter-evaluation-error.js";
import { operandRows, type Operand } from "./operand.js";
import { FALSE, NULL, TRUE, fromRows, type Truth } from "./truth.js";

/** Truth of `operand IS [NOT] NULL` for `length` rows. */
export function isNullTruth(operand: Operand, length: number, negated: boolean): Truth {
  const hit = negated ? FALSE : TRUE;
  const miss = negated ? TRUE : FALSE;
  if (operand.kind === "column") {
    const data = operand.data;
    return fromRows(length, (i) => (isValid(data, i) ? miss : hit));
  }
  const get = operandRows(operand);
  return fromRows(length, (i) => (get(i) === null ? hit : miss));
}

/** Truth of a BOOLEAN-valued operand for `length` rows. */
export function booleanOperandTruth(operand: Operand, length: number): Truth {
  if (operand.kind === "column" && DataType.isBool(operand.data.type)) {
    return booleanTruth(operand.data);
  }
  const get = operandRows(operand);
  return fromRows(length, (i) => {
    const value = get(i);
    if (value === null) return NULL;
    if (typeof value !== "boolean") throw new FilterEvaluationError("predicate is not BOOLEAN");
    return value ? TRUE : FALSE;
  });
}
