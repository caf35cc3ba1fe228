/**
 * Outcome of a `statement` record, following DuckDB's
 * TestResultHelper::CheckStatementResult: expected errors match by substring
 * (also after keyword substitution) or by `<REGEX>:` / `<!REGEX>:` against
 * the error text plus a newline; "INTERNAL" errors never satisfy
 * `statement error`; errors containing an ignore_error_messages entry
 * (default "HTTP", "Unable to connect") end the file as skipped.
 */
import { isRegexExpectation, matchesRegexExpectation } from "./regex.js";

export type StatementExpectation = "ok" | "error" | "maybe" | "debug";

export type CheckOutcome =
  | { kind: "pass"; note?: string }
  | { kind: "fail"; title: string; detail?: string }
  /** The rest of the file is skipped (DuckDB's finished_processing_file + SKIP_TEST). */
  | { kind: "skip-file"; reason: string };

export interface ErrorPolicy {
  ignoreErrorMessages: readonly string[];
  alwaysFailErrorMessages: readonly string[];
  replaceKeywords: (text: string) => string;
}

export const DEFAULT_IGNORE_ERROR_MESSAGES = ["HTTP", "Unable to connect"];
export const DEFAULT_ALWAYS_FAIL_ERROR_MESSAGES = ["differs from original result!", "INTERNAL"];

function ignoredBecause(error: string, policy: ErrorPolicy): string | undefined {
  const match = policy.ignoreErrorMessages.find((m) => error.includes(m));
  return match === undefined ? undefined : `skip on error_message matching '${match}'`;
}

export function checkStatement(
  expect: StatementExpectation,
  expectedError: string,
  error: string | null,
  policy: ErrorPolicy,
): CheckOutcome {
  let unexpected = error !== null;
  if (expect !== "ok") {
    if (error !== null && policy.alwaysFailErrorMessages.some((m) => error.includes(m))) {
      return { kind: "fail", title: "Query failed with internal exception!", detail: error };
    }
    unexpected = expect === "maybe" || expect === "debug" ? false : error === null;
    if (error !== null && expectedError !== "") {
      const matched =
        error.includes(expectedError) ||
        error.includes(policy.replaceKeywords(expectedError)) ||
        (isRegexExpectation(expectedError) && matchesRegexExpectation(`${error}\n`, expectedError));
      if (!matched) {
        const ignored = ignoredBecause(error, policy);
        if (ignored === undefined) {
          return {
            kind: "fail",
            title: `Query failed, but error message did not match expected error message: ${expectedError}`,
            detail: error,
          };
        }
        return { kind: "pass", note: ignored };
      }
      return { kind: "pass" };
    }
  }
  if (unexpected) {
    if (expect === "ok" && error !== null) {
      const ignored = ignoredBecause(error, policy);
      if (ignored !== undefined) return { kind: "skip-file", reason: ignored };
    }
    return expect === "ok"
      ? { kind: "fail", title: "Query unexpectedly failed!", detail: error ?? undefined }
      : { kind: "fail", title: "Query unexpectedly succeeded!" };
  }
  return { kind: "pass" };
}

/** A query that errored: skipped when ignorable, otherwise a failure. */
export function checkQueryError(error: string, policy: ErrorPolicy): CheckOutcome {
  const ignored = ignoredBecause(error, policy);
  if (ignored !== undefined) return { kind: "skip-file", reason: ignored };
  return { kind: "fail", title: "Query unexpectedly failed!", detail: error };
}
