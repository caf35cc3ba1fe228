/**
 * Evaluating decoded filter expressions against a record batch: each boolean node gives
 * one truth byte per row (see truth.ts). Column-versus-literal comparisons and IN sets
 * run on the Arrow buffers (column-kernels.ts); everything else reads row values.
 */
import { DataType, type Data, type Field, type RecordBatch } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  type ComparisonOp,
  type EvaluationContext,
  type FilterExpression,
  type FilterSet,
} from "@vgi-ts/protocol";
import {
  byteAccess,
  booleanTruth,
  compareBytes,
  compareColumnToLiteral,
  familyOf,
  isValid,
  numberReader,
  passes,
  type OrderOp,
} from "./column-kernels.js";
import {
  arithmetic,
  castValue,
  compareValues,
  negate,
  rowReader,
  valueKey,
  type RowValue,
} from "./row-values.js";
import { intersectsExtent, isIntersectsExtent, type GeometrySource } from "./spatial-filter.js";
import {
  FALSE,
  NULL,
  TRUE,
  andInto,
  constantTruth,
  notInPlace,
  orInto,
  type Truth,
} from "./truth.js";

/** A filter that cannot be evaluated on a batch (missing column, failed cast, ...). */
export class FilterEvaluationError extends VgiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorKind.FunctionError, `filter evaluation: ${message}`, options);
    this.name = "FilterEvaluationError";
  }
}

type Operand =
  | { readonly kind: "column"; readonly data: Data; readonly field: Field }
  | {
      readonly kind: "literal";
      readonly data: Data;
      readonly field: Field;
      readonly value: unknown;
    }
  | { readonly kind: "rows"; readonly get: (index: number) => RowValue };

const FLIP: Record<OrderOp, OrderOp> = {
  eq: "eq",
  ne: "ne",
  lt: "gt",
  le: "ge",
  gt: "lt",
  ge: "le",
};

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
      case "comparison":
        return this.comparison(expression.op, expression.left, expression.right, batch);
      case "is_null":
        return this.isNull(this.operand(expression.expression, batch), length, expression.negated);
      case "in":
        return this.inSet(
          this.operand(expression.expression, batch),
          expression.set,
          length,
          expression.negated,
        );
      case "call":
        return this.call(expression, batch);
      default: {
        const operand = this.operand(expression, batch);
        if (operand.kind === "column" && DataType.isBool(operand.data.type)) {
          return booleanTruth(operand.data);
        }
        const get = this.rows(operand);
        return fromRows(length, (i) => {
          const value = get(i);
          if (value === null) return NULL;
          if (typeof value !== "boolean")
            throw new FilterEvaluationError("predicate is not BOOLEAN");
          return value ? TRUE : FALSE;
        });
      }
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
        const get = this.rows(parent);
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
        const get = this.rows(this.operand(expression.expression, batch));
        const target = expression.field;
        return { kind: "rows", get: (i) => guarded(() => castValue(get(i), target)) };
      }
      case "arithmetic": {
        const left = this.rows(this.operand(expression.left, batch));
        const right = this.rows(this.operand(expression.right, batch));
        const { op } = expression;
        return {
          kind: "rows",
          get: (i) => guarded(() => arithmetic(op, left(i), right(i), this.context)),
        };
      }
      case "negate": {
        const get = this.rows(this.operand(expression.expression, batch));
        return { kind: "rows", get: (i) => guarded(() => negate(get(i))) };
      }
      default: {
        const truth = this.truth(expression, batch);
        return { kind: "rows", get: (i) => (truth[i] === NULL ? null : truth[i] === TRUE) };
      }
    }
  }

  private rows(operand: Operand): (index: number) => RowValue {
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

  private comparison(
    op: ComparisonOp,
    leftExpression: FilterExpression,
    rightExpression: FilterExpression,
    batch: RecordBatch,
  ): Truth {
    const length = batch.numRows;
    let left = this.operand(leftExpression, batch);
    let right = this.operand(rightExpression, batch);
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
    const a = this.rows(left);
    const b = this.rows(right);
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

  private isNull(operand: Operand, length: number, negated: boolean): Truth {
    const hit = negated ? FALSE : TRUE;
    const miss = negated ? TRUE : FALSE;
    if (operand.kind === "column") {
      const data = operand.data;
      return fromRows(length, (i) => (isValid(data, i) ? miss : hit));
    }
    const get = this.rows(operand);
    return fromRows(length, (i) => (get(i) === null ? hit : miss));
  }

  private inSet(operand: Operand, set: FilterSet, length: number, negated: boolean): Truth {
    const members = setMembers(set);
    const yes = negated ? FALSE : TRUE;
    const no = negated ? TRUE : FALSE;
    // x IN (...) is NULL, not FALSE, when nothing matched and the set holds a NULL.
    const none = members.hasNull ? NULL : no;
    if (operand.kind === "column") {
      const data = operand.data;
      const family = familyOf(data.type, operand.field);
      if (family !== null && members.numbers !== null && members.sameFamily(operand.field)) {
        const read = numberReader(data, family);
        if (read !== null) {
          const fallback = rowReader(data, operand.field);
          return fromRows(length, (i) => {
            if (!isValid(data, i)) return NULL;
            const value = read(i);
            const hit =
              value !== null
                ? members.numbers!.has(value)
                : members.keys.has(valueKey(fallback(i)));
            return hit ? yes : none;
          });
        }
      }
      if (
        family?.kind === "bytes" &&
        members.byLength !== null &&
        members.sameFamily(operand.field)
      ) {
        const rows = byteAccess(data);
        const byLength = members.byLength;
        return fromRows(length, (i) => {
          if (!isValid(data, i)) return NULL;
          const start = rows.start(i);
          const end = rows.end(i);
          const candidates = byLength.get(end - start);
          if (candidates !== undefined) {
            for (const candidate of candidates) {
              if (compareBytes(rows.bytes, start, end, candidate, 0, candidate.length) === 0)
                return yes;
            }
          }
          return none;
        });
      }
    }
    const get = this.rows(operand);
    return fromRows(length, (i) => {
      const value = get(i);
      if (value === null) return NULL;
      return members.keys.has(valueKey(value)) ? yes : none;
    });
  }

  private call(expression: Extract<FilterExpression, { node: "call" }>, batch: RecordBatch): Truth {
    const operands = expression.arguments.map((arg) => this.operand(arg, batch));
    const fn = expression.function;
    if (typeof fn !== "string") {
      if (isIntersectsExtent(fn)) {
        const [left, right] = operands.map(geometrySource) as [GeometrySource, GeometrySource];
        return intersectsExtent(left, right, batch.numRows);
      }
      throw new FilterEvaluationError(`no evaluator for ${fn.namespace}/${fn.name}@${fn.version}`);
    }
    const args = operands.map((operand) => this.rows(operand));
    const [first, second] = args as [(i: number) => RowValue, (i: number) => RowValue];
    return fromRows(batch.numRows, (i) => {
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

function fromRows(length: number, at: (index: number) => number): Truth {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = at(i);
  return out;
}

function guarded(compute: () => RowValue): RowValue {
  try {
    return compute();
  } catch (error) {
    if (error instanceof VgiError) throw error;
    throw new FilterEvaluationError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

function typeName(value: RowValue): string {
  return value instanceof Uint8Array ? "BLOB" : Array.isArray(value) ? "LIST" : typeof value;
}

function normalizeLiteral(operand: Extract<Operand, { kind: "literal" }>): RowValue {
  if (operand.value === null) return null;
  return DataType.isDecimal(operand.field.type) ? Number(operand.value) : operand.value;
}

interface SetMembers {
  readonly hasNull: boolean;
  /** Canonical keys of every non-null member (row-value path). */
  readonly keys: Set<string>;
  /** Members as exact numbers, when the set is integral/narrow numeric. */
  readonly numbers: Set<number> | null;
  /** Byte members by length, when the set is VARCHAR/BLOB. */
  readonly byLength: Map<number, Uint8Array[]> | null;
  sameFamily(field: Field): boolean;
}

const membersCache = new WeakMap<Data, SetMembers>();

/** The members of an IN set in every form the kernels use, built once per set. */
function setMembers(set: FilterSet): SetMembers {
  const cached = membersCache.get(set.data);
  if (cached !== undefined) return cached;
  const { data, field } = set;
  const family = familyOf(data.type, field);
  const read = rowReader(data, field);
  const keys = new Set<string>();
  let hasNull = false;
  for (let i = 0; i < data.length; i++) {
    const value = read(i);
    if (value === null) hasNull = true;
    else keys.add(valueKey(value));
  }
  let numbers: Set<number> | null = null;
  const reader = family === null ? null : numberReader(data, family);
  if (reader !== null) {
    numbers = new Set();
    for (let i = 0; i < data.length; i++) {
      if (!isValid(data, i)) continue;
      const value = reader(i);
      // An unsafe member is only found through the exact keys.
      if (value !== null) numbers.add(value);
    }
  }
  let byLength: Map<number, Uint8Array[]> | null = null;
  if (family?.kind === "bytes") {
    byLength = new Map();
    const rows = byteAccess(data);
    for (let i = 0; i < data.length; i++) {
      if (!isValid(data, i)) continue;
      const bytes = rows.bytes.subarray(rows.start(i), rows.end(i));
      const list = byLength.get(bytes.length) ?? [];
      list.push(bytes);
      byLength.set(bytes.length, list);
    }
  }
  const members: SetMembers = {
    hasNull,
    keys,
    numbers,
    byLength,
    sameFamily(column: Field): boolean {
      const a = familyOf(column.type, column);
      if (a === null || family === null || a.kind !== family.kind) return false;
      if (a.kind === "bytes") {
        const text = (t: DataType) => DataType.isUtf8(t) || DataType.isLargeUtf8(t);
        return text(column.type) === text(field.type);
      }
      if (a.kind === "wide" || !(DataType.isInt(column.type) || DataType.isFloat(column.type))) {
        // Units, scales and widths must agree for the numbers to mean the same.
        const numeric = (t: DataType) => DataType.isInt(t);
        return numeric(column.type) && numeric(field.type)
          ? true
          : String(column.type) === String(field.type);
      }
      return DataType.isInt(field.type) || DataType.isFloat(field.type);
    },
  };
  membersCache.set(set.data, members);
  return members;
}
