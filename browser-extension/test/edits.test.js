const test = require("node:test");
const assert = require("node:assert/strict");
const { load, rng, plain } = require("./load.js");

const { rlEditBetween, rlShiftSpan } = load("src/shared/edits.js");

test("equal texts have no edit", () => {
  assert.equal(rlEditBetween("same", "same"), null);
});

test("typing at the end is an insertion there", () => {
  assert.deepEqual(plain(rlEditBetween("Contact the carrier", "Contact the carrier.")), {
    start: 19,
    removed: 0,
    inserted: 1,
  });
});

test("replacing a word is one edit over that word", () => {
  assert.deepEqual(plain(rlEditBetween("visit www.shop.com today", "visit today")), {
    start: 6,
    removed: 13,
    inserted: 0,
  });
});

test("an edit never splits an emoji", () => {
  const edit = rlEditBetween("x😀", "x😃");
  assert.equal(edit.start, 1);
  assert.equal(edit.removed, 2);
  assert.equal(edit.inserted, 2);
});

test("a span before the edit stays, one after it moves, one inside it is dropped", () => {
  const edit = { start: 10, removed: 2, inserted: 5 };
  assert.deepEqual(plain(rlShiftSpan({ start: 2, end: 8 }, edit)), { start: 2, end: 8 });
  assert.deepEqual(plain(rlShiftSpan({ start: 12, end: 20 }, edit)), { start: 15, end: 23 });
  assert.equal(rlShiftSpan({ start: 8, end: 11 }, edit), null);
  assert.equal(rlShiftSpan({ start: 10, end: 12 }, edit), null);
});

test("typing right after an underlined word leaves it in place", () => {
  const before = "Email me at bob@example.com";
  const after = `${before}.`;
  const span = { start: 12, end: 27 };
  assert.deepEqual(plain(rlShiftSpan(span, rlEditBetween(before, after))), span);
});

test("typing right before an underlined word pushes it along", () => {
  const edit = rlEditBetween("at bob@example.com", "at  bob@example.com");
  const moved = rlShiftSpan({ start: 3, end: 18 }, edit);
  assert.equal("at  bob@example.com".slice(moved.start, moved.end), "bob@example.com");
});

test("spans the edit does not touch keep their text (property)", () => {
  const next = rng(3);
  const alphabet = "abc de😀é.\n";
  const pick = (n) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
  for (let round = 0; round < 500; round++) {
    const before = pick(5 + Math.floor(next() * 20));
    const at = Math.floor(next() * before.length);
    const cut = Math.floor(next() * 4);
    const after = before.slice(0, at) + pick(Math.floor(next() * 4)) + before.slice(Math.min(before.length, at + cut));
    const edit = rlEditBetween(before, after);
    if (!edit) continue;
    const s = Math.floor(next() * before.length);
    const e = s + Math.floor(next() * (before.length - s + 1));
    const moved = rlShiftSpan({ start: s, end: e }, edit);
    if (moved)
      assert.equal(after.slice(moved.start, moved.end), before.slice(s, e), JSON.stringify({ before, after, s, e }));
  }
});
