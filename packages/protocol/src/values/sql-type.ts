/**
 * The SQL type layer: one descriptor per DuckDB logical type. A function declares its
 * argument and return types once (`sql.bigint`, `sql.list(sql.varchar)`, ...) and the
 * Arrow wire type, the TS value type, the row reader and the row builder all follow.
 *
 * TS value types (what `read` returns; `build` also accepts the looser input column):
 *
 * | SQL                         | TS value (read)                     | build also accepts      |
 * | --------------------------- | ----------------------------------- | ----------------------- |
 * | BOOLEAN                     | boolean                             |                         |
 * | TINYINT..INTEGER, U*        | number                              |                         |
 * | BIGINT, UBIGINT             | bigint                              | number (safe integer)   |
 * | HUGEINT, UHUGEINT, BIGNUM   | bigint                              | number (safe integer)   |
 * | FLOAT, DOUBLE               | number                              |                         |
 * | DECIMAL(p,s)                | string, exactly s decimals ("1.50") | number, bigint          |
 * | VARCHAR, JSON               | string                              |                         |
 * | BLOB                        | Uint8Array (zero-copy view)         |                         |
 * | GEOMETRY                    | Uint8Array: WKB (zero-copy view)    |                         |
 * | UUID                        | string, lower-case 8-4-4-4-12       |                         |
 * | BIT                         | string of 0/1 ("0101")              |                         |
 * | DATE                        | number: days since 1970-01-01       | Date (UTC day)          |
 * | TIME / TIME_NS              | number: µs / ns since midnight      |                         |
 * | TIME WITH TIME ZONE         | { micros: number, offset: number }  |                         |
 * | TIMESTAMP[_S/_MS/_NS], TZ   | bigint in the type's own unit       | Date                    |
 * | INTERVAL                    | { months, days: number, micros: bigint } | micros as number   |
 * | ENUM('a','b')               | "a" \| "b"                          |                         |
 * | T[] and T[n]                | (T \| null)[]                       |                         |
 * | STRUCT(a T, ...)            | { a: T \| null, ... }               | missing keys are null   |
 * | MAP(K, V)                   | Map<K, V \| null>                   | array of [k, v] entries |
 * | UNION(a T, ...)             | { tag: "a", value: T } \| ...       |                         |
 * | ANY                         | unknown (decoded by the wire type)  |                         |
 *
 * Why: every choice is lossless for the whole DuckDB range and costs no conversion on
 * the wire. DECIMAL is a string because it is exact, prints like DuckDB prints it, and
 * every decimal library parses it (a JS number is not exact; a scaled bigint drags its
 * scale around although the type already knows it — use `decimalToUnscaled` for that).
 * Timestamps stay integers in their own unit because a `Date` has only milliseconds
 * (TIMESTAMP is µs, TIMESTAMP_NS is ns) and a narrower range; `timestampToDate` converts.
 * DATE is a day number because a `Date` is an instant (its day depends on the local
 * zone) and cannot hold DuckDB's range or ±infinity. TIME fits a number exactly.
 */
import { Field, Vector, type Data, type DataType } from "apache-arrow";
import { TypeMismatchError } from "../errors.js";

/** Reads row `index` of one column chunk: the JS value, or null. */
export type RowReader<T> = (index: number) => T | null;

/** A column as arrow-js hands it over: one `Data` chunk or a (possibly chunked) `Vector`. */
export type Column = Data | Vector;

export interface SqlType<TValue, TInput = TValue> {
  /** Phantom: the TS value type. Never set at runtime. */
  readonly _value?: TValue;
  /** Phantom: what `build` accepts. Never set at runtime. */
  readonly _input?: TInput;
  /** Logical type id, e.g. `DECIMAL` (no parameters), `LIST`, `TIMESTAMP_NS`. */
  readonly id: string;
  /** The DuckDB spelling, as `typeof()` prints it: `DECIMAL(18,3)`, `VARCHAR[]`, ... */
  readonly sqlName: string;
  /** The Arrow type to declare for this logical type (memoized: same object each call). */
  arrowType(): DataType;
  /** Field metadata that must travel with `arrowType()` (Arrow extension names, vgi_type). */
  metadata(): ReadonlyMap<string, string>;
  /** A field of this type, carrying `metadata()`. */
  field(name: string, nullable?: boolean): Field;
  /** Whether `read` can decode a column of this Arrow type (all encodings DuckDB may send). */
  accepts(type: DataType): boolean;
  /** A fast row reader for one column; resolve once, call per row. */
  reader(column: Column): RowReader<TValue>;
  /** Row `index` of a column as a JS value, or null. */
  read(column: Column, index: number): TValue | null;
  /** All rows of a column. */
  readAll(column: Column): (TValue | null)[];
  /** Row-wise JS values to one Arrow chunk of `arrowType()` (`undefined` means null). */
  build(values: readonly (TInput | null | undefined)[]): Data;
}

/** Any descriptor, whatever its TS types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySqlType = SqlType<any, any>;

/** The TS value type of a descriptor: `InferSql<typeof sql.bigint>` is `bigint`. */
export type InferSql<T> = T extends SqlType<infer V, infer _I> ? V : never;
/** What a descriptor's `build` accepts for one non-null value. */
export type InferSqlInput<T> = T extends SqlType<infer _V, infer I> ? I : never;

/** Nullable TS values of a tuple of descriptors, e.g. a function's argument list. */
export type InferSqlArgs<T extends readonly AnySqlType[]> = {
  -readonly [K in keyof T]: InferSql<T[K]> | null;
};
/** Nullable TS values of a record of descriptors, e.g. a table function's row. */
export type InferSqlRow<T extends Readonly<Record<string, AnySqlType>>> = {
  -readonly [K in keyof T]: InferSql<T[K]> | null;
};

const NO_METADATA: ReadonlyMap<string, string> = new Map();

/**
 * Shared plumbing: memoized Arrow type, per-chunk reader cache, multi-chunk vectors.
 * A family implements `makeArrowType`, `accepts`, `chunkReader` and `build`.
 */
export abstract class BaseSqlType<TValue, TInput = TValue> implements SqlType<TValue, TInput> {
  declare readonly _value?: TValue;
  declare readonly _input?: TInput;
  abstract readonly id: string;
  abstract readonly sqlName: string;
  private arrow: DataType | undefined;
  private readonly readers = new WeakMap<Data, RowReader<TValue>>();

  protected abstract makeArrowType(): DataType;
  abstract accepts(type: DataType): boolean;
  /** Reader for one chunk; `data.type` is already known to be accepted. */
  protected abstract chunkReader(data: Data): RowReader<TValue>;
  abstract build(values: readonly (TInput | null | undefined)[]): Data;

  arrowType(): DataType {
    return (this.arrow ??= this.makeArrowType());
  }
  metadata(): ReadonlyMap<string, string> {
    return NO_METADATA;
  }
  field(name: string, nullable = true): Field {
    return new Field(name, this.arrowType(), nullable, new Map(this.metadata()));
  }

  reader(column: Column): RowReader<TValue> {
    if (!(column instanceof Vector)) return this.dataReader(column);
    const chunks = column.data;
    if (chunks.length === 1) return this.dataReader(chunks[0]!);
    const readers = chunks.map((d) => this.dataReader(d));
    const starts: number[] = [];
    let at = 0;
    for (const d of chunks) starts.push((at += d.length) - d.length);
    return (index) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= index) lo = mid;
        else hi = mid - 1;
      }
      return readers[lo]!(index - starts[lo]!);
    };
  }
  read(column: Column, index: number): TValue | null {
    return this.reader(column)(index);
  }
  readAll(column: Column): (TValue | null)[] {
    const read = this.reader(column);
    const out = new Array<TValue | null>(column.length);
    for (let i = 0; i < column.length; i++) out[i] = read(i);
    return out;
  }

  private dataReader(data: Data): RowReader<TValue> {
    let read = this.readers.get(data);
    if (read === undefined) {
      if (!this.accepts(data.type)) {
        throw new TypeMismatchError(`cannot read Arrow ${String(data.type)} as ${this.sqlName}`);
      }
      read = this.chunkReader(data);
      this.readers.set(data, read);
    }
    return read;
  }
}
