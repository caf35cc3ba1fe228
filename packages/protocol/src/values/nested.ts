/** LIST (`T[]`), ARRAY (`T[n]`), STRUCT and MAP over any element descriptors. */
import {
  DataType,
  Field,
  FixedSizeList,
  List,
  Map_,
  Struct,
  makeData,
  type Data,
} from "apache-arrow";
import {
  BaseSqlType,
  type AnySqlType,
  type InferSql,
  type InferSqlInput,
  type RowReader,
} from "./sql-type.js";
import { badValue, packValidity, validityTest } from "./validity.js";

type Nullish<T> = T | null | undefined;

const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Reserved words DuckDB quotes in type names (typeof(STRUCT) prints "select" quoted).
const RESERVED = new Set(
  (
    "all analyse analyze and any array as asc asymmetric both case cast check collate column " +
    "constraint create default deferrable desc distinct do else end except false fetch for " +
    "foreign from grant group having in initially intersect into lateral leading limit not " +
    "null offset on only or order placing primary references returning select some symmetric " +
    "table then to trailing true union unique using variadic when where window with"
  ).split(" "),
);

/** A struct field / union member name as DuckDB prints it in a type. */
export function quoteIdent(name: string): string {
  if (PLAIN_IDENT.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

export type ListValue<E extends AnySqlType> = (InferSql<E> | null)[];
export type ListInput<E extends AnySqlType> = readonly Nullish<InferSqlInput<E>>[];

/** LIST: variable-length `List<T>`; the value is a JS array. */
export class ListType<E extends AnySqlType> extends BaseSqlType<ListValue<E>, ListInput<E>> {
  readonly id = "LIST";
  readonly sqlName: string;
  constructor(readonly element: E) {
    super();
    this.sqlName = `${element.sqlName}[]`;
  }
  protected makeArrowType(): DataType {
    return new List(this.element.field("item"));
  }
  accepts(type: DataType): boolean {
    return DataType.isList(type) && this.element.accepts(type.children[0]!.type);
  }
  protected chunkReader(data: Data): RowReader<ListValue<E>> {
    const valid = validityTest(data);
    const offsets = data.valueOffsets as Int32Array;
    const item = this.element.reader(data.children[0]!) as RowReader<InferSql<E>>;
    return (i) => {
      if (!valid(i)) return null;
      const out: ListValue<E> = [];
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) out.push(item(j));
      return out;
    };
  }
  build(values: readonly Nullish<ListInput<E>>[]): Data {
    const valueOffsets = new Int32Array(values.length + 1);
    const items: Nullish<InferSqlInput<E>>[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v != null) {
        if (!Array.isArray(v)) throw badValue(this.sqlName, v);
        for (const x of v) items.push(x);
      }
      valueOffsets[i + 1] = items.length;
    }
    const type = this.arrowType() as List;
    const child = this.element.build(items);
    return makeData({ type, length: values.length, ...packValidity(values), valueOffsets, child });
  }
}

/** ARRAY: `FixedSizeList[n]<T>` (`INTEGER[2]`); every non-null value has exactly n items. */
export class ArrayType<E extends AnySqlType> extends BaseSqlType<ListValue<E>, ListInput<E>> {
  readonly id = "ARRAY";
  readonly sqlName: string;
  constructor(
    readonly element: E,
    readonly size: number,
  ) {
    super();
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`ARRAY size must be >= 1, got ${size}`);
    this.sqlName = `${element.sqlName}[${size}]`;
  }
  protected makeArrowType(): DataType {
    return new FixedSizeList(this.size, this.element.field("item"));
  }
  accepts(type: DataType): boolean {
    return (
      DataType.isFixedSizeList(type) &&
      type.listSize === this.size &&
      this.element.accepts(type.children[0]!.type)
    );
  }
  protected chunkReader(data: Data): RowReader<ListValue<E>> {
    const valid = validityTest(data);
    const n = this.size;
    const item = this.element.reader(data.children[0]!) as RowReader<InferSql<E>>;
    return (i) => {
      if (!valid(i)) return null;
      const out: ListValue<E> = new Array<InferSql<E> | null>(n);
      for (let k = 0; k < n; k++) out[k] = item(i * n + k);
      return out;
    };
  }
  build(values: readonly Nullish<ListInput<E>>[]): Data {
    const n = this.size;
    const items = new Array<Nullish<InferSqlInput<E>>>(values.length * n).fill(null);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v == null) continue;
      if (!Array.isArray(v) || v.length !== n)
        throw badValue(this.sqlName, v, `needs exactly ${n} items`);
      for (let k = 0; k < n; k++) items[i * n + k] = v[k];
    }
    const type = this.arrowType() as FixedSizeList;
    const child = this.element.build(items);
    return makeData({ type, length: values.length, ...packValidity(values), child });
  }
}

export type StructFields = Readonly<Record<string, AnySqlType>>;
export type StructValue<F extends StructFields> = {
  -readonly [K in keyof F]: InferSql<F[K]> | null;
};
export type StructInput<F extends StructFields> = {
  readonly [K in keyof F]?: Nullish<InferSqlInput<F[K]>>;
};

/** STRUCT: `Struct<...>`; the value is a plain object with one key per field. */
export class StructType<F extends StructFields> extends BaseSqlType<
  StructValue<F>,
  StructInput<F>
> {
  readonly id = "STRUCT";
  readonly sqlName: string;
  private readonly names: string[];
  constructor(readonly fields: F) {
    super();
    this.names = Object.keys(fields);
    this.sqlName = `STRUCT(${this.names.map((k) => `${quoteIdent(k)} ${fields[k]!.sqlName}`).join(", ")})`;
  }
  protected makeArrowType(): DataType {
    return new Struct(this.names.map((k) => this.fields[k]!.field(k)));
  }
  accepts(type: DataType): boolean {
    if (!DataType.isStruct(type) || type.children.length !== this.names.length) return false;
    return this.names.every((k) => {
      const f = type.children.find((c: Field) => c.name === k);
      return f !== undefined && this.fields[k]!.accepts(f.type);
    });
  }
  protected chunkReader(data: Data): RowReader<StructValue<F>> {
    const valid = validityTest(data);
    const children = (data.type as Struct).children;
    const readers = this.names.map((k) =>
      this.fields[k]!.reader(data.children[children.findIndex((c: Field) => c.name === k)]!),
    );
    const names = this.names;
    return (i) => {
      if (!valid(i)) return null;
      const out: Record<string, unknown> = {};
      for (let k = 0; k < names.length; k++) out[names[k]!] = readers[k]!(i);
      return out as StructValue<F>;
    };
  }
  build(values: readonly Nullish<StructInput<F>>[]): Data {
    for (const v of values) if (v != null && typeof v !== "object") throw badValue(this.sqlName, v);
    const children = this.names.map((k) =>
      this.fields[k]!.build(
        values.map((v) => (v == null ? null : (v as Record<string, unknown>)[k])),
      ),
    );
    const type = this.arrowType() as Struct;
    return makeData({ type, length: values.length, ...packValidity(values), children });
  }
}

export type MapValue<K extends AnySqlType, V extends AnySqlType> = Map<
  InferSql<K>,
  InferSql<V> | null
>;
export type MapInput<K extends AnySqlType, V extends AnySqlType> =
  | ReadonlyMap<InferSqlInput<K>, Nullish<InferSqlInput<V>>>
  | readonly (readonly [InferSqlInput<K>, Nullish<InferSqlInput<V>>])[];

/** MAP: `Map<entries: Struct<key, value>>`; the value is a JS `Map` in wire order. */
export class MapType<K extends AnySqlType, V extends AnySqlType> extends BaseSqlType<
  MapValue<K, V>,
  MapInput<K, V>
> {
  readonly id = "MAP";
  readonly sqlName: string;
  constructor(
    readonly key: K,
    readonly value: V,
  ) {
    super();
    this.sqlName = `MAP(${key.sqlName}, ${value.sqlName})`;
  }
  protected makeArrowType(): DataType {
    const entries = new Struct([this.key.field("key", false), this.value.field("value")]);
    return new Map_(new Field("entries", entries, false));
  }
  accepts(type: DataType): boolean {
    if (!DataType.isMap(type)) return false;
    const [k, v] = type.children[0]!.type.children as Field[];
    return (
      k !== undefined && v !== undefined && this.key.accepts(k.type) && this.value.accepts(v.type)
    );
  }
  protected chunkReader(data: Data): RowReader<MapValue<K, V>> {
    const valid = validityTest(data);
    const offsets = data.valueOffsets as Int32Array;
    const entries = data.children[0]!;
    const key = this.key.reader(entries.children[0]!) as RowReader<InferSql<K>>;
    const value = this.value.reader(entries.children[1]!) as RowReader<InferSql<V>>;
    return (i) => {
      if (!valid(i)) return null;
      const out: MapValue<K, V> = new Map();
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) out.set(key(j)!, value(j));
      return out;
    };
  }
  build(values: readonly Nullish<MapInput<K, V>>[]): Data {
    const valueOffsets = new Int32Array(values.length + 1);
    const keys: unknown[] = [];
    const vals: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v != null) {
        if (!(v instanceof Map) && !Array.isArray(v)) throw badValue(this.sqlName, v);
        for (const [k, x] of v as Iterable<readonly [unknown, unknown]>) {
          if (k == null) throw badValue(this.sqlName, k, "MAP keys cannot be NULL");
          keys.push(k);
          vals.push(x);
        }
      }
      valueOffsets[i + 1] = keys.length;
    }
    const entriesType = (this.arrowType() as Map_).children[0]!.type as Struct;
    const child = makeData({
      type: entriesType,
      length: keys.length,
      nullCount: 0,
      children: [this.key.build(keys), this.value.build(vals)],
    });
    const type = this.arrowType() as Map_;
    return makeData({ type, length: values.length, ...packValidity(values), valueOffsets, child });
  }
}
