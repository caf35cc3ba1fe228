/**
 * Locating DuckDB extensions shipped as npm packages (the @haybarn builds
 * for DuckDB 1.5.5) and deciding `require X` the way DuckDB's runner does:
 * platform/build checks first, then LOAD; an extension that cannot be loaded
 * skips the file.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Extensions that come from npm packages rather than being built into the bindings. */
const NPM_EXTENSIONS = [
  "vgi",
  "httpfs",
  "spatial",
  "ducklake",
  "sqlite_scanner",
  "iceberg",
  "avro",
];

function platformSuffix(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `${os}-${process.arch}`;
}

/**
 * Absolute path of `<name>.duckdb_extension` from its npm package, or
 * undefined. `overrides` (name → path) take precedence, e.g. a locally built
 * extension.
 */
export function locateExtension(
  name: string,
  overrides: Readonly<Record<string, string>> = {},
): string | undefined {
  const override = overrides[name];
  if (override !== undefined) return override;
  if (!NPM_EXTENSIONS.includes(name)) return undefined;
  const packageName = `@haybarn/ext-${name}-h1-5-5-${platformSuffix()}`;
  try {
    const manifest = require.resolve(`${packageName}/package.json`);
    const binary = join(dirname(manifest), "bin", `${name}.duckdb_extension`);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** SQL that loads extension `name`: LOAD of the npm binary if there is one, else LOAD by name. */
export function loadStatement(
  name: string,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const path = locateExtension(name, overrides);
  return path === undefined ? `LOAD ${name}` : `LOAD '${path.replace(/'/g, "''")}'`;
}

/**
 * A test's own `LOAD name` statement rewritten to LOAD the npm binary: the
 * bindings cannot download extensions offline and these are not built in.
 * Anything else (a path, several statements, an unknown name) is unchanged.
 */
export function rewriteLoadStatement(
  sql: string,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const match = /^\s*LOAD\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/i.exec(sql);
  if (match === null) return sql;
  const path = locateExtension(match[1]!.toLowerCase(), overrides);
  return path === undefined ? sql : `LOAD '${path.replace(/'/g, "''")}'`;
}

const STANDARD_VECTOR_SIZE = 2048;
const DEFAULT_BLOCK_SIZE = 262144;

/**
 * `require` parameters that describe the build or platform rather than an
 * extension: true/false when decided here, undefined for extension names.
 */
export function checkBuildRequirement(params: readonly string[]): boolean | undefined {
  const name = (params[0] ?? "").toLowerCase();
  const size = Number.parseInt(params[1] ?? "", 10);
  switch (name) {
    case "notwindows":
    case "notmingw":
    case "notmusl":
    case "64bit":
    case "longdouble":
    case "nothreadsan":
    case "strinline":
    case "noforcestorage":
    case "no_force_storage":
    case "skip_reload":
    case "no_alternative_verify":
    case "no_latest_storage":
    case "no_vector_verification":
    case "no_extension_autoloading":
    case "allow_unsigned_extensions":
    case "ram":
    case "disk_space":
      return process.platform !== "win32" || !name.startsWith("not");
    case "windows":
      return process.platform === "win32";
    case "mingw":
    case "vacuum_rebuild_indexes":
      return false;
    case "vector_size":
      return STANDARD_VECTOR_SIZE >= size;
    case "exact_vector_size":
      return STANDARD_VECTOR_SIZE === size;
    case "block_size":
      return DEFAULT_BLOCK_SIZE === size;
    default:
      return undefined;
  }
}
