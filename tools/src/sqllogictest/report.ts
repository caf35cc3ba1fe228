/**
 * Run-once-inspect-many output: full.log (everything, per file),
 * summary.txt (counts per group + each failure compactly), failed.txt
 * (re-runnable with --files-from) and results.json (machine-readable).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FileResult, FileStatus, RecordFailure } from "./results.js";
import type { TestFile } from "./scheduler.js";

export interface RunReport {
  startedAt: string;
  durationMs: number;
  files: { file: TestFile; result: FileResult }[];
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function countStatuses(results: readonly { status: FileStatus }[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  for (const { status } of results) totals[status]++;
  return totals;
}

/** The line CI reads: exactly "N passed, M failed, K skipped". */
export function totalsLine(totals: Totals): string {
  return `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
}

function indent(text: string, prefix = "    "): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A failure in full: everything needed to understand it without re-running. */
export function formatFailure(file: string, failure: RecordFailure): string {
  const lines = [`${file}:${failure.line}: ${failure.title}`];
  if (failure.loop) lines.push(`  in loop iteration: ${failure.loop}`);
  if (failure.sql) lines.push("  SQL:", indent(failure.sql));
  if (failure.detail) lines.push("  Detail:", indent(failure.detail));
  if (failure.expected)
    lines.push("  Expected:", indent(failure.expected.join("\n") || "(no rows)"));
  if (failure.actual) lines.push("  Actual:", indent(failure.actual.join("\n") || "(no rows)"));
  return lines.join("\n");
}

/** Expected vs actual as a short diff: only differing lines, capped. */
export function compactDiff(
  expected: readonly string[],
  actual: readonly string[],
  max = 8,
): string[] {
  const out: string[] = [];
  const length = Math.max(expected.length, actual.length);
  let shown = 0;
  for (let i = 0; i < length && shown < max; i++) {
    if (expected[i] === actual[i]) continue;
    if (expected[i] !== undefined) out.push(`- ${expected[i]}`);
    if (actual[i] !== undefined) out.push(`+ ${actual[i]}`);
    shown++;
  }
  const differing = Array.from({ length }, (_, i) => expected[i] !== actual[i]).filter(
    Boolean,
  ).length;
  if (differing > shown) out.push(`  ... ${differing - shown} more differing lines`);
  if (expected.length !== actual.length) {
    out.push(`  (${expected.length} expected lines, ${actual.length} actual lines)`);
  }
  return out;
}

function firstLines(text: string, count: number): string {
  const lines = text.split("\n");
  return lines.length > count ? `${lines.slice(0, count).join("\n")}\n...` : text;
}

export function fullLog(report: RunReport): string {
  const sections = report.files.map(({ result }) => {
    const head = `=== ${result.file}: ${result.status.toUpperCase()} (${seconds(result.durationMs)}, ${result.recordsExecuted} records)`;
    const parts = [head];
    if (result.skipReason) parts.push(`skip reason: ${result.skipReason}`);
    for (const failure of result.failures) parts.push(formatFailure(result.file, failure));
    if (result.notes.length > 0) parts.push("notes:", indent(result.notes.join("\n")));
    if (result.stderr) parts.push("process output (stdout/stderr):", indent(result.stderr));
    return parts.join("\n\n");
  });
  return `${sections.join("\n\n")}\n`;
}

export function summary(report: RunReport): string {
  const groups = new Map<string, FileResult[]>();
  for (const { file, result } of report.files) {
    const list = groups.get(file.group) ?? [];
    list.push(result);
    groups.set(file.group, list);
  }
  const width = Math.max(7, ...[...groups.keys()].map((g) => g.length));
  const lines = [
    `vgi-sqllogictest run started ${report.startedAt}, took ${seconds(report.durationMs)}`,
    "",
  ];
  lines.push(`${"group".padEnd(width)}  passed  failed  skipped`);
  const row = (name: string, t: Totals): string =>
    `${name.padEnd(width)}  ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}  ${String(t.skipped).padStart(7)}`;
  for (const [group, results] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(row(group, countStatuses(results)));
  }
  const totals = countStatuses(report.files.map((f) => f.result));
  lines.push(row("overall", totals), "");
  const failed = report.files.filter(({ result }) => result.status === "failed");
  if (failed.length > 0) lines.push("Failures:", "");
  for (const { result } of failed) {
    lines.push(
      `${result.file} (${result.failures.length} failing record${result.failures.length === 1 ? "" : "s"})`,
    );
    for (const failure of result.failures) {
      lines.push(
        `  line ${failure.line}: ${failure.title}${failure.loop ? ` [${failure.loop}]` : ""}`,
      );
      if (failure.sql) lines.push(indent(firstLines(failure.sql, 6), "      "));
      if (failure.detail) lines.push(indent(firstLines(failure.detail, 6), "    | "));
      if (failure.expected && failure.actual) {
        lines.push(...compactDiff(failure.expected, failure.actual).map((l) => `    ${l}`));
      }
    }
    lines.push("");
  }
  const skipped = report.files.filter(({ result }) => result.status === "skipped");
  const reasons = new Map<string, number>();
  for (const { result } of skipped) {
    const reason = result.skipReason ?? "unknown";
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  if (reasons.size > 0) lines.push("Skip reasons:");
  for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]))
    lines.push(`  ${count}\t${reason}`);
  lines.push("", totalsLine(totals));
  return `${lines.join("\n")}\n`;
}

export function writeReport(outDir: string, report: RunReport): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "full.log"), fullLog(report));
  writeFileSync(join(outDir, "summary.txt"), summary(report));
  const failed = report.files
    .filter(({ result }) => result.status === "failed")
    .map(({ file }) => file.path);
  writeFileSync(join(outDir, "failed.txt"), failed.map((p) => `${p}\n`).join(""));
  const json = {
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    totals: countStatuses(report.files.map((f) => f.result)),
    files: report.files.map(({ file, result }) => ({
      file: result.file,
      path: file.path,
      group: file.group,
      status: result.status,
      durationMs: result.durationMs,
      skipReason: result.skipReason,
      timedOut: result.timedOut ?? false,
      recordsExecuted: result.recordsExecuted,
      failures: result.failures,
    })),
  };
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
}
