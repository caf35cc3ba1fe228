export * from "./rpc/method.js";
export * from "./rpc/call-context.js";
export * from "./rpc/router.js";
export * from "./rpc/pipe-connection.js";
export * from "./rpc/synthetic-methods.js";
export * from "./transports/stdio.js";
