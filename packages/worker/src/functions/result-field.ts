/**
 * The `result` field of scalar and aggregate functions, and their constant arguments:
 * both kinds declare a return type that is fixed or decided at bind, and both receive
 * constants positionally in the bind request.
 */
import { Field, Null, type DataType } from "apache-arrow";
import type { ArgumentSpec, TypeLike } from "./argument-spec.js";

/** The listed result: a fixed type, or ANY (`vgi:any`) when bind decides it per call. */
export function listedResultField(returns: TypeLike | ((...args: never[]) => unknown)): Field {
  return typeof returns === "function"
    ? new Field("result", new Null(), true, new Map([["vgi:any", "true"]]))
    : boundResultField(returns);
}

/** The bound result from a `sql.*` descriptor, a raw Arrow type, or a field (metadata kept). */
export function boundResultField(decided: TypeLike | DataType | Field): Field {
  if (decided instanceof Field) return new Field("result", decided.type, true, decided.metadata);
  if (typeof (decided as TypeLike).arrowType === "function") {
    const type = decided as TypeLike;
    return new Field("result", type.arrowType(), true, new Map(type.metadata?.() ?? []));
  }
  return new Field("result", decided as DataType, true);
}

/** Constant argument values by name, from the positional constants of a bind request. */
export function constantsByName(
  specs: readonly ArgumentSpec[],
  positional: readonly unknown[],
): Record<string, unknown> {
  const constants: Record<string, unknown> = {};
  specs
    .filter((arg) => arg.const === true)
    .forEach((arg, index) => (constants[arg.name] = positional[index] ?? null));
  return constants;
}
