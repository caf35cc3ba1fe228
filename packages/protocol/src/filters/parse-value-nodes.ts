/**
 * Node kinds that compute a value: `cast` (to the type of a NULL `type_N` payload
 * column), `arithmetic`, `negate`, and `call` — a standard string/list function or an
 * extension function identity (`namespace`/`name`/`version`) that the worker advertised.
 */
import { DataType } from "apache-arrow";
import { isStringType } from "./expression-types.js";
import { FilterDecodeError } from "./filter-errors.js";
import {
  expressionType,
  filterFunctionKey,
  type ArithmeticOp,
  type FilterExpression,
  type FilterFunctionIdentity,
  type StandardFilterFunction,
} from "./filter-tree.js";
import { array, exactKeys, object, string, uint, type JsonObject } from "./json-shape.js";
import type { NodeScope } from "./node-scope.js";

const ARITHMETIC = new Set<string>(["add", "subtract", "multiply", "divide", "modulo"]);
const STANDARD_FUNCTIONS = new Set<string>([
  "starts_with",
  "ends_with",
  "contains",
  "list_contains",
]);
const NAMESPACE = /^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*)*$/;
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

export function parseCast(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression", "type_ref"], "cast");
  const { ref, field, data } = scope.payload.column("type", value.type_ref);
  if (data.getValid(0)) throw new FilterDecodeError(`type_${ref} must hold NULL`);
  return { node: "cast", expression: scope.child(value.expression), typeRef: ref, field };
}

export function parseArithmetic(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "op", "left", "right"], "arithmetic");
  if (typeof value.op !== "string" || !ARITHMETIC.has(value.op)) {
    throw new FilterDecodeError(`unknown arithmetic operator ${String(value.op)}`);
  }
  return {
    node: "arithmetic",
    op: value.op as ArithmeticOp,
    left: scope.child(value.left),
    right: scope.child(value.right),
  };
}

export function parseNegate(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "expression"], "negate");
  return { node: "negate", expression: scope.child(value.expression) };
}

export function parseCall(value: JsonObject, scope: NodeScope): FilterExpression {
  exactKeys(value, ["node", "function", "arguments"], "call", ["options"]);
  let fn: StandardFilterFunction | FilterFunctionIdentity;
  if (typeof value.function === "string") {
    if (!STANDARD_FUNCTIONS.has(value.function)) {
      throw new FilterDecodeError(`unknown standard function ${value.function}`);
    }
    if (value.options !== undefined) {
      throw new FilterDecodeError("standard functions take no options");
    }
    fn = value.function as StandardFilterFunction;
  } else {
    fn = parseIdentity(value.function, "call.function");
    const key = filterFunctionKey(fn);
    const advertised = scope.options.additionalFilterFunctions ?? [];
    if (!advertised.some((f) => filterFunctionKey(f) === key)) {
      throw new FilterDecodeError(`extension function ${key} was not advertised`);
    }
    if (value.options !== undefined && Object.keys(object(value.options, "call.options")).length) {
      throw new FilterDecodeError("extension function options are not supported");
    }
  }
  const args = array(value.arguments, "call.arguments");
  if (args.length !== 2) throw new FilterDecodeError("filter functions take exactly two arguments");
  const parsed = args.map((item) => scope.child(item));
  if (typeof fn === "string" && fn !== "list_contains") {
    if (!parsed.every((arg) => isStringType(expressionType(arg)))) {
      throw new FilterDecodeError(`${fn} needs two VARCHAR arguments`);
    }
  }
  if (fn === "list_contains") {
    const list = expressionType(parsed[0]!);
    if (list === undefined || !(DataType.isList(list) || DataType.isLargeList(list))) {
      throw new FilterDecodeError("list_contains needs a LIST first argument");
    }
  }
  return { node: "call", function: fn, arguments: parsed };
}

function parseIdentity(raw: unknown, where: string): FilterFunctionIdentity {
  const value = object(raw, where);
  exactKeys(value, ["namespace", "name", "version"], where);
  const identity = {
    namespace: string(value.namespace, `${where}.namespace`),
    name: string(value.name, `${where}.name`),
    version: uint(value.version, `${where}.version`, 1),
  };
  if (!NAMESPACE.test(identity.namespace) || !IDENTIFIER.test(identity.name)) {
    throw new FilterDecodeError(`${where} is not a canonical function identity`);
  }
  return identity;
}
