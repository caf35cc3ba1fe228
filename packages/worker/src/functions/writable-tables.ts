/**
 * Writable catalog tables backed by `TableStore` (SharedStorage): declare the columns
 * and keys, get back the catalog tables and the four functions that serve them,
 *
 * ```ts
 * const items = writableTables({
 *   prefix: "shop",
 *   tables: [{ name: "items", columns: { id: sql.bigint, name: sql.varchar }, primaryKey: ["id"] }],
 * });
 * defineCatalog({ name: "shop", supportsTransactions: true,
 *   schemas: [{ path: "main", tables: items.tables, functions: items.functions }] });
 * ```
 *
 * `<prefix>_scan(table)` reads the rows (with the `rowid` column DuckDB's UPDATE and
 * DELETE name rows by); `<prefix>_insert/_update/_delete(table, <rows>)` are the write
 * functions DuckDB streams the rows to write into, answering each batch with its count
 * or, for RETURNING, the written rows. The worker enforces NOT NULL and the primary key
 * (DuckDB checks neither for catalog tables); `check` adds any rule of the table's own.
 *
 * Atomicity comes from the catalog's transactions: with `supportsTransactions`, every
 * write is staged under DuckDB's transaction and applied on commit, so a statement that
 * fails midway (a constraint, an error thrown by `check`, an error in DuckDB) or a
 * ROLLBACK leaves nothing behind. Without it each batch is applied as it arrives.
 *
 * This file wires tables to functions; the declarations live in
 * `writable-table-definition.ts`, the writes and their constraints in
 * `writable-table-writes.ts`, row helpers in `writable-table-rows.ts`.
 */
import type { RecordBatch } from "apache-arrow";
import { ErrorKind, VgiError, sql } from "@vgi-ts/protocol";
import type { TableDefinition, WriteOperation } from "@vgi-ts/catalog";
import { TABLE } from "./argument-spec.js";
import { tableFunction, type TableFunction } from "./table-function.js";
import { type TableCall } from "./table-call.js";
import {
  tableInOutFunction,
  type TableInOutCall,
  type TableInOutFunction,
} from "./table-in-out-function.js";
import { COUNT_SCHEMA, decodeWriteOptions, type OnConflict } from "./write-options.js";
import { executionKey } from "../storage/shared-storage.js";
import type { TableScope } from "../storage/table-store.js";
import {
  ROW_ID,
  catalogTableDefinition,
  writableTableSpec,
  type WritableTableSpec,
  type WritableTablesOptions,
} from "./writable-table-definition.js";
import { countBatch, userColumns } from "./writable-table-rows.js";
import { deleteRows, insertRows, tableStore, updateRows } from "./writable-table-writes.js";

export {
  ROW_ID,
  type WritableTableDefinition,
  type WritableTablesOptions,
} from "./writable-table-definition.js";

interface WriteState {
  readonly returnRows: boolean;
  readonly onConflict: OnConflict;
}

export class WritableTables {
  readonly tables: readonly TableDefinition[];
  readonly functions: readonly (TableFunction<{ next: number }> | TableInOutFunction<WriteState>)[];
  private readonly specs = new Map<string, WritableTableSpec>();
  /** Scan snapshots of streams open in this process, by execution id. */
  private readonly snapshots = new Map<string, RecordBatch[]>();

  constructor(private readonly options: WritableTablesOptions) {
    for (const definition of options.tables) {
      const spec = writableTableSpec(definition);
      const key = definition.name.toLowerCase();
      if (this.specs.has(key)) throw new Error(`writable table ${definition.name} declared twice`);
      this.specs.set(key, spec);
    }
    this.tables = [...this.specs.values()].map((spec) =>
      catalogTableDefinition(spec, options.prefix),
    );
    this.functions = [
      this.scanFunction(),
      this.writeFunction("insert"),
      this.writeFunction("update"),
      this.writeFunction("delete"),
    ];
  }

  /**
   * Insert rows into `table` as the write functions do (constraints, row ids, the
   * call's transaction): for custom write functions. Returns the rows written.
   */
  async insert(
    call: TableInOutCall,
    table: string,
    input: RecordBatch,
    onConflict: OnConflict = "throw",
  ): Promise<RecordBatch> {
    const spec = this.spec(table);
    return insertRows(spec, this.scope(call), call.storage, input, onConflict);
  }

  private spec(table: unknown): WritableTableSpec {
    const spec = typeof table === "string" ? this.specs.get(table.toLowerCase()) : undefined;
    if (spec === undefined) {
      throw new VgiError(
        ErrorKind.NotFound,
        `${this.options.prefix}: no writable table ${String(table)}; available: ` +
          [...this.specs.values()].map((s) => s.definition.name).join(", "),
      );
    }
    return spec;
  }

  private scope(call: {
    attachId: Uint8Array | null;
    transactionId: Uint8Array | null;
  }): TableScope {
    if (call.attachId === null) {
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `${this.options.prefix}: writable tables are read through their catalog (ATTACH it)`,
      );
    }
    return { attachId: call.attachId, transactionId: call.transactionId };
  }

  private scanFunction(): TableFunction<{ next: number }> {
    return tableFunction<{ next: number }>({
      name: `${this.options.prefix}_scan`,
      description: `Rows of a writable ${this.options.prefix} table`,
      arguments: [{ name: "table", type: sql.varchar }],
      projectionPushdown: true,
      columns: (call) => this.spec(call.args.table).schema,
      start: () => ({ next: 0 }),
      produce: async (state, call: TableCall) => {
        const spec = this.spec(call.args.table);
        const execution = call.execution!;
        const key = executionKey(execution.id);
        let rows = this.snapshots.get(key);
        if (rows === undefined) {
          rows = await tableStore(execution.storage).rows(
            this.scope(call),
            spec.definition.name,
            ROW_ID,
          );
          this.snapshots.set(key, rows);
        }
        const batch = rows[state.next++];
        if (batch === undefined) {
          this.snapshots.delete(key);
          return null;
        }
        return batch;
      },
      onCancel: (_state, call) => {
        if (call.execution !== null) this.snapshots.delete(executionKey(call.execution.id));
      },
    });
  }

  private writeFunction(operation: WriteOperation): TableInOutFunction<WriteState> {
    return tableInOutFunction<WriteState>({
      name: `${this.options.prefix}_${operation}`,
      description: `${operation.toUpperCase()} into a writable ${this.options.prefix} table`,
      arguments: [
        { name: "table", type: sql.varchar },
        { name: "rows", type: TABLE },
        { name: "write_options", type: sql.blob, named: true },
      ],
      columns: (call) =>
        decodeWriteOptions(call.args.write_options).returnRows
          ? this.spec(call.args.table).userSchema
          : COUNT_SCHEMA,
      start: (call) => {
        const options = decodeWriteOptions(call.args.write_options);
        return { returnRows: options.returnRows, onConflict: options.onConflict };
      },
      process: async (input, state, call) => {
        const spec = this.spec(call.args.table);
        const scope = this.scope(call);
        let written: RecordBatch;
        if (operation === "insert") {
          written = await insertRows(spec, scope, call.storage, input, state.onConflict);
        } else if (operation === "update") {
          written = await updateRows(spec, scope, call.storage, input);
        } else {
          written = await deleteRows(spec, scope, call.storage, input);
        }
        return state.returnRows ? userColumns(spec, written) : countBatch(written.numRows);
      },
    });
  }
}

export function writableTables(options: WritableTablesOptions): WritableTables {
  return new WritableTables(options);
}
