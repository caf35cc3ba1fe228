export * from "./schema-path.js";
export * from "./catalog-function.js";
export * from "./attach-token.js";
export * from "./catalog.js";
export * from "./catalog-registry.js";
export * from "./catalog-methods.js";
export * from "./catalog-options.js";
