// @ts-check
// A last look before sending: a reply with error-severity findings (a link, an email
// address, a review incentive …) gets a confirmation, because the marketplace may
// silently drop it or restrict the account.
//
// The guard never blocks for long and never blocks on its own failure: when the
// API is down, or answers too late, the reply goes as the agent asked.

/**
 * @typedef {object} SendVerdict
 * @property {"clean" | "errors" | "pending" | "unknown"} state
 * @property {Diagnostic[]} errors
 */

/**
 * @typedef {object} GuardHost
 * @property {(event: Event) => {field: HTMLElement, verdict: () => SendVerdict, settle: () => Promise<SendVerdict>, focus: () => void} | null} controllerFor
 */

/** How long a send waits for a check still running before letting the reply go. */
var RL_SEND_WAIT_MS = 1500;

/**
 * @param {HTMLElement} layer
 * @param {GuardHost} host
 */
function rlCreateSendGuard(layer, host) {
  const dialog = rlEl("div", { className: "rl-dialog rl-ui", role: "alertdialog", "aria-modal": "false" });
  dialog.hidden = true;
  layer.append(dialog);
  /** Set while the guard replays a send it held back, so it lets that one through. */
  let replaying = false;

  /**
   * @param {Event} event
   * @param {() => void} replay
   * @param {DOMRect | null} anchor
   */
  function intercept(event, replay, anchor) {
    if (replaying) return;
    const found = host.controllerFor(event);
    if (!found) return;
    const verdict = found.verdict();
    if (verdict.state === "clean" || verdict.state === "unknown") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (verdict.state === "errors") {
      ask(verdict.errors, replay, anchor, found.focus);
      return;
    }
    // A check is on its way for the latest text: wait a little for it.
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), RL_SEND_WAIT_MS));
    Promise.race([found.settle(), timeout]).then((settled) => {
      const v = /** @type {SendVerdict | null} */ (settled);
      if (v && v.state === "errors") ask(v.errors, replay, anchor, found.focus);
      else run(replay);
    });
  }

  /** @param {() => void} replay */
  function run(replay) {
    replaying = true;
    try {
      replay();
    } finally {
      replaying = false;
    }
  }

  /**
   * @param {Diagnostic[]} errors
   * @param {() => void} replay
   * @param {DOMRect | null} anchor
   * @param {() => void} focus
   */
  function ask(errors, replay, anchor, focus) {
    const rules = [...new Set(errors.map((d) => d.rule))];
    const keepEditing = rlEl(
      "button",
      {
        className: "rl-btn rl-primary",
        type: "button",
        dataset: { action: "keep-editing" },
        onclick: () => {
          close();
          focus();
        },
      },
      rlT("guardKeepEditing"),
    );
    dialog.replaceChildren(
      rlEl("h2", {}, rlT("guardTitle", errors.length)),
      rlEl("div", {}, rlT("guardBody")),
      rlEl("ul", {}, ...errors.slice(0, 5).map((d) => rlEl("li", { dataset: { rule: d.rule } }, d.message))),
      rlEl(
        "div",
        { className: "rl-actions" },
        keepEditing,
        rlEl(
          "button",
          {
            className: "rl-btn rl-danger",
            type: "button",
            dataset: { action: "send-anyway" },
            title: rules.join(", "),
            onclick: () => {
              close();
              run(replay);
            },
          },
          rlT("guardSendAnyway"),
        ),
      ),
    );
    dialog.hidden = false;
    const w = dialog.offsetWidth;
    const h = dialog.offsetHeight;
    const a = anchor || new DOMRect(window.innerWidth / 2, window.innerHeight / 2, 0, 0);
    dialog.style.left = `${Math.max(4, Math.min(a.right - w, window.innerWidth - w - 4))}px`;
    dialog.style.top = `${Math.max(4, a.top - h - 8 < 4 ? Math.min(a.bottom + 8, window.innerHeight - h - 4) : a.top - h - 8)}px`;
    keepEditing.focus();
  }

  function close() {
    dialog.hidden = true;
    dialog.replaceChildren();
  }

  /** @param {MouseEvent} event */
  const onClick = (event) => {
    if (replaying || event.button !== 0) return;
    const found = host.controllerFor(event);
    if (!found) return;
    const control = rlSendControlFor(event, found.field);
    if (!control) return;
    const target = /** @type {HTMLElement} */ (event.composedPath()[0] || control);
    intercept(event, () => target.click(), control.getBoundingClientRect());
  };

  /** @param {SubmitEvent} event */
  const onSubmit = (event) => {
    if (replaying) return;
    const form = /** @type {HTMLFormElement} */ (event.target);
    const submitter = event.submitter;
    intercept(event, () => form.requestSubmit(submitter), submitter ? submitter.getBoundingClientRect() : null);
  };

  /** Ctrl+Enter / ⌘+Enter sends in many helpdesks. @param {KeyboardEvent} event */
  const onKeyDown = (event) => {
    if (event.key === "Escape" && !dialog.hidden) {
      close();
      return;
    }
    if (replaying || event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
    const origin = /** @type {HTMLElement} */ (event.composedPath()[0]);
    const init = {
      key: event.key,
      code: event.code,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      bubbles: true,
      cancelable: true,
      composed: true,
    };
    intercept(event, () => origin.dispatchEvent(new KeyboardEvent("keydown", init)), origin.getBoundingClientRect());
  };

  window.addEventListener("click", onClick, true);
  window.addEventListener("submit", /** @type {EventListener} */ (onSubmit), true);
  window.addEventListener("keydown", onKeyDown, true);

  return {
    get open() {
      return !dialog.hidden;
    },
    destroy() {
      window.removeEventListener("click", onClick, true);
      window.removeEventListener("submit", /** @type {EventListener} */ (onSubmit), true);
      window.removeEventListener("keydown", onKeyDown, true);
      dialog.remove();
    },
  };
}
