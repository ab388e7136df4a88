const test = require("node:test");
const assert = require("node:assert/strict");
const { load, rng, plain } = require("./load.js");

const { rlOffsetMap, rlSpanToUtf16, rlWellFormed } = load("src/shared/offsets.js");

/** Reference: Python's str indexing is code points; Array.from splits a string the same way. */
function referenceUtf16(text, codePoint) {
  return Array.from(text).slice(0, codePoint).join("").length;
}

const PIECES = [
  "a",
  "Z",
  " ",
  "\n",
  ".",
  "é",
  "ë",
  "ß",
  "ñ",
  "à",
  "ç",
  "e\u0301",
  "o\u0308",
  "中",
  "文",
  "€",
  "😀",
  "👍🏽",
  "👩‍👩‍👧",
  "🇫🇷",
  "𝒜",
  "𠀋",
  "\u200b",
  "\ufeff",
  "\ud83d",
  "\ude00x",
];

function randomText(next, length) {
  let text = "";
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

test("ASCII offsets are the same in both counts", () => {
  const map = rlOffsetMap("Contact the carrier.");
  for (let i = 0; i <= 20; i++) {
    assert.equal(map.toUtf16(i), i);
    assert.equal(map.toCodePoint(i), i);
  }
});

test("an emoji before a span shifts it by one code unit", () => {
  const text = "Hi 😀 Zoë, email me at bob@example.com";
  const cpStart = Array.from(text).join("|").split("|").indexOf("b");
  const span = rlSpanToUtf16(rlOffsetMap(text), cpStart, cpStart + "bob@example.com".length);
  assert.equal(text.slice(span.start, span.end), "bob@example.com");
  assert.equal(span.start, cpStart + 1);
});

test("accented letters, precomposed or combining, need no conversion", () => {
  const text = "Désolé, e\u0301tait Zoe\u0308 — contactez le transporteur";
  const map = rlOffsetMap(text);
  for (let i = 0; i <= text.length; i++) assert.equal(map.toUtf16(i), i);
});

test("emoji sequences count one code unit per surrogate pair", () => {
  const text = "👩‍👩‍👧 🇫🇷 ok";
  // 👩 ZWJ 👩 ZWJ 👧 = 5 code points, 8 code units; space; 🇫🇷 = 2 code points, 4 units.
  const map = rlOffsetMap(text);
  assert.equal(map.codePoints, Array.from(text).length);
  const ok = Array.from(text).length - 2;
  assert.equal(text.slice(map.toUtf16(ok)), "ok");
});

test("a UTF-16 offset inside a surrogate pair rounds down to the character", () => {
  const text = "a😀b";
  const map = rlOffsetMap(text);
  assert.equal(map.toCodePoint(2), 1);
  assert.equal(map.toCodePoint(3), 2);
  assert.equal(map.toCodePoint(4), 3);
});

test("offsets out of range are clamped, never thrown", () => {
  const map = rlOffsetMap("a😀b");
  assert.equal(map.toUtf16(-5), 0);
  assert.equal(map.toUtf16(99), 4);
  assert.equal(map.toUtf16(Number.NaN), 0);
  assert.equal(map.toCodePoint(99), 3);
  const span = rlSpanToUtf16(map, 3, 1);
  assert.ok(span.end >= span.start);
});

test("code point offsets convert like Python indexing on random text (property)", () => {
  const next = rng(7);
  for (let round = 0; round < 400; round++) {
    const text = randomText(next, Math.floor(next() * 30));
    const map = rlOffsetMap(text);
    const count = Array.from(text).length;
    assert.equal(map.codePoints, count);
    for (let cp = 0; cp <= count; cp++) {
      const u = map.toUtf16(cp);
      assert.equal(u, referenceUtf16(text, cp), JSON.stringify(text));
      assert.equal(map.toCodePoint(u), cp, JSON.stringify(text));
    }
  }
});

test("every code point span selects the same characters in JavaScript (property)", () => {
  const next = rng(11);
  for (let round = 0; round < 300; round++) {
    const text = randomText(next, 1 + Math.floor(next() * 25));
    const chars = Array.from(text);
    const a = Math.floor(next() * (chars.length + 1));
    const b = a + Math.floor(next() * (chars.length - a + 1));
    const span = rlSpanToUtf16(rlOffsetMap(text), a, b);
    assert.equal(text.slice(span.start, span.end), chars.slice(a, b).join(""));
  }
});

test("lone surrogates become U+FFFD without moving any offset", () => {
  const text = "a\ud83db\ude00c😀";
  const clean = rlWellFormed(text);
  assert.equal(clean, "a\ufffdb\ufffdc😀");
  assert.equal(clean.length, text.length);
  assert.equal(Array.from(clean).length, Array.from(text).length);
});
