// @ts-check
// The reply box as text: read it, find where a span is drawn, replace a span.
//
// Two kinds of boxes: a <textarea> (Seller Central, most helpdesks) and a
// contenteditable editor (rich-text helpdesks). Both expose the same interface,
// in UTF-16 offsets of the text they return.
//
// Edits go through document.execCommand("insertText"): it is the one path that
// keeps the box's undo history, fires the `input` events frameworks (React, Vue,
// ProseMirror) listen to, and never fights the page's own state.
//
// Top-level declarations are `var`/`function` so that a second injection of the
// same file (extension update, executeScript into an open tab) does not throw.

/**
 * @typedef {object} ReplyField
 * @property {HTMLElement} element
 * @property {() => string} getText
 * @property {(start: number, end: number) => DOMRect[]} rects viewport rectangles of a span
 * @property {() => DOMRect} box the visible text area of the box, viewport coordinates
 * @property {(start: number, end: number, text: string) => boolean} replace
 * @property {(text: string) => boolean} replaceAll
 * @property {() => number | null} caret caret offset when the box has focus
 * @property {() => void} invalidate forget cached layout (resize, fonts, style change)
 * @property {() => void} destroy
 */

/** Computed properties that decide where text wraps inside a textarea. */
var RL_MIRROR_PROPERTIES = [
  "direction",
  "boxSizing",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "fontStyle",
  "fontVariant",
  "fontWeight",
  "fontStretch",
  "fontSize",
  "fontSizeAdjust",
  "fontFamily",
  "fontKerning",
  "fontFeatureSettings",
  "fontVariantLigatures",
  "fontVariationSettings",
  "lineHeight",
  "textAlign",
  "textTransform",
  "textIndent",
  "textRendering",
  "letterSpacing",
  "wordSpacing",
  "tabSize",
  "whiteSpace",
  "wordBreak",
  "overflowWrap",
  "hyphens",
];

/**
 * Inserts text over the current selection the way typing would; falls back to
 * direct assignment (plus an `input` event) where execCommand is unavailable.
 * @param {HTMLElement} element
 * @param {string} text
 * @param {() => void} fallback
 */
function rlInsertText(element, text, fallback) {
  element.focus({ preventScroll: true });
  let done = false;
  try {
    done = text === "" ? document.execCommand("delete", false) : document.execCommand("insertText", false, text);
  } catch {
    done = false;
  }
  if (!done) {
    fallback();
    element.dispatchEvent(
      new InputEvent("input", { bubbles: true, composed: true, inputType: "insertReplacementText" }),
    );
  }
  return true;
}

/**
 * A <textarea>. Its text is not in the DOM, so a hidden mirror <div> with the same
 * width and typography lays it out the same way; DOM ranges over the mirror give
 * the rectangles, shifted by the textarea's position and scroll.
 * @param {HTMLTextAreaElement} textarea
 * @param {HTMLElement} layer hidden container (inside the extension's shadow root) for the mirror
 * @returns {ReplyField}
 */
function rlTextareaField(textarea, layer) {
  const mirror = document.createElement("div");
  mirror.className = "rl-mirror";
  mirror.setAttribute("aria-hidden", "true");
  const node = document.createTextNode("");
  mirror.append(node);
  layer.append(mirror);
  let styled = false;
  let width = -1;

  function syncStyle() {
    const style = getComputedStyle(textarea);
    const target = /** @type {Record<string, string>} */ (/** @type {unknown} */ (mirror.style));
    const source = /** @type {Record<string, string>} */ (/** @type {unknown} */ (style));
    for (const prop of RL_MIRROR_PROPERTIES) target[prop] = source[prop];
    // Textareas wrap long words and keep runs of spaces, whatever the page says.
    if (style.whiteSpace === "normal" || style.whiteSpace === "") mirror.style.whiteSpace = "pre-wrap";
    mirror.style.boxSizing = "content-box";
    mirror.style.borderStyle = "none";
    const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    width = textarea.clientWidth;
    mirror.style.width = `${Math.max(0, width - padX)}px`;
    styled = true;
  }

  function sync() {
    if (!styled || textarea.clientWidth !== width) syncStyle();
    const value = textarea.value;
    if (node.data !== value) node.data = value;
  }

  return {
    element: textarea,
    getText: () => textarea.value,
    rects(start, end) {
      sync();
      const length = node.data.length;
      const s = Math.max(0, Math.min(start, length));
      const e = Math.max(s, Math.min(end, length));
      const range = document.createRange();
      range.setStart(node, s);
      range.setEnd(node, e);
      const origin = mirror.getBoundingClientRect();
      const box = textarea.getBoundingClientRect();
      const dx = box.left + textarea.clientLeft - textarea.scrollLeft - origin.left;
      const dy = box.top + textarea.clientTop - textarea.scrollTop - origin.top;
      return rlLineRects(range).map((r) => new DOMRect(r.left + dx, r.top + dy, r.width, r.height));
    },
    box() {
      const box = textarea.getBoundingClientRect();
      return new DOMRect(
        box.left + textarea.clientLeft,
        box.top + textarea.clientTop,
        textarea.clientWidth,
        textarea.clientHeight,
      );
    },
    replace(start, end, text) {
      const value = textarea.value;
      if (start < 0 || end > value.length || start > end) return false;
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(start, end);
      return rlInsertText(textarea, text, () => textarea.setRangeText(text, start, end, "end"));
    },
    replaceAll(text) {
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(0, textarea.value.length);
      return rlInsertText(textarea, text, () => {
        textarea.value = text;
      });
    },
    caret() {
      if (rlDeepActiveElement() !== textarea) return null;
      return textarea.selectionStart === textarea.selectionEnd ? textarea.selectionEnd : null;
    },
    invalidate() {
      styled = false;
    },
    destroy() {
      mirror.remove();
    },
  };
}

/**
 * The rectangles of a range, one per line box: Chrome also reports zero-width boxes
 * at line ends and duplicates for nested inline boxes, which would draw stray marks.
 * @param {Range} range
 * @returns {DOMRect[]}
 */
function rlLineRects(range) {
  /** @type {DOMRect[]} */
  const out = [];
  for (const r of Array.from(range.getClientRects())) {
    if (r.width < 0.5 || r.height < 0.5) continue;
    const same = out.find(
      (o) =>
        Math.abs(o.top - r.top) < 1 &&
        Math.abs(o.height - r.height) < 1 &&
        r.left <= o.right + 0.5 &&
        r.right >= o.left - 0.5,
    );
    if (same) {
      const left = Math.min(same.left, r.left);
      const right = Math.max(same.right, r.right);
      out[out.indexOf(same)] = new DOMRect(left, same.top, right - left, same.height);
    } else {
      out.push(r);
    }
  }
  return out;
}

/** Elements that start a new line of text in an editor. */
var RL_BLOCK_TAGS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "DD",
  "DIV",
  "DL",
  "DT",
  "FIELDSET",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "FORM",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "MAIN",
  "NAV",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "TABLE",
  "TR",
  "UL",
]);

/**
 * @typedef {object} TextSegment
 * @property {number} start offset of the node's first character in the text
 * @property {Text} node
 */

/**
 * The text of a contenteditable editor as the agent sees it (lines from blocks and
 * <br>), with a map from offsets back to DOM positions.
 * @param {HTMLElement} root
 * @returns {{text: string, segments: TextSegment[]}}
 */
function rlEditableText(root) {
  let text = "";
  /** @type {TextSegment[]} */
  const segments = [];
  /** @param {Node} node */
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const data = /** @type {Text} */ (child).data;
        if (data) {
          segments.push({ start: text.length, node: /** @type {Text} */ (child) });
          text += data;
        }
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const el = /** @type {HTMLElement} */ (child);
        const tag = el.tagName;
        if (tag === "BR") {
          text += "\n";
          continue;
        }
        if (
          tag === "SCRIPT" ||
          tag === "STYLE" ||
          tag === "TEMPLATE" ||
          el.hidden ||
          el.getAttribute("contenteditable") === "false"
        ) {
          continue;
        }
        const block = RL_BLOCK_TAGS.has(tag);
        if (block && text && !text.endsWith("\n")) text += "\n";
        walk(el);
        if (block && text && !text.endsWith("\n") && el.nextSibling) text += "\n";
      }
    }
  };
  walk(root);
  return { text, segments };
}

/**
 * The DOM position of a text offset. At a boundary between two nodes, `preferNext`
 * picks the start of the following node (for a range start) over the end of the
 * previous one (for a range end).
 * @param {TextSegment[]} segments
 * @param {number} offset
 * @param {boolean} preferNext
 * @returns {{node: Text, offset: number} | null}
 */
function rlEditablePosition(segments, offset, preferNext) {
  if (!segments.length) return null;
  let best = null;
  for (const seg of segments) {
    const end = seg.start + seg.node.data.length;
    if (offset < seg.start) {
      // In a line break before this node.
      if (preferNext || !best) return { node: seg.node, offset: 0 };
      return best;
    }
    if (offset <= end) {
      if (offset === end && preferNext) {
        best = { node: seg.node, offset: offset - seg.start };
        continue;
      }
      return { node: seg.node, offset: offset - seg.start };
    }
    best = { node: seg.node, offset: seg.node.data.length };
  }
  return best;
}

/**
 * A contenteditable editor.
 * @param {HTMLElement} root
 * @returns {ReplyField}
 */
function rlEditableField(root) {
  /** @type {{text: string, segments: TextSegment[]} | null} */
  let model = null;
  const observer = new MutationObserver(() => {
    model = null;
  });
  observer.observe(root, { childList: true, characterData: true, subtree: true });
  const current = () => (model ??= rlEditableText(root));

  /**
   * @param {number} start
   * @param {number} end
   * @returns {Range | null}
   */
  function rangeFor(start, end) {
    const { segments } = current();
    const s = rlEditablePosition(segments, start, true);
    const e = rlEditablePosition(segments, end, false);
    if (!s || !e) return null;
    const range = document.createRange();
    range.setStart(s.node, s.offset);
    range.setEnd(e.node, e.offset);
    if (range.collapsed && end > start) return null;
    return range;
  }

  return {
    element: root,
    getText: () => current().text,
    rects(start, end) {
      const range = rangeFor(start, end);
      return range ? rlLineRects(range) : [];
    },
    box() {
      const box = root.getBoundingClientRect();
      return new DOMRect(box.left + root.clientLeft, box.top + root.clientTop, root.clientWidth, root.clientHeight);
    },
    replace(start, end, text) {
      const range = start === end ? rangeFor(start, start) : rangeFor(start, end);
      if (!range) return false;
      root.focus({ preventScroll: true });
      const selection = root.ownerDocument.getSelection();
      if (!selection) return false;
      selection.removeAllRanges();
      selection.addRange(range);
      return rlInsertText(root, text, () => {
        range.deleteContents();
        if (text) range.insertNode(document.createTextNode(text));
      });
    },
    replaceAll(text) {
      root.focus({ preventScroll: true });
      const selection = root.ownerDocument.getSelection();
      if (!selection) return false;
      const range = document.createRange();
      range.selectNodeContents(root);
      selection.removeAllRanges();
      selection.addRange(range);
      return rlInsertText(root, text, () => {
        root.textContent = text;
      });
    },
    caret() {
      const selection = root.ownerDocument.getSelection();
      if (!selection || !selection.isCollapsed || !selection.focusNode || !root.contains(selection.focusNode))
        return null;
      const { segments } = current();
      const seg = segments.find((s) => s.node === selection.focusNode);
      return seg ? seg.start + selection.focusOffset : null;
    },
    invalidate() {
      model = null;
    },
    destroy() {
      observer.disconnect();
    },
  };
}

/**
 * The focused element, looking into open shadow roots (Seller Central's Katal
 * components keep their <textarea> inside one).
 * @returns {Element | null}
 */
function rlDeepActiveElement() {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
