/**
 * Custom `COPY <table> FROM 'path' (FORMAT '<alias>.<format>', ...)` readers: the worker
 * reads the source and DuckDB inserts the rows into a local table.
 *
 * The extension drives a COPY FROM as a producer table function (Query-farm/vgi
 * `vgi_copy_from_impl.cpp`): bind carries the path and the target table's columns in
 * `copy_from` and the options as named arguments; the bound output must be exactly the
 * target's columns, because DuckDB puts no cast between the scan and the insert (the
 * extension rejects any other answer). So the output schema is not the author's to
 * choose: it is `call.expectedSchema`, and `read` produces batches of it.
 */
import type { Schema } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  decodeSchema,
  encodeSchema,
  type BindRequest,
  type BindResultInput,
  type CopyFromFormatInfoInput,
  type FunctionInfoInput,
  type InitRequest,
} from "@vgi-ts/protocol";
import type { CallContext } from "../rpc/call-context.js";
import type { StreamCall } from "../rpc/method.js";
import type { SharedStorage } from "../storage/shared-storage.js";
import type { BindCall } from "./bind-call.js";
import { optionArguments, optionsSchema, resolveOptions, type CopyOption } from "./copy-options.js";
import type { FunctionMetadata, SecretRequirement } from "./function-metadata.js";
import type { FunctionContext } from "./scalar-exchange.js";
import { tableBindResult } from "./table-bind-result.js";
import { TableFunction } from "./table-function.js";
import { type TableChunk } from "./table-call.js";
import type { WorkerFunction } from "./worker-function.js";

/** What bind and `read` know about a COPY FROM statement. */
export interface CopyFromCall {
  readonly format: string;
  readonly filePath: string;
  /** Option values by declared name, defaults filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The target table's columns: every produced batch has exactly these. */
  readonly expectedSchema: Schema;
  readonly settings: ReadonlyMap<string, unknown>;
  /** Resolved secrets (see `secretLookups` and `secretForScope`). */
  readonly secrets: ReadonlyMap<string, unknown>;
}

export interface CopyFromFormatDefinition extends FunctionMetadata {
  /** The handler function's name (listed in the catalog like any table function). */
  readonly name: string;
  /** What users put after the attach alias in `FORMAT '<alias>.<format>'`. */
  readonly format: string;
  /** The format's comment in `vgi_copy_formats()` (`format_comment`). */
  readonly formatComment?: string;
  readonly options: readonly CopyOption[];
  /** Secrets to resolve before bind completes, typically scoped by the source path. */
  readonly secretLookups?: (call: CopyFromCall) => readonly SecretRequirement[];
  /**
   * Read the whole source into one chunk of `call.expectedSchema` (a record batch or
   * columns by name); null for no rows. Runs once per COPY.
   */
  readonly read: (
    call: CopyFromCall,
    ctx: FunctionContext,
  ) => TableChunk | null | Promise<TableChunk | null>;
}

interface ReadState {
  done: boolean;
}

export class CopyFromFormat implements WorkerFunction {
  readonly functionType = "TABLE" as const;
  /** Decodes the options and checks their ranges, like any table function's options. */
  private readonly signature: TableFunction<ReadState>;

  constructor(readonly format: CopyFromFormatDefinition) {
    this.signature = this.table(() => {
      throw new VgiError(ErrorKind.Internal, `${format.name}: read outside a COPY FROM stream`);
    });
  }

  get name(): string {
    return this.format.name;
  }

  describe(schemaPath: readonly string[]): FunctionInfoInput {
    return this.signature.describe(schemaPath);
  }

  copyFormat(): CopyFromFormatInfoInput {
    return {
      comment: this.format.formatComment ?? null,
      tags: this.format.tags ?? {},
      formatName: this.format.format,
      handler: this.format.name,
      options: encodeSchema(optionsSchema(this.format.options)),
      direction: "from",
      description: this.format.description ?? "",
      ordered: false,
    };
  }

  matchScore(call: BindCall): number | null {
    return this.signature.matchScore(call);
  }

  bind(call: BindCall): BindResultInput | Promise<BindResultInput> {
    const copyCall = (): CopyFromCall => this.copyCall(call);
    return tableBindResult(
      call,
      () => this.format.secretLookups?.(copyCall()) ?? [],
      () => copyCall().expectedSchema,
    );
  }

  /** The stream reads the source once, on its first tick, and is then done. */
  open(
    call: BindCall,
    init: InitRequest,
    ctx: CallContext,
    storage?: SharedStorage,
  ): Promise<StreamCall> {
    const copyCall = this.copyCall(call);
    return this.table((fctx) => this.format.read(copyCall, fctx)).open(call, init, ctx, storage);
  }

  private copyCall(call: BindCall): CopyFromCall {
    const copyFrom = (call.request as Partial<BindRequest>).copyFrom ?? null;
    if (copyFrom === null) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `${this.name} reads the COPY FROM format '${this.format.format}': use ` +
          `COPY <table> FROM '<path>' (FORMAT '<alias>.${this.format.format}'), not a function call`,
      );
    }
    const tableCall = this.signature.tableCall(call);
    // Range checks of the options (the schema it returns is not used).
    this.signature.outputSchema(tableCall);
    return {
      format: this.format.format,
      filePath: copyFrom.filePath,
      options: resolveOptions(this.format.format, this.format.options, tableCall.args),
      expectedSchema: decodeSchema(
        copyFrom.expectedSchema,
        "BindRequest.copy_from.expected_schema",
      ),
      settings: call.settings,
      secrets: call.secrets,
    };
  }

  private table(
    read: (ctx: FunctionContext) => TableChunk | null | Promise<TableChunk | null>,
  ): TableFunction<ReadState> {
    const { secretLookups: _lookups, read: _read, ...metadata } = this.format;
    return new TableFunction<ReadState>({
      ...metadata,
      arguments: optionArguments(this.format.options),
      columns: {},
      start: () => ({ done: false }),
      produce: async (state, _call, ctx) => {
        if (state.done) return null;
        state.done = true;
        return await read(ctx);
      },
    });
  }
}

/** Define a custom COPY FROM format reader. */
export function copyFromFormat(definition: CopyFromFormatDefinition): CopyFromFormat {
  return new CopyFromFormat(definition);
}
