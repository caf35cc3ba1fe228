/**
 * Per-file results, shared by the file runner (child process) and the
 * parent that schedules files and writes reports. Plain JSON-safe data.
 */

export interface RecordFailure {
  /** 1-based line of the failing record in the test file. */
  line: number;
  title: string;
  /** The SQL as executed (keywords and loop variables substituted). */
  sql?: string;
  detail?: string;
  expected?: string[];
  actual?: string[];
  /** Loop iteration that failed, e.g. "i=3, type=integer". */
  loop?: string;
}

export type FileStatus = "passed" | "failed" | "skipped";

export interface FileResult {
  /** The test file as given on the command line (or found under a suite). */
  file: string;
  status: FileStatus;
  skipReason?: string;
  failures: RecordFailure[];
  /** Informational lines: ignored error messages, output_hash / output_result output. */
  notes: string[];
  /** statement/query records executed (loop iterations count separately). */
  recordsExecuted: number;
  durationMs: number;
  /** Set by the scheduler: the child's stderr (worker output lands here), trimmed. */
  stderr?: string;
  timedOut?: boolean;
}

/** The message a file-runner child sends its parent. */
export interface ChildMessage {
  type: "result";
  result: FileResult;
}
