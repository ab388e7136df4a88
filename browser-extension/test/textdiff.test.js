const test = require("node:test");
const assert = require("node:assert/strict");
const { load, rng, plain } = require("./load.js");

const { rlWordDiff } = load("src/shared/textdiff.js");

const side = (parts, op) =>
  parts
    .filter((p) => p.op === "equal" || p.op === op)
    .map((p) => p.text)
    .join("");

test("a changed word shows as one deletion and one insertion", () => {
  const parts = rlWordDiff("Please contact the carrier today.", "I have contacted the carrier today.");
  assert.deepEqual(plain(parts), [
    { op: "delete", text: "Please contact" },
    { op: "insert", text: "I have contacted" },
    { op: "equal", text: " the carrier today." },
  ]);
});

test("a removed sentence is a single deletion", () => {
  const changes = plain(rlWordDiff("Sorry. Email me at bob@example.com. Thanks", "Sorry. Thanks")).filter(
    (p) => p.op !== "equal",
  );
  assert.equal(changes.length, 1);
  assert.equal(changes[0].op, "delete");
  assert.equal(changes[0].text.trim(), "Email me at bob@example.com.");
});

test("identical texts are one equal part", () => {
  assert.deepEqual(plain(rlWordDiff("Hi 😀", "Hi 😀")), [{ op: "equal", text: "Hi 😀" }]);
});

test("the parts rebuild both texts exactly (property)", () => {
  const next = rng(5);
  const words = ["the", "carrier", "refund", "😀", "Zoë", ",", ".", " ", "  ", "\n", "replacement", "I", "will"];
  const sentence = () =>
    Array.from({ length: Math.floor(next() * 14) }, () => words[Math.floor(next() * words.length)]).join("");
  for (let round = 0; round < 300; round++) {
    const a = sentence();
    const b = next() < 0.3 ? a : sentence();
    const parts = rlWordDiff(a, b);
    assert.equal(side(parts, "delete"), a);
    assert.equal(side(parts, "insert"), b);
    for (let i = 1; i < parts.length; i++) assert.notEqual(parts[i].op, parts[i - 1].op);
  }
});
