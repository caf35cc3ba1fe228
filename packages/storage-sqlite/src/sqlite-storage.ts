/**
 * `SharedStorage` in one sqlite file that every worker process of a machine opens. DuckDB
 * pools worker processes and sends any call of an execution to any idle one, so each
 * process opens the same file; WAL mode lets them all read while one writes, and
 * `busy_timeout` makes a writer wait for another process's write instead of failing.
 *
 * Sequence numbers: `append` is one statement,
 * `INSERT … SELECT COALESCE(MAX(seq) + 1, 0) … WHERE execution_id = ? AND namespace = ?`.
 * A write statement outside a transaction takes the database's write lock before it reads
 * anything (in WAL mode it restarts from a fresh snapshot, through the busy handler, if
 * another process committed meanwhile), so no other process can append between the MAX
 * and the insert: each log gets seq 0, 1, 2, … without gaps or duplicates, in commit
 * order, across processes. (Wrapping it in `BEGIN IMMEDIATE` does the same with two more
 * statements per append.) The UNIQUE key (execution_id, namespace, seq) makes the MAX one
 * index seek and would turn a duplicate into an error, never into a silent overwrite.
 * With `synchronous=NORMAL` in WAL mode a commit does not fsync: a power loss can drop the
 * last commits but not corrupt the file, and no query outlives a power loss anyway.
 *
 * Expiry: a crashed query never calls `clear`, so its entries would stay in the file for
 * good. Opening a storage deletes every execution whose newest entry is older than
 * `maxAgeMs` (default 1 h). Whole executions go, never single old entries: a log that
 * lost its first entries would hand a reader reading from seq 0 a partial state.
 */
import Database from "better-sqlite3";
import { checkSequenceCount, type LogEntry, type SharedStorage } from "@vgi-ts/worker";

export interface SqliteStorageOptions {
  /**
   * Executions with no append for this long (ms) are deleted when a storage opens and by
   * `sweep()`. Default one hour. `Infinity` keeps everything. Keep it above the longest
   * query: a query idle for longer would lose its state to a process opening meanwhile.
   */
  readonly maxAgeMs?: number;
  /** How long (ms) a writer waits for another process's write lock. Default 30 s. */
  readonly busyTimeoutMs?: number;
  /** The clock, in ms since the epoch, stored with each entry for expiry. For tests. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000;
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** Bumped when the table layout changes; a file of another version is refused. */
const SCHEMA_VERSION = 1;

/**
 * `id` (the rowid) grows with every append, so the row of an execution with the largest
 * id is its newest: the expiry sweep finds it from the key's index alone (each index entry
 * carries the rowid) and looks up that one row's `created_at`, instead of scanning every
 * row. It is declared, not implicit, because VACUUM may renumber implicit rowids.
 * `data` is the last column, so the MAX(seq) seek and the sweep never touch a large blob.
 * `vgi_sequence` holds the last value claimed of each counter (`nextSequence`). The sweep
 * never touches it: a counter that restarted would hand out values still in use (row ids
 * of a table whose log outlives the counter). One small row per counter name. (Files
 * made before it existed get it when they are next opened, so the version stays 1.)
 * The key's column order serves every statement: (execution_id, namespace) for append
 * and read, execution_id alone for `clear` and the sweep.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS vgi_log (
    id INTEGER PRIMARY KEY,
    execution_id BLOB NOT NULL,
    namespace TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (execution_id, namespace, seq)
  );
  CREATE TABLE IF NOT EXISTS vgi_sequence (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
`;

interface Row {
  seq: number;
  data: Buffer;
}

export class SqliteStorage implements SharedStorage {
  /** The file this storage opened (`:memory:` for a private in-memory database). */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly appendStmt: Database.Statement<
    [{ id: Buffer; ns: string; at: number; data: Buffer }]
  >;
  private readonly appendAtStmt: Database.Statement<
    [{ id: Buffer; ns: string; seq: number; at: number; data: Buffer }]
  >;
  private readonly readStmt: Database.Statement<[Buffer, string, number, number], Row>;
  private readonly clearStmt: Database.Statement<[Buffer]>;
  private readonly existsStmt: Database.Statement<[Buffer], unknown>;
  private readonly sequenceStmt: Database.Statement<[string, number], { value: bigint }>;
  private readonly sweepStmt: Database.Statement<[number]>;

  constructor(path: string, options: SqliteStorageOptions = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    if (!(this.maxAgeMs >= 0)) throw new RangeError(`maxAgeMs must be >= 0, got ${this.maxAgeMs}`);
    if (!(busyTimeoutMs >= 0 && Number.isFinite(busyTimeoutMs))) {
      throw new RangeError(`busyTimeoutMs must be a finite number >= 0, got ${busyTimeoutMs}`);
    }
    this.now = options.now ?? Date.now;
    this.path = path;

    let db: Database.Database;
    try {
      db = new Database(path, { timeout: busyTimeoutMs });
    } catch (error) {
      throw new Error(`cannot open shared storage ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.db = db;
    try {
      initialize(db, busyTimeoutMs);
      this.appendStmt = db.prepare(
        `INSERT INTO vgi_log (execution_id, namespace, seq, created_at, data)
         SELECT @id, @ns, COALESCE(MAX(seq) + 1, 0), @at, @data
         FROM vgi_log WHERE execution_id = @id AND namespace = @ns`,
      );
      // Like append, one statement: the check that `seq` is still the next position and
      // the insert happen under the write lock.
      this.appendAtStmt = db.prepare(
        `INSERT INTO vgi_log (execution_id, namespace, seq, created_at, data)
         SELECT @id, @ns, @seq, @at, @data
         WHERE (SELECT COALESCE(MAX(seq) + 1, 0) FROM vgi_log
                WHERE execution_id = @id AND namespace = @ns) = @seq`,
      );
      this.readStmt = db.prepare(
        `SELECT seq, data FROM vgi_log
         WHERE execution_id = ? AND namespace = ? AND seq >= ? ORDER BY seq LIMIT ?`,
      );
      this.clearStmt = db.prepare(`DELETE FROM vgi_log WHERE execution_id = ?`);
      this.existsStmt = db.prepare(`SELECT 1 FROM vgi_log WHERE execution_id = ? LIMIT 1`);
      // One statement, so one write transaction: the read of the old value and the write
      // of the new one happen under the write lock, with no other process in between.
      this.sequenceStmt = db
        .prepare<[string, number], { value: bigint }>(
          `INSERT INTO vgi_sequence (name, value) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
           RETURNING value`,
        )
        .safeIntegers(true);
      this.sweepStmt = db.prepare(
        `DELETE FROM vgi_log WHERE execution_id IN (
           SELECT newest.execution_id
           FROM (SELECT execution_id, MAX(id) AS id FROM vgi_log GROUP BY execution_id) AS newest
           JOIN vgi_log USING (id)
           WHERE vgi_log.created_at < ?)`,
      );
      this.sweep();
    } catch (error) {
      db.close();
      throw error;
    }
  }

  append(namespace: string, executionId: Uint8Array, data: Uint8Array): void {
    this.appendStmt.run({
      id: asBuffer(executionId),
      ns: namespace,
      at: this.now(),
      data: asBuffer(data),
    });
  }

  appendAt(namespace: string, executionId: Uint8Array, seq: number, data: Uint8Array): boolean {
    const { changes } = this.appendAtStmt.run({
      id: asBuffer(executionId),
      ns: namespace,
      seq,
      at: this.now(),
      data: asBuffer(data),
    });
    return changes === 1;
  }

  read(
    namespace: string,
    executionId: Uint8Array,
    fromSeq: number,
    limit?: number,
  ): readonly LogEntry[] {
    // LIMIT -1 is sqlite's "no limit".
    return this.readStmt.all(asBuffer(executionId), namespace, fromSeq, limit ?? -1);
  }

  nextSequence(name: string, count: number): bigint {
    checkSequenceCount(count);
    const { value } = this.sequenceStmt.get(name, count)!;
    return value - BigInt(count) + 1n;
  }

  /**
   * A DELETE takes the database's write lock even when it matches nothing, and most
   * clears do (every transaction of a catalog that declares transactions ends with one):
   * look first, without a lock. Nothing appends to an execution while it is cleared.
   */
  clear(executionId: Uint8Array): void {
    const id = asBuffer(executionId);
    if (this.existsStmt.get(id) !== undefined) this.clearStmt.run(id);
  }

  /**
   * Delete every execution whose newest entry is older than `maxAgeMs` (default: the
   * storage's). Runs when the storage opens; long-lived processes may call it now and
   * then. Returns the number of entries deleted.
   */
  sweep(maxAgeMs: number = this.maxAgeMs): number {
    if (maxAgeMs === Infinity) return 0;
    return this.sweepStmt.run(this.now() - maxAgeMs).changes;
  }

  /** Close the connection. Safe to call twice; any other call after it throws. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** WAL, NORMAL sync and the schema, retrying while another process holds a lock. */
function initialize(db: Database.Database, busyTimeoutMs: number): void {
  // Switching a new file to WAL needs an exclusive lock, and sqlite does not call the busy
  // handler for every lock this takes: processes opening one new file at the same moment
  // can get SQLITE_BUSY here despite busy_timeout. Retry until the timeout.
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.transaction(() => {
        const version = db.pragma("user_version", { simple: true }) as number;
        if (version !== 0 && version !== SCHEMA_VERSION) {
          throw new Error(
            `shared storage ${db.name} has schema version ${version}, this build reads ` +
              `${SCHEMA_VERSION}; delete the file or point VGI_WORKER_SHARED_STORAGE_PATH elsewhere`,
          );
        }
        db.exec(SCHEMA);
        if (version === 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      sleep(Math.min(5 * 2 ** attempt, 100));
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A Buffer over the same bytes (better-sqlite3 binds Buffers as BLOBs), without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
