const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain } = require("./load.js");

const { rlPanelPosition } = load("src/content/panel.js");
const viewport = { width: 1440, height: 900 };
const box = { left: 270, top: 400, right: 1140, bottom: 540 };

test("the panel goes beside the reply box when there is room", () => {
  assert.deepEqual(plain(rlPanelPosition(box, 280, 300, viewport)), { left: 1148, top: 240 });
});

test("on a narrow window it goes above the box, never over the text being written", () => {
  const pos = rlPanelPosition(box, 280, 300, { width: 1200, height: 900 });
  assert.ok(pos.top + 300 <= box.top);
});

test("when nothing fits it stays inside the viewport", () => {
  const pos = rlPanelPosition({ left: 5, top: 10, right: 395, bottom: 300 }, 280, 500, { width: 400, height: 600 });
  assert.ok(pos.left >= 4 && pos.left + 280 <= 400);
  assert.ok(pos.top >= 4 && pos.top + 500 <= 600);
});
