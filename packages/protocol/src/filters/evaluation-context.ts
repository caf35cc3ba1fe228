/**
 * The evaluation context of a filter payload: its schema metadata names the encoding,
 * the version and a context profile. `vgi.none.v1` carries no session settings, so
 * expressions whose value depends on them (division, temporal/string casts) are refused
 * under it; `vgi.duckdb.session.v1` carries every setting and must have been advertised
 * by the worker (with the provider fingerprint, when one is sent).
 */
import { DataType } from "apache-arrow";
import type { DecodeFiltersOptions } from "./decode-options.js";
import { isStringType } from "./expression-types.js";
import { FilterDecodeError } from "./filter-errors.js";
import {
  DUCKDB_SESSION_CONTEXT,
  FILTER_ENCODING,
  FILTER_VERSION,
  NO_EVALUATION_CONTEXT,
  expressionType,
  type EvaluationContext,
  type FilterExpression,
} from "./filter-tree.js";
import { utf8Bytes } from "./json-shape.js";

const CONTEXT_KEYS = [
  "vgi_time_zone",
  "vgi_calendar",
  "vgi_default_collation",
  "vgi_ieee_floating_point_ops",
  "vgi_integer_division",
] as const;

/** Check the payload schema's metadata and read the evaluation context it states. */
export function parseEvaluationContext(
  metadata: Map<string, string>,
  options: DecodeFiltersOptions,
): EvaluationContext {
  const get = (key: string): string => {
    const value = metadata.get(key);
    if (value === undefined) throw new FilterDecodeError(`missing schema metadata ${key}`);
    return value;
  };
  if (get("vgi_filter_encoding") !== FILTER_ENCODING) {
    throw new FilterDecodeError(`unsupported encoding ${get("vgi_filter_encoding")}`);
  }
  if (get("vgi_filter_version") !== FILTER_VERSION) {
    throw new FilterDecodeError(`unsupported version ${get("vgi_filter_version")}`);
  }
  const profile = get("vgi_evaluation_context");
  const fingerprint = metadata.get("vgi_context_provider_fingerprint");
  if (profile === NO_EVALUATION_CONTEXT) {
    if (fingerprint !== undefined || CONTEXT_KEYS.some((key) => metadata.has(key))) {
      throw new FilterDecodeError(`${NO_EVALUATION_CONTEXT} forbids session metadata`);
    }
    return { profile };
  }
  if (profile !== DUCKDB_SESSION_CONTEXT) {
    throw new FilterDecodeError(`unknown evaluation context ${profile}`);
  }
  const advertised = (options.evaluationContexts ?? []).filter((c) => c.profile === profile);
  if (advertised.length === 0) {
    throw new FilterDecodeError(`evaluation context ${profile} was not advertised`);
  }
  if (fingerprint !== undefined) {
    if (fingerprint.length === 0 || utf8Bytes(fingerprint) > 256) {
      throw new FilterDecodeError("invalid context provider fingerprint");
    }
    if (!advertised.some((c) => c.providerFingerprint === fingerprint)) {
      throw new FilterDecodeError("context provider fingerprint was not advertised");
    }
  }
  const flag = (key: string): boolean => {
    const value = get(key);
    if (value !== "true" && value !== "false") {
      throw new FilterDecodeError(`${key} must be true or false`);
    }
    return value === "true";
  };
  return {
    profile,
    timeZone: get("vgi_time_zone"),
    calendar: get("vgi_calendar"),
    defaultCollation: get("vgi_default_collation"),
    ieeeFloatingPointOps: flag("vgi_ieee_floating_point_ops"),
    integerDivision: flag("vgi_integer_division"),
    ...(fingerprint === undefined ? {} : { providerFingerprint: fingerprint }),
  };
}

/** Expressions whose value depends on session settings (division, temporal/string casts). */
export function needsSessionContext(expression: FilterExpression): boolean {
  switch (expression.node) {
    case "arithmetic":
      return (
        expression.op === "divide" ||
        expression.op === "modulo" ||
        needsSessionContext(expression.left) ||
        needsSessionContext(expression.right)
      );
    case "cast": {
      const contextual = (type: DataType | undefined): boolean =>
        type !== undefined &&
        (isStringType(type) ||
          DataType.isDate(type) ||
          DataType.isTime(type) ||
          DataType.isTimestamp(type));
      return (
        (contextual(expressionType(expression.expression)) && contextual(expression.field.type)) ||
        needsSessionContext(expression.expression)
      );
    }
    case "comparison":
      return needsSessionContext(expression.left) || needsSessionContext(expression.right);
    case "and":
    case "or":
      return expression.children.some(needsSessionContext);
    case "call":
      return expression.arguments.some(needsSessionContext);
    case "field_ref":
    case "not":
    case "is_null":
    case "negate":
    case "in":
      return needsSessionContext(expression.expression);
    default:
      return false;
  }
}
