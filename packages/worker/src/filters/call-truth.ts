/**
 * The `call` node: the standard string functions (starts_with, ends_with, contains),
 * list_contains, and the advertised extension function `intersects_extent`, which runs
 * on geometry buffers (spatial-filter.ts). A NULL argument makes a standard call NULL.
 */
import type { FilterExpression } from "@vgi-ts/protocol";
import { FilterEvaluationError } from "./filter-evaluation-error.js";
import { operandRows, type Operand } from "./operand.js";
import { valueKey, type RowValue } from "./row-values.js";
import { intersectsExtent, isIntersectsExtent, type GeometrySource } from "./spatial-filter.js";
import { FALSE, NULL, TRUE, fromRows, type Truth } from "./truth.js";

/** Truth of one function call over already evaluated argument operands. */
export function callTruth(
  expression: Extract<FilterExpression, { node: "call" }>,
  operands: readonly Operand[],
  length: number,
): Truth {
  const fn = expression.function;
  if (typeof fn !== "string") {
    if (isIntersectsExtent(fn)) {
      const [left, right] = operands.map(geometrySource) as [GeometrySource, GeometrySource];
      return intersectsExtent(left, right, length);
    }
    throw new FilterEvaluationError(`no evaluator for ${fn.namespace}/${fn.name}@${fn.version}`);
  }
  const args = operands.map((operand) => operandRows(operand));
  const [first, second] = args as [(i: number) => RowValue, (i: number) => RowValue];
  return fromRows(length, (i) => {
    const a = first(i);
    const b = second(i);
    if (a === null || b === null) return NULL;
    switch (fn) {
      case "starts_with":
        return String(a).startsWith(String(b)) ? TRUE : FALSE;
      case "ends_with":
        return String(a).endsWith(String(b)) ? TRUE : FALSE;
      case "contains":
        return String(a).includes(String(b)) ? TRUE : FALSE;
      case "list_contains": {
        if (!Array.isArray(a)) throw new FilterEvaluationError("list_contains needs a list");
        const key = valueKey(b);
        return a.some((item) => item !== null && valueKey(item) === key) ? TRUE : FALSE;
      }
    }
  });
}

/** An operand as the spatial kernel reads it: a column on its buffers where possible. */
function geometrySource(operand: Operand): GeometrySource {
  switch (operand.kind) {
    case "column":
      return { kind: "column", data: operand.data };
    case "literal":
      return { kind: "constant", value: operand.value };
    case "rows":
      return operand;
  }
}
