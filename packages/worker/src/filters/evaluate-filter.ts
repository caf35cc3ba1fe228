/**
 * Evaluating decoded filter expressions against a record batch: each boolean node gives
 * one truth byte per row (see truth.ts). This file is the dispatcher: it turns inputs
 * into operands (operand.ts) and hands each node kind to its evaluator — comparisons
 * (compare-operands.ts), IN sets (in-set.ts), calls (call-truth.ts), IS NULL and BOOLEAN
 * values (operand-truth.ts); AND/OR/NOT combine truths with Kleene logic (truth.ts).
 * Column-versus-literal comparisons and IN sets run on the Arrow buffers
 * (column-kernels.ts); everything else reads row values.
 */
import type { RecordBatch } from "apache-arrow";
import type { EvaluationContext, FilterExpression } from "@vgi-ts/protocol";
import { callTruth } from "./call-truth.js";
import { compareOperands } from "./compare-operands.js";
import { FilterEvaluationError, guarded } from "./filter-evaluation-error.js";
import { inSetTruth } from "./in-set.js";
import { operandRows, type Operand } from "./operand.js";
import { booleanOperandTruth, isNullTruth } from "./operand-truth.js";
import { arithmetic, castValue, negate, type RowValue } from "./row-values.js";
import { NULL, TRUE, andInto, notInPlace, orInto, type Truth } from "./truth.js";

export { FilterEvaluationError };

/** Evaluates expressions of one scan (its evaluation context) on batches. */
export class FilterEvaluator {
  constructor(private readonly context: EvaluationContext) {}

  /** Truth of a boolean expression for every row of `batch`. */
  truth(expression: FilterExpression, batch: RecordBatch): Truth {
    const length = batch.numRows;
    switch (expression.node) {
      case "and":
      case "or": {
        const out = this.truth(expression.children[0]!, batch);
        for (const child of expression.children.slice(1)) {
          const next = this.truth(child, batch);
          if (expression.node === "and") andInto(out, next);
          else orInto(out, next);
        }
        return out;
      }
      case "not": {
        const out = this.truth(expression.expression, batch);
        notInPlace(out);
        return out;
      }
      case "comparison": {
        const left = this.operand(expression.left, batch);
        const right = this.operand(expression.right, batch);
        return compareOperands(expression.op, left, right, length);
      }
      case "is_null":
        return isNullTruth(this.operand(expression.expression, batch), length, expression.negated);
      case "in":
        return inSetTruth(
          this.operand(expression.expression, batch),
          expression.set,
          length,
          expression.negated,
        );
      case "call": {
        const operands = expression.arguments.map((arg) => this.operand(arg, batch));
        return callTruth(expression, operands, length);
      }
      default:
        return booleanOperandTruth(this.operand(expression, batch), length);
    }
  }

  private operand(expression: FilterExpression, batch: RecordBatch): Operand {
    switch (expression.node) {
      case "column_ref": {
        const index = batch.schema.fields.findIndex((f) => f.name === expression.columnName);
        const vector = index < 0 ? null : batch.getChildAt(index);
        if (vector === null || vector.data.length !== 1) {
          if (vector === null) {
            throw new FilterEvaluationError(`column ${expression.columnName} is not in the batch`);
          }
          // A chunked column: read it row by row.
          return { kind: "rows", get: (i) => vector.get(i) as RowValue };
        }
        return { kind: "column", data: vector.data[0]!, field: batch.schema.fields[index]! };
      }
      case "field_ref": {
        const parent = this.operand(expression.expression, batch);
        if (parent.kind === "column" && parent.data.nullCount === 0) {
          const child = parent.data.children[expression.fieldIndex];
          if (child !== undefined) return { kind: "column", data: child, field: expression.field };
        }
        const get = operandRows(parent);
        const { fieldName } = expression;
        return {
          kind: "rows",
          get: (i) => {
            const value = get(i) as Record<string, RowValue> | null;
            return value === null ? null : (value[fieldName] ?? null);
          },
        };
      }
      case "literal":
        return {
          kind: "literal",
          data: expression.data,
          field: expression.field,
          value: expression.value,
        };
      case "cast": {
        const get = operandRows(this.operand(expression.expression, batch));
        const target = expression.field;
        return { kind: "rows", get: (i) => guarded(() => castValue(get(i), target)) };
      }
      case "arithmetic": {
        const left = operandRows(this.operand(expression.left, batch));
        const right = operandRows(this.operand(expression.right, batch));
        const { op } = expression;
        return {
          kind: "rows",
          get: (i) => guarded(() => arithmetic(op, left(i), right(i), this.context)),
        };
      }
      case "negate": {
        const get = operandRows(this.operand(expression.expression, batch));
        return { kind: "rows", get: (i) => guarded(() => negate(get(i))) };
      }
      default: {
        const truth = this.truth(expression, batch);
        return { kind: "rows", get: (i) => (truth[i] === NULL ? null : truth[i] === TRUE) };
      }
    }
  }
}
