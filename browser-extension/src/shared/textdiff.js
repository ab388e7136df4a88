// @ts-check
// Word-level differences between a draft and its rewrite, for the agent to review.
//
// Written here rather than bundled from a package: it is a few dozen lines, the
// extension has no build step, and every line of third-party code in an extension
// that reads customer messages is one more to audit.

/**
 * @typedef {object} DiffPart
 * @property {"equal" | "delete" | "insert"} op
 * @property {string} text
 */

/** Beyond this many cells the middle is shown as one replacement (it never happens for replies). */
var RL_DIFF_MAX_CELLS = 4_000_000;

/**
 * Words (letters, digits, marks, inner apostrophes and hyphens), runs of white space,
 * and single other characters (punctuation, emoji).
 * @param {string} text
 * @returns {string[]}
 */
function rlDiffTokens(text) {
  return text.match(/\s+|[\p{L}\p{N}\p{M}]+(?:['’\-_.][\p{L}\p{N}\p{M}]+)*|[\s\S]/gu) ?? [];
}

/**
 * The edit script from `before` to `after`, word by word, with neighbouring parts of
 * the same kind merged; concatenating the equal and delete parts gives `before`,
 * the equal and insert parts `after`.
 * @param {string} before
 * @param {string} after
 * @returns {DiffPart[]}
 */
function rlWordDiff(before, after) {
  const a = rlDiffTokens(before);
  const b = rlDiffTokens(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  /** @type {DiffPart[]} */
  const parts = [];
  for (let i = 0; i < prefix; i++) parts.push({ op: "equal", text: a[i] });
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  for (const part of rlLcsDiff(midA, midB)) parts.push(part);
  for (let i = a.length - suffix; i < a.length; i++) parts.push({ op: "equal", text: a[i] });
  return rlMergeParts(rlAbsorbBlankEquals(rlMergeParts(parts)));
}

/**
 * Longest-common-subsequence diff of two token lists.
 * @param {string[]} a
 * @param {string[]} b
 * @returns {DiffPart[]}
 */
function rlLcsDiff(a, b) {
  /** @type {DiffPart[]} */
  const out = [];
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > RL_DIFF_MAX_CELLS) {
    for (const t of a) out.push({ op: "delete", text: t });
    for (const t of b) out.push({ op: "insert", text: t });
    return out;
  }
  // lengths[i][j] = LCS of a[i:] and b[j:], row-major in one typed array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: "equal", text: a[i] });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
      out.push({ op: "delete", text: a[i++] });
    } else {
      out.push({ op: "insert", text: b[j++] });
    }
  }
  while (i < n) out.push({ op: "delete", text: a[i++] });
  while (j < m) out.push({ op: "insert", text: b[j++] });
  return out;
}

/**
 * Merges neighbours of the same kind and puts deletions before insertions inside a
 * changed run, so "old words" reads before "new words".
 * @param {DiffPart[]} parts
 * @returns {DiffPart[]}
 */
function rlMergeParts(parts) {
  /** @type {DiffPart[]} */
  const out = [];
  let del = "";
  let ins = "";
  const flush = () => {
    if (del) out.push({ op: "delete", text: del });
    if (ins) out.push({ op: "insert", text: ins });
    del = "";
    ins = "";
  };
  for (const part of parts) {
    if (!part.text) continue;
    if (part.op === "delete") del += part.text;
    else if (part.op === "insert") ins += part.text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last && last.op === "equal") last.text += part.text;
      else out.push({ op: "equal", text: part.text });
    }
  }
  flush();
  return out;
}

/**
 * A lone space kept between two changes ("-the +a␣-old +new") is noise: fold it into
 * both sides so the change reads as one phrase.
 * @param {DiffPart[]} parts merged parts
 * @returns {DiffPart[]}
 */
function rlAbsorbBlankEquals(parts) {
  /** @type {DiffPart[]} */
  const out = [];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const prev = parts[k - 1];
    const next = parts[k + 1];
    if (part.op === "equal" && /^\s+$/.test(part.text) && prev && next && prev.op !== "equal" && next.op !== "equal") {
      out.push({ op: "delete", text: part.text }, { op: "insert", text: part.text });
    } else {
      out.push(part);
    }
  }
  return out;
}
