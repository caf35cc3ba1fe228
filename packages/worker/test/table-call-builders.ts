/**
 * Builders for the table-call tests: a `BindCall` decoded from a real BindRequest, a
 * probe table function that records the call its `start` saw, and the InitRequest and
 * CallContext a plain scan opens with.
 */
import { Field, Int64, Schema, vectorFromArray, type Data, type DataType } from "apache-arrow";
import { BindRequestCodec, sql, type InitRequest } from "@vgi-ts/protocol";
import {
  CallContext,
  decodeBindCall,
  tableFunction,
  type BindCall,
  type TableCall,
  type TableFunctionDefinition,
} from "@vgi-ts/worker";
import { initRequest } from "./init-request.js";
import { argumentsStream } from "./support.js";

/** A BindCall decoded from a real BindRequest whose arguments are these one-row columns. */
export function bindCall(
  args: readonly [name: string, data: Data][],
  at: { atUnit: string; atValue: string } | null = null,
): BindCall {
  const request = BindRequestCodec.decodeRow(
    BindRequestCodec.encode({
      functionName: "f",
      arguments: argumentsStream(args),
      functionType: "TABLE",
      resolvedSecretsProvided: false,
      ...at,
    }),
    0,
  );
  return decodeBindCall(request);
}

export const value = (v: unknown, type: DataType): Data => vectorFromArray([v], type).data[0]!;

/** Records the call its `start` saw. */
export function probe(extra: Partial<TableFunctionDefinition<null>> = {}) {
  const seen: TableCall[] = [];
  const fn = tableFunction<null>({
    name: "probe",
    arguments: [
      { name: "count", type: sql.bigint, range: "[0, +inf)" },
      { name: "step", type: sql.double, named: true, default: 1, range: "(0.0, 10]" },
    ],
    columns: { n: sql.bigint },
    start: (call) => {
      seen.push(call);
      return null;
    },
    produce: () => null,
    ...extra,
  });
  return { fn, seen };
}

export const OUTPUT_N = new Schema([new Field("n", new Int64(), true)]);
export const init = (call: BindCall, fields: Partial<InitRequest> = {}): InitRequest =>
  initRequest(call, OUTPUT_N, fields);

export const context = () => new CallContext("init", undefined, "test");
