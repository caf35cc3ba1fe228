/**
 * Versions a catalog serves, and how an ATTACH request picks one of them.
 *
 * ATTACH may pin two independent dimensions: `data_version_spec` (which data the catalog
 * shows) and `implementation_version` (which behaviour of the worker). The worker
 * resolves each request to one concrete version it serves and answers with it; DuckDB
 * then reports the concrete version (never the spec) in `duckdb_databases().tags`.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";

/**
 * How a requested spec is matched against the served versions.
 * - `"exact"`: only a served version, spelled exactly, is accepted.
 * - `"npm"`: also `X` (newest X.y.z), `X.Y` (exactly X.Y.0), `^X.Y.Z` (newest
 *   X.y.z at or above it) and `~X.Y.Z` (newest X.Y.z at or above it).
 */
export type VersionMatching = "exact" | "npm";

export interface VersionChoices {
  /** Every concrete version served, as `X.Y.Z`. */
  readonly supported: readonly string[];
  /** What an ATTACH without a spec gets. */
  readonly default: string;
  /** Defaults to `"npm"`. */
  readonly matching?: VersionMatching;
}

type Triple = readonly [number, number, number];

const EXACT = /^(\d+)\.(\d+)\.(\d+)$/;
const MAJOR = /^(\d+)$/;
const MAJOR_MINOR = /^(\d+)\.(\d+)$/;
const CARET = /^\^(\d+)\.(\d+)\.(\d+)$/;
const TILDE = /^~(\d+)\.(\d+)\.(\d+)$/;

function triple(match: RegExpExecArray): Triple {
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Throws unless every served version is `X.Y.Z` and the default is one of them. */
export function checkVersionChoices(choices: VersionChoices, label: string): void {
  for (const version of choices.supported) {
    if (!EXACT.test(version)) {
      throw new Error(`${label}: served version '${version}' is not of the form X.Y.Z`);
    }
  }
  if (!choices.supported.includes(choices.default)) {
    throw new Error(`${label}: default '${choices.default}' is not among the served versions`);
  }
}

/**
 * The served version a spec asks for (`label` names the ATTACH option in errors, so a
 * user can tell which of the two dimensions failed). No spec: the default.
 */
export function resolveVersionSpec(
  requested: string | null | undefined,
  choices: VersionChoices,
  label: string,
): string {
  if (requested === null || requested === undefined || requested === "") return choices.default;
  const spec = requested.trim();
  const served = choices.supported
    .map((version) => ({ version, at: triple(EXACT.exec(version)!) }))
    .sort((a, b) => compare(a.at, b.at));
  const refuse = (why: string): never => {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `Unsupported ${label} '${requested}': ${why}; this catalog serves ${served.map((entry) => entry.version).join(", ")}`,
    );
  };
  const newest = (keep: (at: Triple) => boolean, why: string): string =>
    served.filter((entry) => keep(entry.at)).at(-1)?.version ?? refuse(why);

  if (EXACT.test(spec)) {
    return choices.supported.includes(spec) ? spec : refuse("no such version");
  }
  if ((choices.matching ?? "npm") === "exact") {
    return refuse("only exact X.Y.Z versions are accepted");
  }
  let match = MAJOR.exec(spec);
  if (match !== null) {
    const major = Number(match[1]);
    return newest((at) => at[0] === major, `no version with major ${major}`);
  }
  match = MAJOR_MINOR.exec(spec);
  if (match !== null) {
    const pinned = `${Number(match[1])}.${Number(match[2])}.0`;
    return choices.supported.includes(pinned) ? pinned : refuse(`${pinned} is not served`);
  }
  match = CARET.exec(spec);
  if (match !== null) {
    const base = triple(match);
    return newest(
      (at) => at[0] === base[0] && compare(at, base) >= 0,
      `no version ${base[0]}.x.x at or above ${base.join(".")}`,
    );
  }
  match = TILDE.exec(spec);
  if (match !== null) {
    const base = triple(match);
    return newest(
      (at) => at[0] === base[0] && at[1] === base[1] && compare(at, base) >= 0,
      `no version ${base[0]}.${base[1]}.x at or above ${base.join(".")}`,
    );
  }
  return refuse("accepted forms are X.Y.Z, X, X.Y, ^X.Y.Z and ~X.Y.Z");
}
