export * from "./filter-errors.js";
export * from "./filter-tree.js";
export * from "./strict-json.js";
export * from "./decode-filters.js";
export * from "./encode-filters.js";
