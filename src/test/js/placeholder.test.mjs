import { test } from "node:test";
import assert from "node:assert/strict";

test("node test runner is wired into the Maven build", () => {
  assert.equal(typeof globalThis.structuredClone, "function");
});
