/**
 * ENUM('a', 'b', ...) as a string literal union. Declared (and sent by DuckDB for ANY
 * arguments) as `Dictionary<Uint8|Uint16|Uint32, Utf8>`. DuckDB maps a dictionary type
 * back to its *value* type, so a declared ENUM argument arrives as plain `Utf8` (the
 * enum cast to VARCHAR) and an ENUM result lands in SQL as VARCHAR; both are read.
 */
import {
  DataType,
  Dictionary,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  type Data,
  type Vector,
} from "apache-arrow";
import { BaseSqlType, type RowReader } from "./sql-type.js";
import { isStringType, stringSlices, varchar } from "./string.js";
import { badValue, packValidity, validityTest } from "./validity.js";

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export class EnumType<V extends string> extends BaseSqlType<V> {
  readonly id = "ENUM";
  readonly sqlName: string;
  private readonly index: Map<string, number>;
  private dictionary: Vector<Utf8> | undefined;

  /** `values` null: an ENUM seen on the wire whose members come with the data. */
  constructor(readonly values: readonly V[] | null) {
    super();
    this.index = new Map((values ?? []).map((v, i) => [v, i]));
    if (values !== null && this.index.size !== values.length)
      throw new RangeError("ENUM values must be distinct");
    this.sqlName = values === null ? "ENUM" : `ENUM(${values.map(sqlString).join(", ")})`;
  }
  protected makeArrowType(): DataType {
    const n = this.values?.length ?? 0;
    const indices = n <= 0xff ? new Uint8() : n <= 0xffff ? new Uint16() : new Uint32();
    return new Dictionary(new Utf8(), indices);
  }
  accepts(type: DataType): boolean {
    return isStringType(type) || (DataType.isDictionary(type) && isStringType(type.dictionary));
  }
  protected chunkReader(data: Data): RowReader<V> {
    const valid = validityTest(data);
    if (!DataType.isDictionary(data.type)) {
      const text = stringSlices(data);
      return (i) => (valid(i) ? (text(i) as V) : null);
    }
    const members = data.dictionary === undefined ? [] : (varchar.readAll(data.dictionary) as V[]);
    const keys = data.values as Uint8Array | Uint16Array | Uint32Array | Int32Array;
    return (i) => (valid(i) ? members[keys[i]!]! : null);
  }
  build(values: readonly (V | null | undefined)[]): Data {
    if (this.values === null) return buildFromSeen(values);
    const type = this.arrowType() as Dictionary<Utf8, Uint8>;
    const keys = new type.indices.ArrayType(values.length) as Uint8Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      const at = this.index.get(v);
      if (at === undefined) throw badValue(this.sqlName, v, "not a member");
      keys[i] = at;
    }
    // One dictionary vector per descriptor: every batch then shares it, so an IPC stream
    // carries it once instead of a replacement per batch.
    const dictionary = (this.dictionary ??= makeVector(varchar.build(this.values) as Data<Utf8>));
    return makeData({
      type,
      length: values.length,
      ...packValidity(values),
      data: keys,
      dictionary,
    });
  }
}

/** ENUM over the given members; `as const` keeps the literal types. */
export function enumOf<const V extends string>(values: readonly V[]): EnumType<V> {
  return new EnumType(values);
}

/**
 * An ENUM whose members came with the data (an ANY argument echoed back): the dictionary
 * is the distinct values in order of first appearance. DuckDB reads a dictionary result
 * by its values, so any member order is fine.
 */
function buildFromSeen(values: readonly (string | null | undefined)[]): Data {
  const index = new Map<string, number>();
  const keys = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) continue;
    let at = index.get(v);
    if (at === undefined) index.set(v, (at = index.size));
    keys[i] = at;
  }
  const members = [...index.keys()];
  const indices =
    members.length <= 0xff ? new Uint8() : members.length <= 0xffff ? new Uint16() : new Uint32();
  const type = new Dictionary(new Utf8(), indices);
  return makeData({
    type,
    length: values.length,
    ...packValidity(values),
    data: new indices.ArrayType(keys) as Uint8Array,
    dictionary: makeVector(varchar.build(members) as Data<Utf8>),
  });
}
