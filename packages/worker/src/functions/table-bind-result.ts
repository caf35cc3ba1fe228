/**
 * The bind and cardinality answers shared by the table kinds (table, table-in-out,
 * table-buffering), so the two-phase secret bind has one definition.
 */
import { Schema } from "apache-arrow";
import {
  encodeSchema,
  type BindRequest,
  type BindResultInput,
  type TableFunctionCardinalityResultInput,
} from "@vgi-ts/protocol";
import type { BindCall } from "./bind-call.js";
import type { SecretRequirement } from "./function-metadata.js";

/**
 * Two-phase bind: secrets whose scope depends on the arguments are asked for first
 * (`lookups`); DuckDB resolves them and binds again with `resolved_secrets_provided`
 * set, and that second bind answers the output schema.
 */
export function tableBindResult(
  call: BindCall,
  lookups: () => readonly SecretRequirement[],
  outputSchema: () => Schema,
): BindResultInput;
export function tableBindResult(
  call: BindCall,
  lookups: () => readonly SecretRequirement[],
  outputSchema: () => Schema | Promise<Schema>,
): BindResultInput | Promise<BindResultInput>;
export function tableBindResult(
  call: BindCall,
  lookups: () => readonly SecretRequirement[],
  outputSchema: () => Schema | Promise<Schema>,
): BindResultInput | Promise<BindResultInput> {
  const request = call.request as Partial<BindRequest>;
  const pending = request.resolvedSecretsProvided === true ? [] : lookups();
  if (pending.length > 0) {
    return {
      outputSchema: encodeSchema(new Schema([])),
      opaqueData: null,
      lookupSecretTypes: pending.map((lookup) => lookup.secretType),
      lookupScopes: pending.map((lookup) => lookup.scope ?? ""),
      lookupNames: pending.map((lookup) => lookup.secretName ?? ""),
    };
  }
  const answer = (schema: Schema): BindResultInput => ({
    outputSchema: encodeSchema(schema),
    opaqueData: null,
    lookupSecretTypes: [],
    lookupScopes: [],
    lookupNames: [],
  });
  const schema = outputSchema();
  return schema instanceof Promise ? schema.then(answer) : answer(schema);
}

/** An author's row-count estimate as the wire wants it (unknown parts null). */
export function cardinalityResult(
  known: { estimate?: number | bigint; max?: number | bigint } | undefined,
): TableFunctionCardinalityResultInput {
  const int = (v: number | bigint | undefined): bigint | null =>
    v === undefined ? null : BigInt(v);
  return { estimate: int(known?.estimate), max: int(known?.max) };
}
