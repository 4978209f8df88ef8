export * from "./filter.js";
export * from "./types.js";
export * from "./validate.js";
export * from "./write.js";
