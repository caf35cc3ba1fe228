/**
 * The `comparison` node: the six order comparisons and IS [NOT] DISTINCT FROM. A column
 * compared with a literal (either side; the operator is flipped to put the column left)
 * runs on the Arrow buffers (column-kernels.ts); anything else compares row values.
 * NULL rules: an ordinary comparison with a NULL is NULL; DISTINCT FROM treats two NULLs
 * as equal and a NULL and a value as distinct, so it is never NULL.
 */
import type { ComparisonOp } from "@vgi-ts/protocol";
import { compareColumnToLiteral, isValid, passes, type OrderOp } from "./column-kernels.js";
import { FilterEvaluationError } from "./filter-evaluation-error.js";
import { operandRows, type Operand } from "./operand.js";
import { compareValues, type RowValue } from "./row-values.js";
import { FALSE, NULL, TRUE, constantTruth, fromRows, type Truth } from "./truth.js";

const FLIP: Record<OrderOp, OrderOp> = {
  eq: "eq",
  ne: "ne",
  lt: "gt",
  le: "ge",
  gt: "lt",
  ge: "le",
};

/** Truth of `left op right` for `length` rows. */
export function compareOperands(
  op: ComparisonOp,
  leftOperand: Operand,
  rightOperand: Operand,
  length: number,
): Truth {
  let left = leftOperand;
  let right = rightOperand;
  const distinct = op === "distinct_from" || op === "not_distinct_from";
  let order: OrderOp = distinct ? "eq" : (op as OrderOp);
  if (left.kind === "literal" && right.kind === "column") {
    [left, right] = [right, left];
    order = FLIP[order];
  }
  if (left.kind === "column" && right.kind === "literal") {
    if (!right.data.getValid(0)) {
      if (!distinct) return constantTruth(length, NULL);
      const column = left.data;
      return fromRows(length, (i) =>
        isValid(column, i) === (op === "distinct_from") ? TRUE : FALSE,
      );
    }
    const fast = compareColumnToLiteral(left.data, left.field, right.data, right.field, order);
    if (fast !== null) {
      if (distinct) {
        // The literal is not NULL: a NULL row is distinct from it.
        const wantEqual = op === "not_distinct_from";
        for (let i = 0; i < length; i++) {
          const t = fast[i]!;
          fast[i] =
            t === NULL ? (wantEqual ? FALSE : TRUE) : (t === TRUE) === wantEqual ? TRUE : FALSE;
        }
      }
      return fast;
    }
  }
  const a = operandRows(left);
  const b = operandRows(right);
  return fromRows(length, (i) => {
    const x = a(i);
    const y = b(i);
    if (x === null || y === null) {
      if (!distinct) return NULL;
      const same = x === null && y === null;
      return same === (op === "not_distinct_from") ? TRUE : FALSE;
    }
    const cmp = compareValues(x, y);
    if (cmp === null)
      throw new FilterEvaluationError(`cannot compare ${typeName(x)} with ${typeName(y)}`);
    if (distinct) return (cmp === 0) === (op === "not_distinct_from") ? TRUE : FALSE;
    return passes(order, cmp) ? TRUE : FALSE;
  });
}

function typeName(value: RowValue): string {
  return value instanceof Uint8Array ? "BLOB" : Array.isArray(value) ? "LIST" : typeof value;
}
