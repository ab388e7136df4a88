// @ts-check
// Underlines drawn over the reply box.
//
// The page's DOM is never touched: marks live in the extension's shadow root, in a
// fixed-position layer clipped to the box's visible text area, and are re-placed on
// every scroll, resize and edit (one layout read per animation frame). The layer
// ignores the pointer, so clicking and selecting in the box work as if it were not
// there; hovering is hit-tested against the marks' rectangles instead.

/**
 * @typedef {object} Mark
 * @property {string} key
 * @property {number} start UTF-16 offset in the box's current text
 * @property {number} end
 * @property {"error" | "warning" | "info"} severity
 */

/**
 * The part of an element's box that is actually on screen: clipped by the viewport
 * and by every scrolling or clipping ancestor (including across shadow roots).
 * @param {HTMLElement} element
 * @param {DOMRect} box
 * @returns {DOMRect | null}
 */
function rlVisibleRect(element, box) {
  let left = Math.max(box.left, 0);
  let top = Math.max(box.top, 0);
  let right = Math.min(box.right, window.innerWidth);
  let bottom = Math.min(box.bottom, window.innerHeight);
  /** @type {Node | null} */
  let node = element.parentNode;
  while (node) {
    if (node instanceof ShadowRoot) {
      node = node.host;
      continue;
    }
    if (!(node instanceof HTMLElement) || node === document.body || node === document.documentElement) break;
    const style = getComputedStyle(node);
    if (style.overflowX !== "visible" || style.overflowY !== "visible") {
      const r = node.getBoundingClientRect();
      left = Math.max(left, r.left + node.clientLeft);
      top = Math.max(top, r.top + node.clientTop);
      right = Math.min(right, r.left + node.clientLeft + node.clientWidth);
      bottom = Math.min(bottom, r.top + node.clientTop + node.clientHeight);
    }
    if (style.position === "fixed") break;
    node = node.parentNode;
  }
  if (right - left < 1 || bottom - top < 1) return null;
  return new DOMRect(left, top, right - left, bottom - top);
}

/**
 * @param {HTMLElement} layer fixed layer in the shadow root
 * @param {ReplyField} field
 */
function rlCreateOverlay(layer, field) {
  const clip = document.createElement("div");
  clip.className = "rl-clip";
  clip.dataset.rlField = "";
  layer.append(clip);
  /** @type {Mark[]} */
  let marks = [];
  /** @type {{mark: Mark, rects: DOMRect[]}[]} */
  let placed = [];
  /** @type {string | null} */
  let active = null;
  /** @type {HTMLElement[]} */
  const pool = [];

  function render() {
    const box = field.box();
    const visible = field.element.isConnected ? rlVisibleRect(field.element, box) : null;
    placed = [];
    let used = 0;
    if (visible) {
      clip.hidden = false;
      clip.style.left = `${visible.left}px`;
      clip.style.top = `${visible.top}px`;
      clip.style.width = `${visible.width}px`;
      clip.style.height = `${visible.height}px`;
      for (const mark of marks) {
        const rects = field
          .rects(mark.start, mark.end)
          .filter(
            (r) => r.right > visible.left && r.left < visible.right && r.bottom > visible.top && r.top < visible.bottom,
          );
        placed.push({ mark, rects });
        for (const r of rects) {
          const el = pool[used] || clip.appendChild(document.createElement("div"));
          pool[used++] = el;
          el.className = `rl-mark rl-${mark.severity}${mark.key === active ? " rl-active" : ""}`;
          el.dataset.key = mark.key;
          el.style.left = `${r.left - visible.left}px`;
          el.style.top = `${r.top - visible.top}px`;
          el.style.width = `${r.width}px`;
          el.style.height = `${r.height}px`;
          el.hidden = false;
        }
      }
    } else {
      clip.hidden = true;
    }
    for (let i = used; i < pool.length; i++) pool[i].hidden = true;
    return used;
  }

  return {
    /** @param {Mark[]} next */
    setMarks(next) {
      // Errors drawn last, on top of warnings at the same place.
      const rank = { info: 0, warning: 1, error: 2 };
      marks = next.filter((m) => m.end > m.start).sort((a, b) => rank[a.severity] - rank[b.severity]);
    },
    render,
    /**
     * The marks under a point (viewport coordinates), most severe first.
     * @param {number} x
     * @param {number} y
     * @returns {Mark[]}
     */
    hitTest(x, y) {
      const hits = placed.filter(({ rects }) =>
        rects.some((r) => x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 3),
      );
      return hits.map((h) => h.mark).reverse();
    },
    /**
     * @param {string} key
     * @returns {DOMRect[]}
     */
    rectsOf(key) {
      return placed.find((p) => p.mark.key === key)?.rects ?? [];
    },
    /** @param {string | null} key */
    setActive(key) {
      if (active === key) return;
      active = key;
      for (const el of pool) el.classList.toggle("rl-active", el.dataset.key === key && !el.hidden);
    },
    destroy() {
      clip.remove();
    },
  };
}
