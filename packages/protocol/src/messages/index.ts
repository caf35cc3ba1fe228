/**
 * Every VGI 2.0.0 message, declared once with the codec DSL.
 *
 * Naming: `XCodec` is the codec (schema + encode/decode) of wire type `X`; the type
 * `X` is its decoded form and `XInput` what encoding accepts. Enums and struct field
 * types (`FunctionType`, `CatalogExample`) are both a descriptor and a type.
 */
export * from "./enums.js";
export * from "./common.js";
export * from "./scan.js";
export * from "./function-info.js";
export * from "./catalog-objects.js";
export * from "./function-requests.js";
export * from "./function-results.js";
export * from "./aggregate.js";
export * from "./table-buffering.js";
export * from "./catalog-requests.js";
export * from "./catalog-results.js";
export * from "./request-params.js";
export * from "./catalog-params.js";
export * from "./table-params.js";
export * from "./methods.js";
