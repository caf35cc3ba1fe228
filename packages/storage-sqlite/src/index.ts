export * from "./sqlite-storage.js";
export * from "./open.js";
