// @ts-check
// Offsets between the API and the page.
//
// The API counts in Python `str` indices (Unicode code points, CONTRACT.md §1);
// JavaScript strings, DOM ranges and textarea selections count UTF-16 code units.
// An emoji or any other character outside the Basic Multilingual Plane is one code
// point but two code units, so every offset after it shifts by one. Accented
// letters (precomposed or combining) are the same in both and need nothing.
//
// Lone surrogates count as one unit and one code point on both sides; the
// extension replaces them with U+FFFD before sending (`rlWellFormed`), which keeps
// every offset unchanged and spares the API text it cannot encode.

/**
 * @typedef {object} OffsetMap
 * @property {(codePoint: number) => number} toUtf16 code point index → UTF-16 index (clamped)
 * @property {(utf16: number) => number} toCodePoint UTF-16 index → code point index
 *   (clamped; an index inside a surrogate pair rounds down to the pair's start)
 * @property {number} codePoints length of the text in code points
 */

/**
 * Indices (UTF-16) where a surrogate pair starts, in increasing order.
 * @param {string} text
 * @returns {number[]}
 */
function rlSurrogatePairStarts(text) {
  /** @type {number[]} */
  const starts = [];
  for (let i = 0; i < text.length - 1; i++) {
    const high = text.charCodeAt(i);
    if (high >= 0xd800 && high <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        starts.push(i);
        i++;
      }
    }
  }
  return starts;
}

/**
 * Number of items in a sorted array that satisfy `below(item, index)`, which must be
 * true for a prefix of the array (binary search).
 * @param {number[]} sorted
 * @param {(value: number, index: number) => boolean} below
 */
function rlCountPrefix(sorted, below) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(sorted[mid], mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Converters for one text; build once per API result and convert every span with it.
 * @param {string} text
 * @returns {OffsetMap}
 */
function rlOffsetMap(text) {
  const pairs = rlSurrogatePairStarts(text);
  const codePoints = text.length - pairs.length;
  return {
    codePoints,
    toUtf16(codePoint) {
      const cp = Math.max(0, Math.min(Math.trunc(codePoint) || 0, codePoints));
      // The k-th pair (0-based) starts at code point pairs[k] - k; every pair that
      // starts before `cp` adds one code unit.
      return cp + rlCountPrefix(pairs, (start, k) => start - k < cp);
    },
    toCodePoint(utf16) {
      const u = Math.max(0, Math.min(Math.trunc(utf16) || 0, text.length));
      const before = rlCountPrefix(pairs, (start) => start + 1 < u);
      const splits = before < pairs.length && pairs[before] + 1 === u ? 1 : 0;
      return u - before - splits;
    },
  };
}

/**
 * A code-point span from the API as a UTF-16 span of the same text.
 * @param {OffsetMap} map
 * @param {number} start
 * @param {number} end
 * @returns {{start: number, end: number}}
 */
function rlSpanToUtf16(map, start, end) {
  const s = map.toUtf16(start);
  return { start: s, end: Math.max(s, map.toUtf16(end)) };
}

/**
 * The text with every lone surrogate replaced by U+FFFD, same length in UTF-16 and
 * in code points, so offsets computed on either agree.
 * @param {string} text
 * @returns {string}
 */
function rlWellFormed(text) {
  if (typeof text.toWellFormed === "function") return text.toWellFormed();
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
