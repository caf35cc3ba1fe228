/**
 * The one error a filter evaluation raises: a filter that cannot be evaluated on a batch
 * (missing column, failed cast, values that cannot be compared, ...). Errors thrown by
 * row-value helpers are converted here so a caller only ever sees a `VgiError`.
 */
import { ErrorKind, VgiError } from "@vgi-ts/protocol";
import type { RowValue } from "./row-values.js";

/** A filter that cannot be evaluated on a batch (missing column, failed cast, ...). */
export class FilterEvaluationError extends VgiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorKind.FunctionError, `filter evaluation: ${message}`, options);
    this.name = "FilterEvaluationError";
  }
}

/** Run one row computation; anything but a VgiError it throws becomes a FilterEvaluationError. */
export function guarded(compute: () => RowValue): RowValue {
  try {
    return compute();
  } catch (error) {
    if (error instanceof VgiError) throw error;
    throw new FilterEvaluationError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
