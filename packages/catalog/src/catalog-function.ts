/**
 * What the catalog needs to know about a function: its name, kind, and the
 * `FunctionInfo` it lists. The implementation (bind, init, exchange) lives with the
 * function kinds in the worker; the catalog only lists and finds.
 */
import type { CopyFromFormatInfoInput, FunctionInfoInput, FunctionType } from "@vgi-ts/protocol";

export interface CatalogFunction {
  readonly name: string;
  readonly functionType: FunctionType;
  /** The listing row for this function (one per overload) in the given schema. */
  describe(schemaPath: readonly string[]): FunctionInfoInput;
  /**
   * Functions that serve a custom `COPY ... FROM/TO (FORMAT <name>)`: the format row
   * `catalog_copy_from_formats` lists (the method name is historical; both directions).
   */
  copyFormat?(): CopyFromFormatInfoInput;
}
