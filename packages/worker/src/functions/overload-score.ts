/**
 * Choosing among same-named overloads. DuckDB resolves the overload itself and casts
 * constants and columns to that overload's declared types, so the declared types of the
 * right candidate match the call exactly; ANY slots match anything. `argument_names`
 * (VGI 2.0) breaks the remaining ties.
 */
import type { DataType } from "apache-arrow";
import { compareTypes } from "apache-arrow/visitor/typecomparator";
import { isConcrete, type ArgumentSpec } from "./argument-spec.js";
import type { BindCall } from "./bind-call.js";

const EXACT = 2;

export function scoreSignature(args: readonly ArgumentSpec[], call: BindCall): number | null {
  const constants = args.filter((arg) => arg.const === true);
  if (call.positional.length !== constants.length) return null;
  const columns = args.filter((arg) => arg.const !== true);
  const varargs = columns.at(-1)?.varargs === true ? columns.at(-1) : undefined;
  const fixed = varargs === undefined ? columns : columns.slice(0, -1);
  const inputs = call.inputFields;
  if (inputs.length < fixed.length || (varargs === undefined && inputs.length > fixed.length))
    return null;

  let score = 0;
  for (let i = 0; i < inputs.length; i++) {
    const spec = i < fixed.length ? fixed[i]! : varargs!;
    const points = typeScore(spec, inputs[i]!.type);
    if (points === null) return null;
    score += points;
  }
  for (let i = 0; i < constants.length; i++) {
    const points = typeScore(constants[i]!, call.positionalTypes[i]!);
    if (points === null) return null;
    score += points;
  }
  if (call.argumentNames !== null && namesAgree(args, call.argumentNames)) score += 1;
  return score;
}

function typeScore(spec: ArgumentSpec, actual: DataType): number | null {
  if (!isConcrete(spec.type)) return 0;
  const declared = spec.type.arrowType();
  if (sameType(declared, actual)) return EXACT;
  // Same logical family but different parameters (e.g. decimal precision): still callable.
  return declared.typeId === actual.typeId ? 1 : null;
}

function namesAgree(args: readonly ArgumentSpec[], names: readonly (string | null)[]): boolean {
  const fixed = args.filter((arg) => arg.varargs !== true);
  return fixed.every((arg, index) => {
    const name = names[index];
    return name === undefined || name === null || name.toLowerCase() === arg.name.toLowerCase();
  });
}

/** The best-scoring candidate, or `null` when none can take the call. */
export function pickOverload<T>(
  candidates: readonly T[],
  score: (candidate: T) => number | null,
): T | null {
  let best: T | null = null;
  let bestScore = -1;
  for (const candidate of candidates) {
    const points = score(candidate);
    if (points !== null && points > bestScore) {
      best = candidate;
      bestScore = points;
    }
  }
  return best;
}

/**
 * Structural type equality. `compareTypes` checks `other instanceof type.constructor`,
 * so a declared `Uint64` never equals the generic `Int_` an IPC decoder produces;
 * asking in both directions makes it structural.
 */
export function sameType(a: DataType, b: DataType): boolean {
  // compareTypes ignores Decimal precision and scale; the text form has them.
  return (compareTypes(a, b) || compareTypes(b, a)) && String(a) === String(b);
}
