// @ts-check
// Where things are on a messaging page: the reply box, the buyer's message, the
// send button.
//
// Seller Central and helpdesks change their markup without notice, so nothing here
// depends on one exact class name: known hooks come first, then patterns that any
// conversation view follows (a message element whose class or test id says
// buyer / customer / incoming; a button labelled Send in the page's language).
// A page can also mark its elements explicitly with data-replylint="reply",
// "buyer-message" or "send".

/** Explicit and known hooks for the buyer's message, most specific first. */
var RL_BUYER_SELECTORS = [
  '[data-replylint="buyer-message"]',
  '[data-test-id*="buyer-message" i]',
  '[data-testid*="buyer-message" i]',
  '[data-test-id*="customer-message" i]',
  '[data-testid*="customer-message" i]',
  '[data-sender="buyer" i]',
  '[data-sender="customer" i]',
  '[data-author-role="buyer" i]',
  '[data-author-role="customer" i]',
  '[class*="buyer-message" i]',
  '[class*="buyermessage" i]',
  '[class*="buyer_message" i]',
  '[class*="customer-message" i]',
  '[class*="customermessage" i]',
  '[class*="message" i][class*="incoming" i]',
  '[class*="message" i][class*="inbound" i]',
  '[class*="message" i][class*="received" i]',
  '[class*="message" i][class*="buyer" i]',
  '[class*="message" i][class*="customer" i]',
].join(",");

/** Inside a message element, the part holding the text (not the sender's name or the date). */
var RL_MESSAGE_BODY_SELECTORS = [
  '[data-replylint="buyer-message-body"]',
  '[data-test-id*="body" i]',
  '[data-testid*="body" i]',
  '[class*="message-body" i]',
  '[class*="messagebody" i]',
  '[class*="message-text" i]',
  '[class*="message-content" i]',
  '[class*="body" i]',
  '[class*="content" i]',
].join(",");

/** Labels of send buttons, in the languages of the marketplaces served. */
var RL_SEND_LABEL =
  /^\s*(send|send reply|send message|reply|submit|envoyer|envoyer la réponse|répondre|senden|antworten|nachricht senden|enviar|responder|enviar respuesta|invia|invia risposta|rispondi|verzenden|skicka|wyślij|gönder|送信|发送|發送|回复|返信)\s*$/i;

/** Words in a box's label that say it is for replying to a buyer. */
var RL_REPLY_HINT =
  /reply|respon|message|antwort|nachricht|réponse|repondre|répondre|mensaje|messaggio|rispost|risposta|回复|返信|メッセージ|消息/i;

/**
 * Whether an element is an editable, multi-line box an agent writes a reply in
 * (single-line inputs, search boxes and read-only areas never are).
 * @param {Element | null | undefined} el
 * @returns {el is HTMLElement}
 */
function rlIsEditableBox(el) {
  if (!el || !(el instanceof HTMLElement)) return false;
  if (el instanceof HTMLTextAreaElement) {
    if (el.readOnly || el.disabled) return false;
  } else if (!el.isContentEditable || (el.parentElement && el.parentElement.isContentEditable)) {
    return false;
  }
  if (el.getAttribute("data-replylint") === "off") return false;
  const rect = el.getBoundingClientRect();
  if (rect.width < 120 || rect.height < 30) return false;
  const style = getComputedStyle(el);
  return style.visibility !== "hidden" && style.display !== "none";
}

/**
 * Boxes worth attaching to before the agent focuses them: marked ones, and ones whose
 * label says "reply" or "message". Others are attached on focus.
 * @param {HTMLElement} el
 */
function rlLooksLikeReplyBox(el) {
  if (el.getAttribute("data-replylint") === "reply") return true;
  const host = /** @type {ShadowRoot} */ (el.getRootNode()).host;
  const labels = [el, host]
    .filter(Boolean)
    .flatMap((node) =>
      ["name", "id", "placeholder", "aria-label", "label", "data-test-id", "data-testid"].map(
        (attr) => /** @type {Element} */ (node).getAttribute(attr) || "",
      ),
    );
  return RL_REPLY_HINT.test(labels.join(" "));
}

/**
 * Every candidate reply box under a node, including inside open shadow roots of
 * custom elements (Katal's <kat-textarea>).
 * @param {ParentNode} root
 * @returns {HTMLElement[]}
 */
function rlFindEditableBoxes(root) {
  /** @type {HTMLElement[]} */
  const found = [];
  /** @param {ParentNode} node */
  const visit = (node) => {
    for (const el of Array.from(
      node.querySelectorAll(
        "textarea, [contenteditable='true'], [contenteditable=''], [contenteditable='plaintext-only']",
      ),
    )) {
      if (rlIsEditableBox(el)) found.push(el);
    }
    for (const el of Array.from(node.querySelectorAll("*"))) {
      if (el.shadowRoot && el.tagName.includes("-")) visit(el.shadowRoot);
    }
  };
  if (root instanceof Element && rlIsEditableBox(root)) found.push(root);
  visit(root);
  return found;
}

/**
 * The text of the buyer's message this reply answers: the last buyer message before
 * the reply box in the page, or the last one at all.
 * @param {HTMLElement} field
 * @returns {string | null}
 */
function rlFindBuyerMessage(field) {
  const doc = field.ownerDocument;
  const anchor = rlOutermostHost(field);
  const all = Array.from(doc.querySelectorAll(RL_BUYER_SELECTORS)).filter(
    (el) => !el.contains(anchor) && !anchor.contains(el),
  );
  // The innermost matches: a thread container whose class says "customer-messages"
  // would otherwise win over the message inside it.
  const innermost = all.filter((el) => !all.some((other) => other !== el && el.contains(other)));
  const visible = innermost.filter((el) => {
    const text = /** @type {HTMLElement} */ (el).innerText;
    return text && text.trim() && /** @type {HTMLElement} */ (el).getClientRects().length > 0;
  });
  if (!visible.length) return null;
  const before = visible.filter((el) => el.compareDocumentPosition(anchor) & Node.DOCUMENT_POSITION_FOLLOWING);
  const pool = before.length ? before : visible;
  const chosen = /** @type {HTMLElement} */ (pool[pool.length - 1]);
  /** @type {HTMLElement[]} */
  const bodies = Array.from(chosen.querySelectorAll(RL_MESSAGE_BODY_SELECTORS));
  const body = bodies.find((el) => el.innerText.trim());
  return ((body || chosen).innerText || "").trim() || null;
}

/**
 * The send control a click went to, if it sends the reply in `field`: a button-like
 * element labelled Send (or marked data-replylint="send") in the same composer.
 * @param {Event} event
 * @param {HTMLElement} field
 * @returns {HTMLElement | null}
 */
function rlSendControlFor(event, field) {
  const path = event.composedPath();
  for (const node of path) {
    if (!(node instanceof HTMLElement)) continue;
    if (node === field || node === document.body) break;
    if (!rlIsButtonLike(node)) continue;
    if (node.getAttribute("data-replylint") !== "send" && !RL_SEND_LABEL.test(rlLabelOf(node))) continue;
    return rlSharesComposer(node, field) ? node : null;
  }
  return null;
}

/** @param {HTMLElement} el */
function rlIsButtonLike(el) {
  if (el instanceof HTMLButtonElement) return el.type !== "reset";
  if (el instanceof HTMLInputElement) return el.type === "submit" || el.type === "button";
  const role = el.getAttribute("role");
  return role === "button" || el.tagName === "KAT-BUTTON" || el.getAttribute("data-replylint") === "send";
}

/** @param {HTMLElement} el */
function rlLabelOf(el) {
  const label =
    el.getAttribute("aria-label") ||
    el.getAttribute("label") ||
    (el instanceof HTMLInputElement ? el.value : "") ||
    el.innerText ||
    el.getAttribute("title") ||
    "";
  return label.replace(/\s+/g, " ").trim();
}

/**
 * Whether a button belongs to the same composer as the reply box: same form, or a
 * common ancestor a few levels up (a send button elsewhere on the page is not ours).
 * @param {HTMLElement} button
 * @param {HTMLElement} field
 */
function rlSharesComposer(button, field) {
  const anchor = rlOutermostHost(field);
  // A button inside a component's shadow root (<kat-button>) counts as its host.
  const target = rlOutermostHost(button);
  const form = /** @type {HTMLTextAreaElement} */ (field).form;
  if (form && form.contains(button)) return true;
  let ancestor = anchor.parentElement;
  for (let depth = 0; ancestor && depth < 6; depth++, ancestor = ancestor.parentElement) {
    if (ancestor === document.body) break;
    if (ancestor.contains(target)) return true;
  }
  return false;
}

/**
 * The element of the main document that holds a node, crossing shadow roots.
 * @param {Element} node
 * @returns {Element}
 */
function rlOutermostHost(node) {
  let current = node;
  for (let root = current.getRootNode(); root instanceof ShadowRoot; root = current.getRootNode()) {
    current = root.host;
  }
  return current;
}
