export * from "./canonical-json.js";
export * from "./delta-id.js";
export * from "./extract.js";
export * from "./json-value.js";
export * from "./own-property.js";
export * from "./row-key.js";
export * from "./table-schema.js";
export * from "./types.js";
