/**
 * `attach_opaque_data`: the handle DuckDB echoes on every catalog call and bind after
 * ATTACH. The extension pools worker processes and may send the next call to a
 * different process (or, over HTTP, a different replica), so the handle must identify
 * the catalog by itself; nothing about an attachment is kept in process memory.
 */
import { MalformedRequestError } from "@vgi-ts/protocol";

const MAGIC = "vgi-ts.attach.v1";

export interface AttachState {
  readonly catalog: string;
  /** Typed ATTACH option values, kept so every later call sees them. */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The ATTACH options exactly as the extension sent them (a one-row IPC batch, values
   * already cast to the declared types), so every later call reads them back typed.
   */
  readonly optionsIpc?: Uint8Array;
  /** The data version ATTACH resolved to (the catalog's tables may differ per version). */
  readonly dataVersion?: string;
  /** The implementation version ATTACH resolved to. */
  readonly implementationVersion?: string;
  /**
   * This attachment's own id (hex), issued at ATTACH for catalogs whose data belongs to
   * one attachment (writable tables): two ATTACHes of the same catalog never share rows.
   */
  readonly id?: string;
}

export function encodeAttachToken(state: AttachState): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify(
      {
        m: MAGIC,
        c: state.catalog,
        o: state.options ?? {},
        ...(state.id === undefined ? {} : { i: state.id }),
        ...(state.optionsIpc === undefined
          ? {}
          : { oi: Buffer.from(state.optionsIpc).toString("base64") }),
        ...(state.dataVersion === undefined ? {} : { dv: state.dataVersion }),
        ...(state.implementationVersion === undefined ? {} : { iv: state.implementationVersion }),
      },
      bigintSafe,
    ),
  );
}

export function decodeAttachToken(bytes: Uint8Array | null | undefined): AttachState {
  if (bytes === null || bytes === undefined || bytes.byteLength === 0) {
    throw new MalformedRequestError(
      "Request carries no attach_opaque_data; ATTACH the catalog first",
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new MalformedRequestError("attach_opaque_data was not issued by this worker");
  }
  const record = value as {
    m?: unknown;
    c?: unknown;
    o?: unknown;
    oi?: unknown;
    dv?: unknown;
    iv?: unknown;
    i?: unknown;
  };
  if (
    record === null ||
    typeof record !== "object" ||
    record.m !== MAGIC ||
    typeof record.c !== "string"
  ) {
    throw new MalformedRequestError("attach_opaque_data was not issued by this worker");
  }
  const options =
    typeof record.o === "object" && record.o !== null ? (record.o as Record<string, unknown>) : {};
  return {
    catalog: record.c,
    options,
    ...(typeof record.oi === "string" ? { optionsIpc: Buffer.from(record.oi, "base64") } : {}),
    ...(typeof record.dv === "string" ? { dataVersion: record.dv } : {}),
    ...(typeof record.iv === "string" ? { implementationVersion: record.iv } : {}),
    ...(typeof record.i === "string" ? { id: record.i } : {}),
  };
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
