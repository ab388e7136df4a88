// Loads the extension's classic scripts into one sandbox, as the browser does with
// the content scripts listed in the manifest, and returns their globals.
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.join(__dirname, "..");

/**
 * @param {...string} files paths relative to browser-extension/
 * @returns {Record<string, any>}
 */
function load(...files) {
  const context = vm.createContext({ URL, console, Intl, DOMRect: class {} });
  for (const file of files) {
    vm.runInContext(fs.readFileSync(path.join(ROOT, file), "utf8"), context, { filename: file });
  }
  return context;
}

/** A small deterministic generator, so property tests fail the same way twice. */
function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { load, rng, ROOT };

/** Objects made in the sandbox have the sandbox's prototypes; compare plain copies. */
module.exports.plain = (value) => JSON.parse(JSON.stringify(value));
