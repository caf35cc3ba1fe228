import { ErrorKind, VgiError, type VgiErrorOptions } from "../errors.js";

/**
 * A `vgi.filters.v2` payload the worker cannot accept: bad JSON, an unknown node, a
 * broken value reference, a size limit exceeded. Kind `malformed_request`: the request
 * itself is wrong, whatever the function.
 */
export class FilterDecodeError extends VgiError {
  constructor(message: string, options?: VgiErrorOptions) {
    super(ErrorKind.MalformedRequest, `vgi.filters.v2: ${message}`, options);
    this.name = "FilterDecodeError";
  }
}
