/**
 * Executes a parsed sqllogictest file against a fresh DuckDB database,
 * record by record, like DuckDB's SQLLogicTestRunner. Unlike DuckDB (which
 * aborts a file at its first failure) every failing record is recorded and
 * execution continues, so one run shows all the problems in a file.
 */
import { readFileSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { checkQueryResult, hashValues, sortValues, type RenderedResult } from "./compare.js";
import { runDirective } from "./directive-exec.js";
import { rewriteLoadStatement } from "./extensions.js";
import { Keywords, replaceLoopVariables, type RunningLoop } from "./keywords.js";
import { parseTest } from "./parser.js";
import type {
  LoopCondition,
  LoopRecord,
  QueryRecord,
  StatementRecord,
  TestRecord,
} from "./records.js";
import { loadResultFile } from "./result-file.js";
import type { FileResult, RecordFailure } from "./results.js";
import { Session } from "./session.js";
import {
  checkQueryError,
  checkStatement,
  DEFAULT_ALWAYS_FAIL_ERROR_MESSAGES,
  DEFAULT_IGNORE_ERROR_MESSAGES,
  type CheckOutcome,
  type ErrorPolicy,
} from "./statement-check.js";

export interface RunFileOptions {
  /** Path of the .test file to read. */
  path: string;
  /** Name used in results and as ${TEST_NAME}; defaults to `path`. */
  name?: string;
  /** Directory substituted for __TEST_DIR__. */
  testDir: string;
  /** Substituted for __WORKING_DIRECTORY__ / ${WORKING_DIR}; defaults to process.cwd(). */
  workingDir?: string;
  /** Environment consulted by require-env / test-env; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extension name → .duckdb_extension path, overriding the npm packages. */
  extensionOverrides?: Readonly<Record<string, string>>;
}

/** Where a record executes: its running loops and, inside concurrentloop, its own connection. */
export interface ExecContext {
  loops: RunningLoop[];
  connection?: DuckDBConnection;
  parallel: boolean;
}

class ConditionError extends Error {}

/** A result as tab-separated lines under a header of column names (mode output_result). */
function resultText(result: RenderedResult): string {
  const columns = result.columnTypes.length;
  const lines = [result.columnNames.join("\t")];
  for (let i = 0; i < result.values.length; i += columns) {
    lines.push(result.values.slice(i, i + columns).join("\t"));
  }
  return lines.join("\n");
}

function conditionHolds(condition: LoopCondition, loops: readonly RunningLoop[]): boolean {
  let found = false;
  let holds = false;
  for (const loop of loops) {
    if (loop.iterator !== condition.keyword) continue;
    found = true;
    const { comparison, value } = condition;
    if (comparison === "=") holds = loop.value === value;
    else if (comparison === "<>") holds = loop.value !== value;
    else {
      const left = Number.parseInt(loop.value, 10);
      const right = Number.parseInt(value, 10);
      holds =
        comparison === ">"
          ? left > right
          : comparison === "<"
            ? left < right
            : comparison === ">="
              ? left >= right
              : left <= right;
    }
  }
  if (!found) {
    throw new ConditionError(
      `Condition in onlyif/skipif not found: ${condition.keyword} must be a loop iterator name`,
    );
  }
  return holds;
}

export class FileRun {
  readonly keywords: Keywords;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly extensionOverrides: Readonly<Record<string, string>>;
  ignoreErrorMessages = [...DEFAULT_IGNORE_ERROR_MESSAGES];
  alwaysFailErrorMessages = [...DEFAULT_ALWAYS_FAIL_ERROR_MESSAGES];
  hashThreshold = 0;
  readonly labels = new Map<string, { hash: string; result: string[] }>();
  outputHash = false;
  outputResult = false;
  /** DuckDB's finished_processing_file: nothing more runs (skip or fatal error). */
  finished = false;
  skipReason?: string;
  readonly failures: RecordFailure[] = [];
  readonly notes: string[] = [];
  executed = 0;

  constructor(
    readonly session: Session,
    options: RunFileOptions,
  ) {
    const workingDir = options.workingDir ?? process.cwd();
    this.keywords = new Keywords(options.testDir, workingDir, options.name ?? options.path);
    this.env = options.env ?? process.env;
    this.extensionOverrides = options.extensionOverrides ?? {};
  }

  get policy(): ErrorPolicy {
    return {
      ignoreErrorMessages: this.ignoreErrorMessages,
      alwaysFailErrorMessages: this.alwaysFailErrorMessages,
      replaceKeywords: (text) => this.keywords.replace(text),
    };
  }

  /** Records a failure; `fatal` ones stop the file, as a DuckDB parser/runner error does. */
  fail(failure: RecordFailure, ctx?: ExecContext, fatal = false): void {
    const loop = ctx?.loops.map((l) => `${l.iterator}=${l.value}`).join(", ");
    this.failures.push(loop ? { ...failure, loop } : failure);
    if (fatal) this.finished = true;
  }

  skip(reason: string): void {
    this.finished = true;
    this.skipReason ??= reason;
  }

  private apply(outcome: CheckOutcome, record: TestRecord, sql: string, ctx: ExecContext): void {
    if (outcome.kind === "fail") {
      this.fail({ line: record.line, title: outcome.title, sql, detail: outcome.detail }, ctx);
    } else if (outcome.kind === "skip-file") {
      this.skip(outcome.reason);
    } else if (outcome.note !== undefined) {
      this.notes.push(`line ${record.line}: ${outcome.note}`);
      this.skipReason ??= outcome.note;
    }
  }

  async runRecords(records: readonly TestRecord[], ctx: ExecContext): Promise<void> {
    for (const record of records) {
      if (this.finished) return;
      const conditions = "conditions" in record ? (record.conditions ?? []) : [];
      try {
        if (conditions.length > 0) {
          if (ctx.loops.length === 0) {
            throw new ConditionError(
              "Conditions (onlyif/skipif) on loop parameters can only occur within a loop",
            );
          }
          if (!conditions.every((c) => conditionHolds(c, ctx.loops) !== c.skipIf)) continue;
        }
        await this.runRecord(record, ctx);
      } catch (error) {
        this.fail({ line: record.line, title: (error as Error).message }, ctx, true);
      }
      if (ctx.loops[ctx.loops.length - 1]?.skipped) return;
    }
  }

  private async runRecord(record: TestRecord, ctx: ExecContext): Promise<void> {
    switch (record.kind) {
      case "statement":
        return this.runStatement(record, ctx);
      case "query":
        return this.runQuery(record, ctx);
      case "loop":
        return this.runLoop(record, ctx);
      default:
        return runDirective(this, record, ctx);
    }
  }

  /** Keyword substitution (DuckDB does it while parsing) followed by loop variables. */
  substitute(text: string, ctx: ExecContext): string {
    return replaceLoopVariables(this.keywords.replace(text), ctx.loops);
  }

  private async connectionFor(
    name: string | undefined,
    ctx: ExecContext,
  ): Promise<DuckDBConnection> {
    if (name !== undefined && ctx.parallel)
      throw new Error("Named connections not supported in parallel loop");
    if (name === undefined && ctx.connection !== undefined) return ctx.connection;
    return this.session.connection(name);
  }

  private async runStatement(record: StatementRecord, ctx: ExecContext): Promise<void> {
    const sql = rewriteLoadStatement(this.substitute(record.sql, ctx), this.extensionOverrides);
    const connection = await this.connectionFor(record.connection, ctx);
    const showResult = this.outputResult || record.expect === "debug";
    const outcome = await this.session.execute(sql, connection, showResult);
    this.executed++;
    if (showResult && outcome.ok && outcome.result) {
      this.notes.push(`line ${record.line}: result\n${resultText(outcome.result)}`);
    }
    this.apply(
      checkStatement(
        record.expect,
        record.expectedError,
        outcome.ok ? null : outcome.error,
        this.policy,
      ),
      record,
      sql,
      ctx,
    );
  }

  private async runQuery(record: QueryRecord, ctx: ExecContext): Promise<void> {
    const sql = this.substitute(record.sql, ctx);
    const connection = await this.connectionFor(record.connection, ctx);
    const outcome = await this.session.execute(sql, connection, true);
    this.executed++;
    if (!outcome.ok || outcome.result === undefined) {
      const error = outcome.ok ? "no result" : outcome.error;
      this.apply(checkQueryError(error, this.policy), record, sql, ctx);
      return;
    }
    const result = outcome.result;
    const columns = result.columnTypes.length;
    if (this.outputHash) {
      this.notes.push(
        `line ${record.line}: ${hashValues(sortValues(record.sortStyle, result.values, columns))}`,
      );
      return;
    }
    if (this.outputResult) this.notes.push(`line ${record.line}: result\n${resultText(result)}`);
    let expected = record.expected;
    let columnCount = record.columnTypes.length;
    const first = expected[0] ?? "";
    if (expected.length === 1 && first.startsWith("<FILE>:")) {
      const path = this.substitute(first.slice("<FILE>:".length), ctx);
      const loaded = loadResultFile(path, columns);
      if ("error" in loaded) {
        this.fail({ line: record.line, title: loaded.error, sql }, ctx);
        return;
      }
      expected = loaded.values;
      columnCount = columns;
    }
    const mismatch = checkQueryResult(
      { expected, columnCount, sortStyle: record.sortStyle, label: record.label },
      result,
      {
        hashThreshold: this.hashThreshold,
        labels: this.labels,
        replaceKeywords: (t) => this.keywords.replace(t),
      },
    );
    if (mismatch) this.fail({ line: record.line, sql, ...mismatch }, ctx);
  }

  private async runLoop(record: LoopRecord, ctx: ExecContext): Promise<void> {
    const valueAt = (index: number): string =>
      record.tokens ? (record.tokens[index] ?? "") : String(index);
    // DuckDB's loops run their first iteration before checking the bound.
    const indexes: number[] = [];
    let index = record.start;
    do indexes.push(index++);
    while (index < record.end);
    if (!record.parallel) {
      for (const i of indexes) {
        if (this.finished) return;
        await this.runRecords(record.body, {
          ...ctx,
          loops: [...ctx.loops, { iterator: record.iterator, value: valueAt(i), skipped: false }],
        });
      }
      return;
    }
    if (ctx.parallel) throw new Error("Nested parallel loop commands not allowed");
    const unsupported = record.body.find((r) => !["statement", "query", "loop"].includes(r.kind));
    if (unsupported) throw new Error("Concurrent loop is not supported over this command");
    await Promise.all(
      indexes.map(async (i) => {
        const connection = await this.session.newConnection();
        try {
          await this.runRecords(record.body, {
            loops: [...ctx.loops, { iterator: record.iterator, value: valueAt(i), skipped: false }],
            connection,
            parallel: true,
          });
        } finally {
          connection.closeSync();
        }
      }),
    );
  }
}

/** Parses and runs one test file in a fresh in-memory database. */
export async function runTestFile(options: RunFileOptions): Promise<FileResult> {
  const started = Date.now();
  const name = options.name ?? options.path;
  const records = parseTest(readFileSync(options.path, "utf8"));
  const session = await Session.open();
  const run = new FileRun(session, options);
  try {
    await run.runRecords(records, { loops: [], parallel: false });
  } finally {
    session.close();
  }
  const failed = run.failures.length > 0;
  return {
    file: name,
    status: failed ? "failed" : run.skipReason !== undefined ? "skipped" : "passed",
    skipReason: failed ? undefined : run.skipReason,
    failures: run.failures,
    notes: run.notes,
    recordsExecuted: run.executed,
    durationMs: Date.now() - started,
  };
}
