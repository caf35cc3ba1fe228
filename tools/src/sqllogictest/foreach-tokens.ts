/**
 * `foreach` collection tokens (<integral>, <numeric>, …) as DuckDB's runner
 * expands them (SQLLogicTestRunner::ForEachTokenReplace).
 */

const SIGNED = ["tinyint", "smallint", "integer", "bigint", "hugeint"];
const UNSIGNED = ["utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"];
const COMPRESSION = [
  "none",
  "uncompressed",
  "rle",
  "bitpacking",
  "dictionary",
  "fsst",
  "dict_fsst",
  "alp",
  "alprd",
];
const ALL_TYPES_COLUMNS = [
  "bool",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "hugeint",
  "uhugeint",
  "utinyint",
  "usmallint",
  "uint",
  "ubigint",
  "date",
  "time",
  "timestamp",
  "timestamp_s",
  "timestamp_ms",
  "timestamp_ns",
  "time_tz",
  "timestamp_tz",
  "float",
  "double",
  "dec_4_1",
  "dec_9_4",
  "dec_18_6",
  "dec38_10",
  "uuid",
  "interval",
  "varchar",
  "blob",
  "bit",
  "small_enum",
  "medium_enum",
  "large_enum",
  "int_array",
  "double_array",
  "date_array",
  "timestamp_array",
  "timestamptz_array",
  "varchar_array",
  "nested_int_array",
  "struct",
  "struct_of_arrays",
  "array_of_structs",
  "map",
  "union",
  "fixed_int_array",
  "fixed_varchar_array",
  "fixed_nested_int_array",
  "fixed_nested_varchar_array",
  "fixed_struct_array",
  "struct_of_fixed_array",
  "fixed_array_of_int_list",
  "list_of_fixed_int_array",
];

/**
 * Applies one foreach parameter to the token list being built. Returns false
 * when the parameter is a plain value that the caller should append as-is.
 */
export function applyForeachToken(parameter: string, tokens: string[]): boolean {
  if (parameter === "") return true;
  const name = parameter.toLowerCase().trim();
  if (name.startsWith("!")) {
    // "!x" removes a value added by an earlier collection; unknown ones are literal.
    const index = tokens.indexOf(parameter.slice(1));
    if (index < 0) return false;
    tokens.splice(index, 1);
    return true;
  }
  const isAll = name === "<alltypes>";
  const isNumeric = isAll || name === "<numeric>";
  const isIntegral = isNumeric || name === "<integral>";
  const isSigned = isIntegral || name === "<signed>";
  const isUnsigned = isIntegral || name === "<unsigned>";
  let collection = false;
  const add = (values: string[]): void => {
    tokens.push(...values);
    collection = true;
  };
  if (isSigned) add(SIGNED);
  if (isUnsigned) add(UNSIGNED);
  if (isNumeric) add(["float", "double"]);
  if (isAll) add(["bool", "interval", "varchar"]);
  if (name === "<compression>") add(COMPRESSION);
  if (name === "<all_types_columns>") add(ALL_TYPES_COLUMNS);
  return collection;
}
