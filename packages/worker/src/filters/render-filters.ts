/**
 * Filters as text: `sql` style (`n >= 3 AND s = 'row_5'`, what diagnostic fixtures
 * echo) and `repr` style (`PushdownFilters([ConstantFilter(n < 500)])`, the reference's
 * debugging form). Predicates on one and the same column are grouped in parentheses,
 * as DuckDB's per-column filter sets print.
 */
import {
  GEOARROW_WKB_EXTENSION,
  extensionOf,
  filterFunctionKey,
  sqlTypeFromArrow,
  type FilterExpression,
  type FilterPredicate,
  type FilterSet,
} from "@vgi-ts/protocol";
import { isIntersectsExtent } from "./spatial-filter.js";

export interface RenderOptions {
  /** IN sets larger than this print as `n IN (200 values)`. */
  readonly maxInValues?: number;
}

const SYMBOLS: Record<string, string> = {
  eq: "=",
  ne: "!=",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
  distinct_from: "IS DISTINCT FROM",
  not_distinct_from: "IS NOT DISTINCT FROM",
};
const ARITHMETIC: Record<string, string> = {
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  modulo: "%",
};

export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'`;
  if (value instanceof Uint8Array) return `'\\x${Buffer.from(value).toString("hex")}'::BLOB`;
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (typeof value === "object") {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  }
  return String(value);
}

function setValues(set: FilterSet): unknown[] {
  const read = sqlTypeFromArrow(set.field.type, set.field.metadata).reader(set.data);
  return Array.from({ length: set.data.length }, (_, i) => read(i) ?? null);
}

/** Columns an expression reads, in order of appearance. */
export function expressionColumns(
  expression: FilterExpression,
  out = new Set<string>(),
): Set<string> {
  switch (expression.node) {
    case "column_ref":
      out.add(expression.columnName);
      break;
    case "literal":
      break;
    case "comparison":
    case "arithmetic":
      expressionColumns(expression.left, out);
      expressionColumns(expression.right, out);
      break;
    case "and":
    case "or":
      expression.children.forEach((child) => expressionColumns(child, out));
      break;
    case "call":
      expression.arguments.forEach((arg) => expressionColumns(arg, out));
      break;
    default:
      expressionColumns(expression.expression, out);
  }
  return out;
}

export function renderExpression(
  expression: FilterExpression,
  options: RenderOptions = {},
): string {
  const r = (e: FilterExpression) => renderExpression(e, options);
  switch (expression.node) {
    case "column_ref":
      return expression.columnName;
    case "field_ref":
      return `${r(expression.expression)}.${expression.fieldName}`;
    case "literal":
      // GEOMETRY travels as WKB bytes: render the SQL that rebuilds the geometry.
      if (
        expression.value instanceof Uint8Array &&
        extensionOf(expression.field.metadata) === GEOARROW_WKB_EXTENSION
      ) {
        return `ST_GeomFromHEXWKB('${Buffer.from(expression.value).toString("hex")}')`;
      }
      return renderValue(expression.value);
    case "comparison":
      return `${r(expression.left)} ${SYMBOLS[expression.op]} ${r(expression.right)}`;
    case "and":
    case "or":
      return `(${expression.children.map(r).join(` ${expression.node.toUpperCase()} `)})`;
    case "not":
      return `NOT (${r(expression.expression)})`;
    case "is_null":
      return `${r(expression.expression)} IS ${expression.negated ? "NOT " : ""}NULL`;
    case "in": {
      const size = expression.set.data.length;
      const not = expression.negated ? "NOT " : "";
      if (options.maxInValues !== undefined && size > options.maxInValues) {
        return `${r(expression.expression)} ${not}IN (${size} values)`;
      }
      const values = setValues(expression.set).map(renderValue).join(", ");
      return `${r(expression.expression)} ${not}IN (${values})`;
    }
    case "cast":
      return `CAST(${r(expression.expression)} AS ${sqlTypeFromArrow(expression.field.type, expression.field.metadata).sqlName})`;
    case "arithmetic":
      return `(${r(expression.left)} ${ARITHMETIC[expression.op]} ${r(expression.right)})`;
    case "negate":
      return `(-${r(expression.expression)})`;
    case "call": {
      const fn = expression.function;
      // A namespaced function renders as its SQL spelling when there is one.
      const name =
        typeof fn === "string"
          ? fn
          : isIntersectsExtent(fn)
            ? "st_intersects_extent"
            : filterFunctionKey(fn);
      return `${name}(${expression.arguments.map(r).join(", ")})`;
    }
  }
}

/** Predicates of one column, then the next: `(n >= 2 AND n < 8) AND s = 'row_5'`. */
export function renderPredicates(
  predicates: readonly FilterPredicate[],
  options: RenderOptions = {},
): string {
  const groups: { column: string | null; parts: FilterExpression[] }[] = [];
  for (const predicate of predicates) {
    const columns = expressionColumns(predicate.expression);
    const column = columns.size === 1 ? [...columns][0]! : null;
    const group = column === null ? undefined : groups.find((g) => g.column === column);
    const parts =
      predicate.expression.node === "and" ? predicate.expression.children : [predicate.expression];
    if (group === undefined) groups.push({ column, parts: [...parts] });
    else group.parts.push(...parts);
  }
  return groups
    .map(({ parts }) =>
      parts.length === 1
        ? renderExpression(parts[0]!, options)
        : `(${parts.map((p) => renderExpression(p, options)).join(" AND ")})`,
    )
    .join(" AND ");
}

const REPR_OPS = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);

/** The reference SDK's debugging form of one expression. */
export function reprExpression(expression: FilterExpression): string {
  if (expression.node === "comparison" && REPR_OPS.has(expression.op)) {
    const { left, right } = expression;
    if (left.node === "column_ref" && right.node === "literal") {
      return `ConstantFilter(${left.columnName} ${SYMBOLS[expression.op]} ${String(right.value)})`;
    }
  }
  if (expression.node === "is_null" && expression.expression.node === "column_ref") {
    const name = expression.expression.columnName;
    return expression.negated
      ? `IsNotNullFilter(${name} IS NOT NULL)`
      : `IsNullFilter(${name} IS NULL)`;
  }
  if (expression.node === "in" && expression.expression.node === "column_ref") {
    const values = setValues(expression.set);
    const shown =
      values.length > 5
        ? `${renderValue(values.slice(0, 3))}...(${values.length} total)`
        : renderValue(values);
    return `InFilter(${expression.expression.columnName} IN ${shown})`;
  }
  if (expression.node === "and" || expression.node === "or") {
    const name = expression.node === "and" ? "AndFilter" : "OrFilter";
    return `${name}(${expression.children.map(reprExpression).join(` ${expression.node.toUpperCase()} `)})`;
  }
  return `ExpressionFilter(${renderExpression(expression)})`;
}

export function reprPredicates(predicates: readonly FilterPredicate[]): string {
  return `PushdownFilters([${predicates.map((p) => reprExpression(p.expression)).join(", ")}])`;
}
