/**
 * One DuckDB database as a sqllogictest file sees it: the instance (reopened
 * by `restart` / `load`), the default connection, named connections, and
 * query execution that renders results the sqllogictest way.
 */
import { rmSync } from "node:fs";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { RenderedResult } from "./compare.js";
import { containsTimestampTz, renderVectorCell } from "./render.js";

/** Instance settings DuckDB's unittest runner uses (GetTestConfig / SQLLogicTestRunner). */
function instanceOptions(readonly: boolean): Record<string, string> {
  return {
    allow_unsigned_extensions: "true",
    allow_unredacted_secrets: "true",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    access_mode: readonly ? "READ_ONLY" : "AUTOMATIC",
  };
}

export type ExecOutcome = { ok: true; result?: RenderedResult } | { ok: false; error: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Session {
  private instance: DuckDBInstance;
  private main: DuckDBConnection;
  private readonly named = new Map<string, DuckDBConnection>();
  /** SQL statements re-run after every (re)open, e.g. LOADs of required extensions. */
  readonly startup: string[] = [];

  private constructor(
    instance: DuckDBInstance,
    main: DuckDBConnection,
    private dbPath: string,
    private readOnly: boolean,
  ) {
    this.instance = instance;
    this.main = main;
  }

  static async open(dbPath = ":memory:", readonly = false): Promise<Session> {
    const instance = await DuckDBInstance.create(dbPath, instanceOptions(readonly));
    return new Session(instance, await instance.connect(), dbPath, readonly);
  }

  /** The default connection, or a named one (created on first use). */
  async connection(name?: string): Promise<DuckDBConnection> {
    if (name === undefined) return this.main;
    let connection = this.named.get(name);
    if (connection === undefined) {
      connection = await this.instance.connect();
      this.named.set(name, connection);
    }
    return connection;
  }

  /** A fresh connection for one iteration of a concurrent loop. */
  async newConnection(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Runs `sql`; with `render`, materialises and renders the result cells. */
  async execute(sql: string, connection: DuckDBConnection, render: boolean): Promise<ExecOutcome> {
    try {
      const result = await connection.run(sql);
      if (!render) return { ok: true };
      const columnTypes = result.columnTypes();
      const columnNames = result.columnNames();
      const timeZone = columnTypes.some(containsTimestampTz)
        ? await this.timeZone(connection)
        : "UTC";
      const values: string[] = [];
      let rowCount = 0;
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        const vectors = columnTypes.map((_, i) => chunk.getColumnVector(i));
        for (let row = 0; row < chunk.rowCount; row++) {
          columnTypes.forEach((type, i) => {
            const vector = vectors[i];
            if (vector !== undefined)
              values.push(renderVectorCell(vector, row, type, { timeZone }));
          });
        }
        rowCount += chunk.rowCount;
      }
      return { ok: true, result: { columnNames, columnTypes, rowCount, values } };
    } catch (error) {
      return { ok: false, error: errorText(error) };
    }
  }

  /** The session TimeZone (TIMESTAMPTZ text depends on it); UTC if it cannot be read. */
  private async timeZone(connection: DuckDBConnection): Promise<string> {
    try {
      const reader = await connection.runAndReadAll("SELECT current_setting('TimeZone')");
      const value = reader.getColumns()[0]?.[0];
      return typeof value === "string" && value !== "" ? value : "UTC";
    } catch {
      return "UTC";
    }
  }

  /** `reconnect`: a fresh default connection. */
  async reconnect(): Promise<void> {
    this.main.closeSync();
    this.main = await this.instance.connect();
  }

  /** `restart`: close and reopen the same database, re-running the startup statements. */
  async restart(runStartup: boolean): Promise<string | undefined> {
    return this.reopen(this.dbPath, this.readOnly, runStartup);
  }

  /** `load <path> [readonly]`: switch to another database file (deleted first unless readonly). */
  async load(path: string, readonly: boolean): Promise<string | undefined> {
    if (!readonly && path !== "" && path !== ":memory:") {
      for (const suffix of ["", ".wal"]) rmSync(path + suffix, { force: true });
    }
    return this.reopen(path === "" ? ":memory:" : path, readonly, true);
  }

  private async reopen(
    path: string,
    readonly: boolean,
    runStartup: boolean,
  ): Promise<string | undefined> {
    this.closeConnections();
    this.instance.closeSync();
    this.dbPath = path;
    this.readOnly = readonly;
    this.instance = await DuckDBInstance.create(path, instanceOptions(readonly));
    this.main = await this.instance.connect();
    if (!runStartup) return undefined;
    for (const sql of this.startup) {
      const outcome = await this.execute(sql, this.main, false);
      if (!outcome.ok) return outcome.error;
    }
    return undefined;
  }

  private closeConnections(): void {
    for (const connection of this.named.values()) connection.closeSync();
    this.named.clear();
    this.main.closeSync();
  }

  close(): void {
    this.closeConnections();
    this.instance.closeSync();
  }
}
