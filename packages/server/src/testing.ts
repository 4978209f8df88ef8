/**
 * @module @lakesync/server/testing
 * Helpers for tests that drive a running server over HTTP: {@link TestClient} (push, pull and
 * admin calls with protobuf bodies, development tokens) and {@link todoInsert} (a todo app
 * INSERT stamped with a real clock). Test code: they throw on failure, unlike the package's API.
 */
export { TestClient } from "./testing/test-client.js";
export { todoInsert } from "./testing/todo-delta.js";
