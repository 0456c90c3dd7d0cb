/**
 * `require("labbook")`: labbook is an ES module, which Node 20.19 and later load with
 * `require()`. This file hands the same module to CommonJS code (one instance, shared with
 * `import`), and on a Node that cannot says so and how to go on.
 */
try {
  module.exports = require("./index.js");
} catch (e) {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ERR_REQUIRE_ESM" || code === "ERR_REQUIRE_ASYNC_MODULE") {
    throw new Error(
      `labbook is an ES module: require("labbook") needs Node 20.19 or later (this is ${process.version}). ` +
        `Upgrade Node, or load it with \`const labbook = await import("labbook")\` (or use import in an .mjs/.mts file, or "type": "module" in package.json).`,
      { cause: e },
    );
  }
  throw e;
}
