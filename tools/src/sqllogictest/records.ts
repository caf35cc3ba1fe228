/**
 * The parsed form of a sqllogictest file: one record per directive, with
 * loops as nested bodies. Mirrors the commands of DuckDB's sqllogic_parser.
 */

export type SortStyle = "nosort" | "rowsort" | "valuesort";

/** A loop-variable condition from `skipif i=2` / `onlyif threadid<3&&i>1`. */
export interface LoopCondition {
  keyword: string;
  value: string;
  comparison: "=" | "<>" | ">" | ">=" | "<" | "<=";
  /** true for skipif (skip when it holds), false for onlyif (skip unless it holds). */
  skipIf: boolean;
}

interface BaseRecord {
  /** 1-based line number of the directive in the test file. */
  line: number;
}

export interface StatementRecord extends BaseRecord {
  kind: "statement";
  expect: "ok" | "error" | "maybe" | "debug";
  sql: string;
  /** Expected error text (lines after ----, joined by \n); "" when none was given. */
  expectedError: string;
  connection?: string;
  conditions: LoopCondition[];
}

export interface QueryRecord extends BaseRecord {
  kind: "query";
  /** The column type string, e.g. "IIT"; only its length matters. */
  columnTypes: string;
  sql: string;
  /** Expected result lines after ----, verbatim. */
  expected: string[];
  sortStyle: SortStyle;
  connection?: string;
  label?: string;
  conditions: LoopCondition[];
}

export interface LoopRecord extends BaseRecord {
  kind: "loop";
  iterator: string;
  /** For `loop`: numeric bounds [start, end). */
  start: number;
  end: number;
  /** For `foreach`: the values (after expanding <integral> etc.); undefined for `loop`. */
  tokens?: string[];
  parallel: boolean;
  body: TestRecord[];
}

export interface RequireRecord extends BaseRecord {
  kind: "require";
  params: string[];
}

export interface RequireEnvRecord extends BaseRecord {
  kind: "require-env";
  name: string;
  value?: string;
}

export interface TestEnvRecord extends BaseRecord {
  kind: "test-env";
  name: string;
  defaultValue: string;
}

export interface SetRecord extends BaseRecord {
  kind: "set";
  name: "ignore_error_messages" | "always_fail_error_messages" | "seed";
  values: string[];
}

export interface SimpleRecord extends BaseRecord {
  kind: "restart" | "reconnect" | "continue" | "halt";
  /** `restart no_extension_load` skips re-loading required extensions. */
  loadExtensions?: boolean;
  conditions?: LoopCondition[];
}

export interface ModeRecord extends BaseRecord {
  kind: "mode";
  mode: string;
}

export interface HashThresholdRecord extends BaseRecord {
  kind: "hash-threshold";
  threshold: number;
}

export interface ResetLabelRecord extends BaseRecord {
  kind: "reset-label";
  label: string;
}

export interface LoadRecord extends BaseRecord {
  kind: "load";
  path: string;
  readonly: boolean;
  version?: string;
}

export interface SleepRecord extends BaseRecord {
  kind: "sleep";
  millis: number;
}

export interface UnzipRecord extends BaseRecord {
  kind: "unzip";
  input: string;
  output?: string;
}

/** A syntax error: DuckDB fails the file when its parser reaches this point. */
export interface ParseErrorRecord extends BaseRecord {
  kind: "parse-error";
  message: string;
}

export type TestRecord =
  | StatementRecord
  | QueryRecord
  | LoopRecord
  | RequireRecord
  | RequireEnvRecord
  | TestEnvRecord
  | SetRecord
  | SimpleRecord
  | ModeRecord
  | HashThresholdRecord
  | ResetLabelRecord
  | LoadRecord
  | SleepRecord
  | UnzipRecord
  | ParseErrorRecord;
