/**
 * Compile-time types of scalar functions: the argument list and the return type are
 * declared once (as `sql.*` descriptors) and the row callback's parameter and result
 * types follow from them.
 */
import type { SqlType } from "@vgi-ts/protocol";
import type { AnyType, ArgumentSpec } from "./argument-spec.js";

/** The JS value an argument of this spec arrives as (non-null). */
export type ArgumentValue<S> = S extends { readonly type: infer T }
  ? T extends AnyType
    ? unknown
    : T extends SqlType<infer V, infer _I>
      ? V
      : unknown
  : unknown;

type Values<A extends readonly unknown[], Null> = {
  -readonly [K in keyof A]: ArgumentValue<A[K]> | Null;
};

/**
 * Row callback parameters in declaration order; a trailing varargs argument spreads.
 * With default null handling a row with any NULL argument never reaches the callback,
 * so the values are non-null; with `nullHandling: "special"` each may be null.
 */
export type RowArguments<A extends readonly ArgumentSpec[], Null = never> = A extends readonly [
  ...infer Init,
  infer Last,
]
  ? Last extends { readonly varargs: true }
    ? [...Values<Init, Null>, ...(ArgumentValue<Last> | Null)[]]
    : Values<A, Null>
  : unknown[];

/** What the row callback may return for a result of type `R`. */
export type RowResult<R> = R extends SqlType<infer _V, infer I> ? I | null | undefined : unknown;

/** `null` joins the argument types only when the function handles NULLs itself. */
export type NullOf<N> = N extends "special" ? null : never;
