/**
 * An evaluated expression input, in the cheapest form available: a whole Arrow column
 * (so kernels can work on its buffers), a literal (its one-row payload data and value),
 * or, for everything computed, a per-row reader. `operandRows` turns any of them into
 * the per-row reader the slow paths use.
 */
import { DataType, type Data, type Field } from "apache-arrow";
import { rowReader, type RowValue } from "./row-values.js";

export type Operand =
  | { readonly kind: "column"; readonly data: Data; readonly field: Field }
  | {
      readonly kind: "literal";
      readonly data: Data;
      readonly field: Field;
      readonly value: unknown;
    }
  | { readonly kind: "rows"; readonly get: (index: number) => RowValue };

/** The operand's value at each row index. */
export function operandRows(operand: Operand): (index: number) => RowValue {
  switch (operand.kind) {
    case "column":
      return rowReader(operand.data, operand.field);
    case "literal": {
      const value = normalizeLiteral(operand);
      return () => value;
    }
    case "rows":
      return operand.get;
  }
}

function normalizeLiteral(operand: Extract<Operand, { kind: "literal" }>): RowValue {
  if (operand.value === null) return null;
  return DataType.isDecimal(operand.field.type) ? Number(operand.value) : operand.value;
}
