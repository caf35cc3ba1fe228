/**
 * @vgi-ts/tools: the sqllogictest runner as a library (the CLI lives in
 * sqllogictest/cli.ts and is installed as `vgi-sqllogictest`).
 */
export { parseTest } from "./sqllogictest/parser.js";
export type * from "./sqllogictest/records.js";
export { runTestFile, type RunFileOptions } from "./sqllogictest/runner.js";
export type { FileResult, FileStatus, RecordFailure } from "./sqllogictest/results.js";
export { castToVarchar, escapeNested, type RenderOptions } from "./sqllogictest/cast-to-varchar.js";
export { renderVectorCell, sqllogicCell, vectorItemToVarchar } from "./sqllogictest/render.js";
export {
  checkQueryResult,
  hashValues,
  sortValues,
  valuesMatch,
  type Mismatch,
  type RenderedResult,
} from "./sqllogictest/compare.js";
export { checkStatement, type CheckOutcome } from "./sqllogictest/statement-check.js";
export { re2FullMatch, matchesRegexExpectation } from "./sqllogictest/regex.js";
export { locateExtension } from "./sqllogictest/extensions.js";
export { discover, type DiscoverOptions, type Discovery } from "./sqllogictest/discover.js";
export { runFiles, type ScheduleOptions, type TestFile } from "./sqllogictest/scheduler.js";
export { writeReport, totalsLine, type RunReport } from "./sqllogictest/report.js";
export {
  FIXTURE_WORKERS,
  findFixturesBinDir,
  fixtureCommand,
  fixtureEnv,
  type FixtureEnvOptions,
  type FixtureWorker,
} from "./fixture-env.js";
