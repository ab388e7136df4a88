// @ts-check
// Keeping underlines in place while the agent types.
//
// A check answers for the text as it was when the request left. By the time the
// answer arrives, or between two answers, the agent may have typed more. Rather
// than blanking every underline on each keystroke (flicker) or drawing stale ones
// at the wrong place, spans are carried through the edit: a span before the edited
// region stays, one after it moves by the length difference, and one the edit
// touches is dropped until the next answer.

/**
 * @typedef {object} Edit
 * @property {number} start first changed UTF-16 index
 * @property {number} removed code units removed from the old text at `start`
 * @property {number} inserted code units inserted in the new text at `start`
 */

/**
 * The single edit turning `before` into `after` (longest common prefix and suffix).
 * Never splits a surrogate pair.
 * @param {string} before
 * @param {string} after
 * @returns {Edit | null} null when the texts are equal
 */
function rlEditBetween(before, after) {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && rlIsHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const room = max - prefix;
  while (
    suffix < room &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (suffix > 0 && rlIsLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    start: prefix,
    removed: before.length - suffix - prefix,
    inserted: after.length - suffix - prefix,
  };
}

/** @param {number} code */
function rlIsHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/** @param {number} code */
function rlIsLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Where a UTF-16 span lies after an edit, or null when the edit touched it.
 * Typing right after a span leaves it alone; typing right before it pushes it along.
 * @param {{start: number, end: number}} span
 * @param {Edit} edit
 * @returns {{start: number, end: number} | null}
 */
function rlShiftSpan(span, edit) {
  if (span.end <= edit.start) return { start: span.start, end: span.end };
  if (span.start >= edit.start + edit.removed) {
    const delta = edit.inserted - edit.removed;
    return { start: span.start + delta, end: span.end + delta };
  }
  return null;
}
