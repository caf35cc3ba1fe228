/**
 * A decoded `BindRequest` in the form function kinds use: constant argument values,
 * the column types of the non-constant arguments, settings and secrets. Decoded from
 * the request every time: bind runs again before every stream, possibly in another
 * process, so nothing here is cached between calls.
 */
import { Field, type DataType, type Vector } from "apache-arrow";
import { atClause, type AtClause } from "@vgi-ts/catalog";
import {
  decodeSchema,
  decodeSingleBatch,
  sqlTypeFromArrow,
  type BindRequest,
} from "@vgi-ts/protocol";
import type { AttachScope } from "../storage/attach-scope.js";
import { transactionScope, type TransactionScope } from "../storage/transaction-scope.js";
import type { SharedStorage } from "../storage/shared-storage.js";

export interface BindCall {
  readonly request: BindRequestFields;
  readonly functionName: string;
  /** Values of constant (and, for table functions, all) positional arguments, in order. */
  readonly positional: readonly unknown[];
  readonly positionalTypes: readonly DataType[];
  /** Named arguments (`name := value`) by lower-cased name. */
  readonly named: ReadonlyMap<string, unknown>;
  /** Fields of the columns the exchange will carry (`col_0`, ...). */
  readonly inputFields: readonly Field[];
  readonly argumentNames: readonly (string | null)[] | null;
  readonly settings: ReadonlyMap<string, unknown>;
  readonly secrets: ReadonlyMap<string, unknown>;
  /** The attachment's ATTACH option values (declared options, defaults filled in). */
  readonly attachOptions: ReadonlyMap<string, unknown>;
  /**
   * The query's `AT (VERSION => ...)` / `AT (TIMESTAMP => ...)` clause when the function
   * scans a time-travelling catalog table; null otherwise.
   */
  readonly at: AtClause | null;
  /**
   * The attachment's own id, for catalogs that isolate attachments (writable tables keep
   * their rows under it); null otherwise.
   */
  readonly attachId: Uint8Array | null;
  /** The DuckDB transaction this call runs in, for catalogs that declare transactions. */
  readonly transactionId: Uint8Array | null;
  /** Attachment-private storage, for catalogs declared `attachScoped` (else null). */
  readonly attach: AttachScope | null;
  /**
   * Transaction-private storage, for catalogs that declare transactions when the worker's
   * shared storage is at hand (else null); cleared at commit and rollback.
   */
  readonly transaction: TransactionScope | null;
}

/** The bind request fields a call decodes (aggregate binds carry the same ones). */
export type BindRequestFields = Pick<
  BindRequest,
  "functionName" | "arguments" | "inputSchema" | "settings" | "secrets" | "argumentNames"
> &
  Partial<
    Pick<BindRequest, "resolvedSecretsProvided" | "atUnit" | "atValue" | "transactionOpaqueData">
  >;

export function decodeBindCall(
  request: BindRequestFields,
  attachOptions: ReadonlyMap<string, unknown> = new Map(),
  attachId: Uint8Array | null = null,
  attach: AttachScope | null = null,
  storage: SharedStorage | null = null,
): BindCall {
  const positional: unknown[] = [];
  const positionalTypes: DataType[] = [];
  const named = new Map<string, unknown>();
  const args = decodeSingleBatch(request.arguments, "BindRequest.arguments");
  const struct = args.getChild("args");
  if (struct !== null && struct.length > 0) {
    struct.type.children.forEach((field: Field, index: number) => {
      const child = struct.getChildAt(index)!;
      const value = constantValue(field, child);
      if (field.name.startsWith("named_")) named.set(field.name.slice(6).toLowerCase(), value);
      else {
        positional.push(value);
        positionalTypes.push(field.type);
      }
    });
  }
  const inputFields =
    request.inputSchema === null
      ? []
      : decodeSchema(request.inputSchema, "BindRequest.input_schema").fields;
  const transactionId = nonEmpty(request.transactionOpaqueData ?? null);
  return {
    request,
    functionName: request.functionName,
    positional,
    positionalTypes,
    named,
    inputFields,
    argumentNames: request.argumentNames,
    settings: decodeRow(request.settings, "BindRequest.settings"),
    secrets: indexSecretsByType(decodeRow(request.secrets, "BindRequest.secrets")),
    attachOptions,
    at: atClause(request),
    attachId,
    transactionId,
    attach,
    transaction:
      transactionId === null || storage === null ? null : transactionScope(storage, transactionId),
  };
}

function nonEmpty(bytes: Uint8Array | null): Uint8Array | null {
  return bytes === null || bytes.byteLength === 0 ? null : bytes;
}

/**
 * The extension keys each resolved secret by its name (`CREATE SECRET my_key (...)`) and
 * puts `type`, `name`, `provider` and `scope` among its fields. Functions ask by type
 * (`secrets.get("vgi_example")`), so each type also points at its first secret;
 * `secretForScope` picks among several of one type.
 */
function indexSecretsByType(secrets: Map<string, unknown>): Map<string, unknown> {
  for (const value of [...secrets.values()]) {
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof type === "string" && !secrets.has(type)) secrets.set(type, value);
  }
  return secrets;
}

/**
 * The secret of `type` whose scope is the longest prefix of `path` (an unscoped secret
 * matches anything, last), as DuckDB itself picks; null when none matches.
 */
export function secretForScope(
  secrets: ReadonlyMap<string, unknown>,
  type: string,
  path: string,
): Record<string, unknown> | null {
  let best: Record<string, unknown> | null = null;
  let bestLength = -1;
  for (const value of new Set(secrets.values())) {
    const secret = value as Record<string, unknown> | null;
    if (secret === null || typeof secret !== "object" || secret.type !== type) continue;
    const scopes =
      typeof secret.scope === "string" && secret.scope !== "" ? secret.scope.split("\n") : [""];
    for (const scope of scopes) {
      if (path.startsWith(scope) && scope.length > bestLength) {
        best = secret;
        bestLength = scope.length;
      }
    }
  }
  return best;
}

function decodeRow(bytes: Uint8Array | null, what: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (bytes === null || bytes.byteLength === 0) return out;
  const batch = decodeSingleBatch(bytes, what);
  if (batch.numRows === 0) return out;
  batch.schema.fields.forEach((field, index) => {
    out.set(field.name, constantValue(field, batch.getChildAt(index)!));
  });
  return out;
}

/**
 * A constant as the SQL type layer reads it (DECIMAL as an exact string, BIGINT as a
 * bigint, ...); arrow-js's own getter hands back a DECIMAL's unscaled digits.
 */
function constantValue(field: Field, column: Vector): unknown {
  try {
    return sqlTypeFromArrow(field.type, field.metadata).read(column, 0);
  } catch {
    return toPlain(column, 0);
  }
}

/** A JS value from one row of a vector, with structs and maps as plain objects. */
export function toPlain(vector: Vector, index: number): unknown {
  return plain(vector.get(index));
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || value instanceof Uint8Array) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function" && !Array.isArray(value)) {
    const json = (value as { toJSON(): unknown }).toJSON();
    if (Array.isArray(json)) return json.map(plain);
    if (json !== null && typeof json === "object") {
      return Object.fromEntries(
        Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, plain(v)]),
      );
    }
    return json;
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
