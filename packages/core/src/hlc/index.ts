export * from "./hlc.js";
export * from "./test-clock.js";
export * from "./timestamp.js";
