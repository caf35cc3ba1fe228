/**
 * Time travel: which version of a table an `AT (VERSION => v)` or
 * `AT (TIMESTAMP => t)` clause reads.
 *
 * DuckDB sends both parts as text: the unit upper-cased (`VERSION`, `TIMESTAMP`) and the
 * value as DuckDB prints it (`3`, `-1`, `2020-06-15 00:00:00`, with a `+00` offset for
 * TIMESTAMPTZ). A bad clause is the user's mistake, so every refusal is an
 * `InvalidArgument` error whose message says what exists.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { AtClause } from "./catalog-table.js";

/** The AT clause of a request (unit upper-cased); both parts or neither. */
export function atClause(params: {
  readonly atUnit?: string | null;
  readonly atValue?: string | null;
}): AtClause | null {
  const atUnit = params.atUnit ?? null;
  const atValue = params.atValue ?? null;
  if ((atUnit === null || atUnit === "") && (atValue === null || atValue === "")) return null;
  if (atUnit === null || atUnit === "" || atValue === null || atValue === "") {
    throw new VgiError(ErrorKind.InvalidArgument, "AT needs both a unit and a value");
  }
  return { unit: atUnit.toUpperCase(), value: atValue };
}

/** One version of a table's history: its number and since when it was current. */
export interface TableVersion {
  readonly version: number;
  /**
   * When this version became current (UTC). Omit it for the first version to make it
   * answer every earlier timestamp too; otherwise a timestamp before the first version
   * is refused ("did not exist before ..."). A history where no version has one keeps
   * no timestamps: it refuses `AT (TIMESTAMP => ...)`.
   */
  readonly since?: Date;
}

export interface TableHistory {
  /** The versions, oldest first; the last one is current (what a query without AT reads). */
  readonly versions: readonly TableVersion[];
  /** Named in error messages ("Unknown version 7 of data.versioned_data ..."). */
  readonly table?: string;
}

/** The version a clause reads; no clause, the current one. */
export function versionAt(history: TableHistory, at: AtClause | null): number {
  const versions = history.versions;
  const current = versions.at(-1);
  if (current === undefined) throw new Error("a table history needs at least one version");
  if (at === null) return current.version;
  const of = history.table === undefined ? "" : ` of ${history.table}`;
  const valid = versions.map((v) => v.version).join(", ");
  switch (at.unit.toUpperCase()) {
    case "VERSION": {
      const text = at.value.trim();
      const version = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!versions.some((v) => v.version === version)) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `Unknown version ${at.value}${of}; valid versions: ${valid}`,
        );
      }
      return version;
    }
    case "TIMESTAMP": {
      if (versions.every((v) => v.since === undefined)) {
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `Time travel by TIMESTAMP is not supported${of}: it keeps versions only (AT (VERSION => n))`,
        );
      }
      const instant = parseTimestamp(at.value);
      let found: TableVersion | undefined;
      for (const entry of versions) {
        if (entry.since === undefined || entry.since.getTime() <= instant.getTime()) found = entry;
      }
      if (found === undefined) {
        const first = versions[0]!.since!;
        throw new VgiError(
          ErrorKind.InvalidArgument,
          `No version${of} exists at ${at.value}: the table did not exist before ${formatDay(first)}`,
        );
      }
      return found.version;
    }
    default:
      throw new VgiError(
        ErrorKind.InvalidArgument,
        `Time travel by ${at.unit} is not supported${of}; use AT (VERSION => n) or AT (TIMESTAMP => t)`,
      );
  }
}

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * A timestamp as DuckDB prints one (`YYYY-MM-DD[ HH:MM[:SS[.fff]]][+HH[:MM]]`); no
 * offset means UTC.
 */
export function parseTimestamp(text: string): Date {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) {
    throw new VgiError(
      ErrorKind.InvalidArgument,
      `'${text}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    millis,
  );
  const offsetMinutes =
    sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0));
  const date = new Date(utc - offsetMinutes * 60_000);
  if (Number.isNaN(date.getTime()) || Number(mo) > 12 || Number(d) > 31) {
    throw new VgiError(ErrorKind.InvalidArgument, `'${text}' is not a valid timestamp`);
  }
  return date;
}

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
