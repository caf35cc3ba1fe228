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
 */
import { Field, Int64, Schema, makeData, type Data, type RecordBatch } from "apache-arrow";
import {
  ErrorKind,
  VgiError,
  makeRecordBatch,
  sql,
  sqlTypeFromArrow,
  type AnySqlType,
} from "@vgi-ts/protocol";
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
import { executionKey, type SharedStorage } from "../storage/shared-storage.js";
import { TableStore, type TableScope, type TableSnapshot } from "../storage/table-store.js";
import { selectRows } from "../filters/select-rows.js";

/** The row id column every writable table carries (DuckDB's UPDATE/DELETE handle). */
export const ROW_ID = "rowid";

export interface WritableTableDefinition {
  readonly name: string;
  readonly comment?: string;
  /** The user columns, in order (the row id column is added). */
  readonly columns: Readonly<Record<string, AnySqlType>>;
  readonly notNull?: readonly string[];
  readonly primaryKey?: readonly string[];
  /** The operations allowed; default all three. */
  readonly operations?: readonly WriteOperation[];
  /** The most each write returns (`"count"` refuses RETURNING); default `"rows"`. */
  readonly writeResult?: TableDefinition["writeResult"];
  /**
   * Sees every batch about to be written (insert: the new rows; update: the new
   * versions; delete: the row ids), with the row id column. Throw to refuse the write:
   * the statement fails, and in a transactional catalog nothing of it stays.
   */
  readonly check?: (operation: WriteOperation, rows: RecordBatch) => void;
  /** Serve INSERT with another function of the catalog instead of `<prefix>_insert`. */
  readonly insertFunction?: string;
}

export interface WritableTablesOptions {
  /** Function names: `<prefix>_scan`, `<prefix>_insert`, `<prefix>_update`, `<prefix>_delete`. */
  readonly prefix: string;
  readonly tables: readonly WritableTableDefinition[];
}

interface Spec {
  readonly definition: WritableTableDefinition;
  /** User columns then the row id. */
  readonly schema: Schema;
  /** User columns: what INSERT sends and RETURNING answers. */
  readonly userSchema: Schema;
}

interface WriteState {
  readonly returnRows: boolean;
  readonly onConflict: OnConflict;
}

const CONFLICT_ERROR = ErrorKind.ConstraintViolation;

/** Key `k` of columns `key` is already taken in table `table`. */
function duplicateKey(key: readonly string[], k: string, table: string): VgiError {
  return new VgiError(
    CONFLICT_ERROR,
    `Duplicate key "${key.join(", ")}: ${k}" violates the primary key of table ${table}`,
  );
}

export class WritableTables {
  readonly tables: readonly TableDefinition[];
  readonly functions: readonly (TableFunction<{ next: number }> | TableInOutFunction<WriteState>)[];
  private readonly specs = new Map<string, Spec>();
  /** Scan snapshots of streams open in this process, by execution id. */
  private readonly snapshots = new Map<string, RecordBatch[]>();

  constructor(private readonly options: WritableTablesOptions) {
    for (const definition of options.tables) {
      const userSchema = new Schema(
        Object.entries(definition.columns).map(([name, type]) => type.field(name, true)),
      );
      const rowId = new Field(ROW_ID, new Int64(), true, new Map([["is_row_id", ""]]));
      const spec = { definition, userSchema, schema: new Schema([...userSchema.fields, rowId]) };
      const key = definition.name.toLowerCase();
      if (this.specs.has(key)) throw new Error(`writable table ${definition.name} declared twice`);
      this.specs.set(key, spec);
    }
    this.tables = [...this.specs.values()].map((spec) => this.tableDefinition(spec));
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
    return this.insertRows(spec, this.scope(call), call, input, onConflict);
  }

  private spec(table: unknown): Spec {
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

  private tableDefinition(spec: Spec): TableDefinition {
    const d = spec.definition;
    const ops = new Set(d.operations ?? ["insert", "update", "delete"]);
    const call = (fn: string) => ({ functionName: fn, positional: [d.name] });
    const prefix = this.options.prefix;
    return {
      name: d.name,
      ...(d.comment === undefined ? {} : { comment: d.comment }),
      columns: spec.schema,
      rowId: ROW_ID,
      ...(d.notNull === undefined ? {} : { notNull: d.notNull }),
      ...(d.primaryKey === undefined ? {} : { primaryKey: [d.primaryKey] }),
      scan: call(`${prefix}_scan`),
      ...(ops.has("insert") ? { insert: call(d.insertFunction ?? `${prefix}_insert`) } : {}),
      ...(ops.has("update") ? { update: call(`${prefix}_update`) } : {}),
      ...(ops.has("delete") ? { delete: call(`${prefix}_delete`) } : {}),
      ...(d.writeResult === undefined ? {} : { writeResult: d.writeResult }),
    };
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

  private store(storage: SharedStorage | null): TableStore {
    if (storage === null) {
      throw new VgiError(ErrorKind.Internal, "writable tables need the worker's shared storage");
    }
    return new TableStore(storage);
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
          rows = await this.store(execution.storage).rows(
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
          written = await this.insertRows(spec, scope, call, input, state.onConflict);
        } else if (operation === "update") {
          written = await this.updateRows(spec, scope, call, input);
        } else {
          written = await this.deleteRows(spec, scope, call, input);
        }
        return state.returnRows ? userColumns(spec, written) : countBatch(written.numRows);
      },
    });
  }

  private async insertRows(
    spec: Spec,
    scope: TableScope,
    call: TableInOutCall,
    input: RecordBatch,
    onConflict: OnConflict,
  ): Promise<RecordBatch> {
    const name = spec.definition.name;
    const columns = spec.userSchema.fields.map((field) => {
      const child = input.getChild(field.name);
      if (child === null) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `INSERT into ${name} lacks column ${field.name}`,
        );
      }
      return child.data.length === 1 ? child.data[0]! : rebuild(field, child);
    });
    checkNotNull(
      spec,
      columns,
      spec.userSchema.fields.map((f) => f.name),
    );
    const store = this.store(call.storage);
    let rows = makeRecordBatch(spec.schema, input.numRows, [
      ...columns,
      await nextRowIds(call.storage!, input.numRows),
    ]);
    const key = spec.definition.primaryKey;
    if (key !== undefined && key.length > 0) {
      const snapshot = await store.snapshot(scope, name, ROW_ID, (batch) => rowKeys(batch, key));
      const seen = new Set<string>();
      const keep = new Uint8Array(rows.numRows);
      rowKeys(rows, key).forEach((k, i) => {
        if (snapshot.keyOwner(k) === undefined && !seen.has(k)) {
          seen.add(k);
          keep[i] = 1;
        } else if (onConflict === "throw") {
          throw duplicateKey(key, k, name);
        }
      });
      if (keep.some((v) => v === 0)) rows = selectRows(rows, keep);
    }
    spec.definition.check?.("insert", rows);
    await store.write(scope, [{ kind: "put", table: name, rows }]);
    return rows;
  }

  private async updateRows(
    spec: Spec,
    scope: TableScope,
    call: TableInOutCall,
    input: RecordBatch,
  ): Promise<RecordBatch> {
    const name = spec.definition.name;
    const store = this.store(call.storage);
    const key = spec.definition.primaryKey;
    const keyed = key !== undefined && key.length > 0 ? key : undefined;
    const snapshot = await store.snapshot(
      scope,
      name,
      ROW_ID,
      keyed && ((batch) => rowKeys(batch, keyed)),
    );
    const ids = rowIdValues(input);
    const located = locate(snapshot, ids, name, "Update");
    const updated = new Set(input.schema.fields.map((f) => f.name).filter((n) => n !== ROW_ID));
    const columns = spec.userSchema.fields.map((field) => {
      if (updated.has(field.name)) {
        const child = input.getChild(field.name)!;
        return child.data.length === 1 ? child.data[0]! : rebuild(field, child);
      }
      return gather(field, located);
    });
    checkNotNull(
      spec,
      columns,
      spec.userSchema.fields.map((f) => f.name).filter((n) => updated.has(n)),
    );
    const rows = makeRecordBatch(spec.schema, input.numRows, [...columns, sql.bigint.build(ids)]);
    if (keyed !== undefined && keyed.some((column) => updated.has(column))) {
      // Keys of rows this batch changes are free; any other live row's key is taken.
      const changing = new Set(ids);
      const seen = new Set<string>();
      for (const k of rowKeys(rows, keyed)) {
        const owner = snapshot.keyOwner(k);
        if ((owner !== undefined && !changing.has(owner)) || seen.has(k)) {
          throw duplicateKey(keyed, k, name);
        }
        seen.add(k);
      }
    }
    spec.definition.check?.("update", rows);
    await store.write(scope, [{ kind: "put", table: name, rows }]);
    return rows;
  }

  private async deleteRows(
    spec: Spec,
    scope: TableScope,
    call: TableInOutCall,
    input: RecordBatch,
  ): Promise<RecordBatch> {
    const name = spec.definition.name;
    const store = this.store(call.storage);
    const snapshot = await store.snapshot(scope, name, ROW_ID);
    const ids = rowIdValues(input);
    const located = locate(snapshot, ids, name, "Delete");
    const columns = spec.userSchema.fields.map((field) => gather(field, located));
    const rows = makeRecordBatch(spec.schema, input.numRows, [...columns, sql.bigint.build(ids)]);
    spec.definition.check?.("delete", rows);
    const doomed = makeRecordBatch(new Schema([spec.schema.fields.at(-1)!]), ids.length, [
      sql.bigint.build(ids),
    ]);
    await store.write(scope, [{ kind: "delete", table: name, rows: doomed }]);
    return rows;
  }
}

export function writableTables(options: WritableTablesOptions): WritableTables {
  return new WritableTables(options);
}

/** The counter (in shared storage) every writable table numbers its rows from. */
const ROW_ID_SEQUENCE = "vgi.tables.rowid";

/**
 * Fresh row ids, consecutive, claimed from a shared-storage counter in one atomic step:
 * unique across every worker process, and increasing in claim order, so row id order
 * is insertion order.
 */
async function nextRowIds(storage: SharedStorage, count: number): Promise<Data<Int64>> {
  const ids = new BigInt64Array(count);
  if (count > 0) {
    const first = await storage.nextSequence(ROW_ID_SEQUENCE, count);
    for (let i = 0; i < count; i++) ids[i] = first + BigInt(i);
  }
  return makeData({ type: new Int64(), length: count, nullCount: 0, data: ids });
}

function rowIdValues(batch: RecordBatch): bigint[] {
  const column = batch.getChild(ROW_ID);
  if (column === null) {
    throw new VgiError(ErrorKind.InvalidArgument, `write input has no ${ROW_ID} column`);
  }
  const out: bigint[] = [];
  for (let i = 0; i < column.length; i++) {
    const id = column.get(i) as bigint | null;
    if (id === null)
      throw new VgiError(ErrorKind.InvalidArgument, `write input has a NULL ${ROW_ID}`);
    out.push(id);
  }
  return out;
}

interface Located {
  readonly batch: RecordBatch;
  readonly row: number;
}

/** The batch and row of each row id's live version; a missing one is an error. */
function locate(
  snapshot: TableSnapshot,
  ids: readonly bigint[],
  table: string,
  verb: string,
): Located[] {
  return ids.map((id) => {
    const found = snapshot.locate(id);
    if (found === null) {
      throw new VgiError(ErrorKind.NotFound, `${verb} target rowid ${id} not in table ${table}`);
    }
    return found;
  });
}

/** One column of the located rows, read from their batches. */
function gather(field: Field, located: readonly Located[]): Data {
  const type = sqlTypeFromArrow(field.type, field.metadata);
  const readers = new Map<RecordBatch, (row: number) => unknown>();
  const reader = (batch: RecordBatch) => {
    let read = readers.get(batch);
    if (read === undefined) readers.set(batch, (read = type.reader(batch.getChild(field.name)!)));
    return read;
  };
  return type.build(located.map(({ batch, row }) => reader(batch)(row)));
}

/** A multi-chunk input column as one chunk. */
function rebuild(field: Field, column: { length: number; get(i: number): unknown }): Data {
  const type = sqlTypeFromArrow(field.type, field.metadata);
  return type.build(Array.from({ length: column.length }, (_, i) => column.get(i)));
}

function checkNotNull(spec: Spec, columns: readonly Data[], names: readonly string[]): void {
  for (const column of spec.definition.notNull ?? []) {
    const index = spec.userSchema.fields.findIndex(
      (f) => f.name.toLowerCase() === column.toLowerCase(),
    );
    if (index < 0 || !names.includes(spec.userSchema.fields[index]!.name)) continue;
    if (columns[index]!.nullCount > 0) {
      throw new VgiError(
        CONFLICT_ERROR,
        `NOT NULL constraint failed: ${spec.definition.name}.${spec.userSchema.fields[index]!.name}`,
      );
    }
  }
}

/** Each row's key, as text (`1`, `"a", 2`). */
function rowKeys(batch: RecordBatch, key: readonly string[]): string[] {
  const readers = key.map((column) => {
    const index = batch.schema.fields.findIndex(
      (f) => f.name.toLowerCase() === column.toLowerCase(),
    );
    const field = batch.schema.fields[index]!;
    return sqlTypeFromArrow(field.type, field.metadata).reader(batch.getChildAt(index)!);
  });
  return Array.from({ length: batch.numRows }, (_, row) =>
    readers
      .map((read) => {
        const value = read(row);
        return typeof value === "bigint" ? value.toString() : JSON.stringify(value);
      })
      .join(", "),
  );
}

function userColumns(spec: Spec, rows: RecordBatch): RecordBatch {
  return makeRecordBatch(
    spec.userSchema,
    rows.numRows,
    spec.userSchema.fields.map((field) => rows.getChild(field.name)!.data[0]!),
  );
}

function countBatch(count: number): RecordBatch {
  return makeRecordBatch(COUNT_SCHEMA, 1, [sql.bigint.build([BigInt(count)])]);
}
