/**
 * An InitRequest as DuckDB sends one for a plain scan: every optional field null, the
 * bind call and output schema filled in; `fields` overrides any of them.
 */
import type { Schema } from "apache-arrow";
import { encodeSchema, type InitRequest } from "@vgi-ts/protocol";
import type { BindCall } from "../src/functions/bind-call.js";

export function initRequest(
  call: BindCall,
  output: Schema,
  fields: Partial<InitRequest> = {},
): InitRequest {
  return {
    bindCall: call.request,
    outputSchema: encodeSchema(output),
    bindOpaqueData: null,
    projectionIds: null,
    pushdownFilters: null,
    joinKeys: null,
    splitTokens: null,
    rowLimit: null,
    phase: null,
    finalizeStateId: null,
    executionId: null,
    initOpaqueData: null,
    substreamId: null,
    orderByColumnName: null,
    orderByDirection: null,
    orderByNullOrder: null,
    orderByLimit: null,
    tablesamplePercentage: null,
    tablesampleSeed: null,
    ...fields,
  } as InitRequest;
}
