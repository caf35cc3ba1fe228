/**
 * Turning what a function returned into one Arrow column of the bound type. Arrow data
 * passes through untouched (the fast path); typed arrays become the column's values
 * buffer without a copy; plain JS values are built with arrow-js builders.
 */
import { Data, Vector, makeData, vectorFromArray, type DataType } from "apache-arrow";
import { TypeMismatchError } from "@vgi-ts/protocol";

export function buildColumn(result: unknown, type: DataType, functionName: string): Data {
  if (result instanceof Data) return result;
  if (result instanceof Vector) return single(result);
  if (ArrayBuffer.isView(result) && !(result instanceof DataView)) {
    return makeData({
      type,
      length: (result as unknown as ArrayLike<unknown>).length,
      data: result,
    } as never);
  }
  if (Array.isArray(result)) {
    try {
      return single(vectorFromArray(result, type));
    } catch (error) {
      throw new TypeMismatchError(
        `function ${functionName} returned values that do not fit its result type ${describeType(type)}: ` +
          (error instanceof Error ? error.message : String(error)),
        { cause: error },
      );
    }
  }
  throw new TypeMismatchError(
    `function ${functionName} returned ${result === null ? "null" : typeof result}; ` +
      `expected an Arrow vector, a typed array or an array of values`,
  );
}

function single(vector: Vector): Data {
  if (vector.data.length === 1) return vector.data[0]!;
  // Several chunks: copy once into one contiguous column.
  return vectorFromArray(vector.toArray(), vector.type).data[0]!;
}

export function describeType(type: DataType): string {
  return String(type);
}

/**
 * Same logical type, ignoring child field names and nullability (a list's item field
 * may be called `item` or `l`; DuckDB reads either). arrow-js renders types without
 * those details but with widths, units, precision and struct member names.
 */
export function sameLogicalType(a: DataType, b: DataType): boolean {
  // Not compareTypes: arrow-js compares Decimals without precision or scale, which let
  // a DECIMAL(18,2) column pass as DECIMAL(18,3) (every value off by a factor of 10).
  return String(a) === String(b);
}
