/**
 * Custom `COPY <source> TO 'path' (FORMAT '<alias>.<format>', ...)` writers. DuckDB
 * streams the source rows to the worker and the worker writes the destination.
 *
 * The extension drives a COPY TO as a table-buffering function without a source phase
 * (Query-farm/vgi `vgi_copy_to_impl.cpp`): bind (function type TABLE, the source columns
 * as `input_schema`, the destination in `copy_to`), one init per sink thread (phase
 * TABLE_BUFFERING), `table_buffering_process` per chunk and, once at the end — also for
 * an empty source — `table_buffering_combine`, on whichever worker process it reaches.
 * So `write` runs per chunk, possibly in several processes at once, and must keep what
 * `close` needs in `call.storage` (shared, scoped to this COPY); `close` runs exactly
 * once and must leave the destination complete. When the destination exists DuckDB
 * has the worker write a temporary sibling and renames it afterwards: `call.filePath`
 * is always the path to write.
 */
import type { RecordBatch, Schema } from "apache-arrow";
import { ErrorKind, VgiError, encodeSchema, type CopyFromFormatInfoInput } from "@vgi-ts/protocol";
import type { LogLevel } from "@vgi-ts/protocol";
import type { ExecutionStorage } from "../storage/execution-storage.js";
import { TABLE } from "./argument-spec.js";
import { optionArguments, optionsSchema, resolveOptions, type CopyOption } from "./copy-options.js";
import type { FunctionMetadata, SecretRequirement } from "./function-metadata.js";
import {
  TableBufferingFunction,
  type BufferingBindCall,
  type BufferingCall,
} from "./table-buffering-function.js";

/** What bind knows about a COPY TO statement. */
export interface CopyToBindCall {
  readonly format: string;
  /** Where the worker must write (a temporary sibling when DuckDB overwrites a file). */
  readonly filePath: string;
  /** Option values by declared name, defaults filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The source columns. */
  readonly inputSchema: Schema;
  readonly settings: ReadonlyMap<string, unknown>;
  /** Resolved secrets (see `secretLookups` and `secretForScope`). */
  readonly secrets: ReadonlyMap<string, unknown>;
}

/** What `write` and `close` see. */
export interface CopyToCall extends CopyToBindCall {
  /** Stable across every process and call of this COPY. */
  readonly executionId: Uint8Array;
  /** Shared storage scoped to this COPY: where `write` keeps what `close` reads. */
  readonly storage: ExecutionStorage;
  log(level: LogLevel, message: string, extra?: Record<string, unknown>): void;
}

export interface CopyToFormatDefinition extends FunctionMetadata {
  /** The handler function's name (listed in the catalog like any function). */
  readonly name: string;
  /** What users put after the attach alias in `FORMAT '<alias>.<format>'`. */
  readonly format: string;
  /** The format's comment in `vgi_copy_formats()` (`format_comment`). */
  readonly formatComment?: string;
  readonly options: readonly CopyOption[];
  /**
   * The writer needs rows in source order: DuckDB then runs a single sink thread (when
   * it preserves insertion order, its default) instead of a parallel sharded write.
   */
  readonly ordered?: boolean;
  /** Secrets to resolve before bind completes, typically scoped by the destination. */
  readonly secretLookups?: (call: CopyToBindCall) => readonly SecretRequirement[];
  /** Keep one source chunk for `close` (per chunk, in any process, concurrently). */
  readonly write: (batch: RecordBatch, call: CopyToCall) => void | Promise<void>;
  /** Write and close the destination, once; returns the rows written (informational). */
  readonly close: (call: CopyToCall) => number | void | Promise<number | void>;
}

export class CopyToFormat extends TableBufferingFunction<null> {
  constructor(readonly format: CopyToFormatDefinition) {
    const bindCall = (call: BufferingBindCall): CopyToBindCall => copyToBindCall(format, call);
    const copyCall = (call: BufferingCall): CopyToCall => ({
      ...bindCall(call),
      executionId: call.executionId,
      storage: call.storage,
      log: call.log,
    });
    super({
      ...format,
      arguments: [{ name: "source", type: TABLE }, ...optionArguments(format.options)],
      columns: {},
      sinkOrderDependent: format.ordered === true,
      validate: (call) => void bindCall(call),
      secretLookups: (call) => format.secretLookups?.(bindCall(call)) ?? [],
      process: async (batch, call) => {
        await format.write(batch, copyCall(call));
        return call.executionId;
      },
      combine: async (_stateIds, call) => {
        await format.close(copyCall(call));
        // No finalize streams: a COPY TO has no output.
        return [];
      },
      start: () => null,
      produce: () => null,
    });
  }

  copyFormat(): CopyFromFormatInfoInput {
    return {
      comment: this.format.formatComment ?? null,
      tags: this.format.tags ?? {},
      formatName: this.format.format,
      handler: this.format.name,
      options: encodeSchema(optionsSchema(this.format.options)),
      direction: "to",
      description: this.format.description ?? "",
      ordered: this.format.ordered === true,
    };
  }
}

function copyToBindCall(format: CopyToFormatDefinition, call: BufferingBindCall): CopyToBindCall {
  if (call.copyTo === null) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `${format.name} writes the COPY TO format '${format.format}': use ` +
        `COPY <source> TO '<path>' (FORMAT '<alias>.${format.format}'), not a function call`,
    );
  }
  return {
    format: format.format,
    filePath: call.copyTo.filePath,
    options: resolveOptions(format.format, format.options, call.args),
    inputSchema: call.inputSchema,
    settings: call.settings,
    secrets: call.secrets,
  };
}

/** Define a custom COPY TO format writer. */
export function copyToFormat(definition: CopyToFormatDefinition): CopyToFormat {
  return new CopyToFormat(definition);
}
