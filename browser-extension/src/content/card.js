// @ts-check
// The card shown over an underline: what is wrong, the policy it breaks, and the fix.

/**
 * @typedef {object} CardItem
 * @property {string} key
 * @property {Diagnostic} diagnostic
 * @property {boolean} canFix whether the fix's range is still where it was checked
 */

/**
 * @typedef {object} CardActions
 * @property {(key: string) => void} applyFix
 * @property {(key: string) => void} ignore
 * @property {(inside: boolean) => void} hover pointer entered (true) or left (false) the card
 */

/**
 * The wording of a fix button: what the reply will say instead.
 * @param {Diagnostic} d
 * @returns {string}
 */
function rlFixLabel(d) {
  const fix = d.fix;
  if (!fix) return "";
  if (fix.title) return fix.title;
  const replacement = fix.replacement.trim();
  if (!replacement) return rlT("fixRemove");
  const short = replacement.length > 48 ? `${replacement.slice(0, 45)}…` : replacement;
  return rlT("fixReplace", short);
}

/**
 * A short, readable name for a policy link: its host and the start of its path.
 * @param {string} href
 */
function rlPolicyLabel(href) {
  try {
    const url = new URL(href);
    return url.hostname.replace(/^www\./, "");
  } catch {
    return href;
  }
}

/**
 * @param {HTMLElement} layer
 * @param {CardActions} actions
 */
function rlCreateCard(layer, actions) {
  const card = rlEl("div", {
    className: "rl-card rl-ui",
    role: "dialog",
    "aria-live": "polite",
    onmouseenter: () => actions.hover(true),
    onmouseleave: () => actions.hover(false),
  });
  card.hidden = true;
  layer.append(card);
  /** @type {string} */
  let shownKeys = "";

  /**
   * @param {CardItem} item
   */
  function itemView(item) {
    const d = item.diagnostic;
    const severity = ["error", "warning", "info"].includes(d.severity) ? d.severity : "info";
    const actionsRow = rlEl("div", { className: "rl-actions" });
    if (d.fix && item.canFix) {
      const label = rlFixLabel(d);
      actionsRow.append(
        rlEl(
          "button",
          {
            className: `rl-btn ${d.fix.safe ? "rl-primary" : ""}`,
            type: "button",
            title: d.fix.safe ? rlT("fixSafeTitle") : rlT("fixUnsafeTitle"),
            dataset: { action: "fix", key: item.key },
            onclick: () => actions.applyFix(item.key),
          },
          label,
        ),
      );
    }
    actionsRow.append(
      rlEl(
        "button",
        { className: "rl-btn", type: "button", dataset: { action: "ignore" }, onclick: () => actions.ignore(item.key) },
        rlT("ignore"),
      ),
    );
    if (d.policy && /^https?:\/\//i.test(d.policy)) {
      actionsRow.append(
        rlEl(
          "a",
          {
            className: "rl-link",
            href: d.policy,
            target: "_blank",
            rel: "noopener noreferrer",
            title: d.policy,
            dataset: { action: "policy" },
          },
          rlT("policyLink", rlPolicyLabel(d.policy)),
        ),
      );
    }
    return rlEl(
      "div",
      { className: "rl-item", dataset: { rule: d.rule, severity } },
      rlEl(
        "div",
        { className: `rl-head rl-sev-${severity}` },
        rlEl("span", { className: "rl-dot" }),
        rlEl("span", {}, rlT(`severity_${severity}`)),
        rlEl("span", { className: "rl-rule" }, d.rule),
      ),
      rlEl("p", { className: "rl-msg" }, d.message),
      d.help ? rlEl("p", { className: "rl-help" }, d.help) : null,
      actionsRow,
    );
  }

  return {
    /**
     * @param {CardItem[]} items
     * @param {DOMRect} anchor rectangle of the underlined text
     */
    show(items, anchor) {
      const keys = items.map((i) => `${i.key}:${i.canFix}`).join("|");
      if (keys !== shownKeys || card.hidden) {
        card.replaceChildren(...items.map(itemView));
        shownKeys = keys;
      }
      card.hidden = false;
      this.place(anchor);
    },
    /** @param {DOMRect} anchor */
    place(anchor) {
      const width = card.offsetWidth;
      const height = card.offsetHeight;
      const below = anchor.bottom + 6;
      const top =
        below + height > window.innerHeight - 4 && anchor.top - height - 6 > 4 ? anchor.top - height - 6 : below;
      const left = Math.max(4, Math.min(anchor.left, window.innerWidth - width - 4));
      card.style.left = `${left}px`;
      card.style.top = `${Math.max(4, top)}px`;
    },
    hide() {
      card.hidden = true;
      shownKeys = "";
    },
    get visible() {
      return !card.hidden;
    },
    get element() {
      return card;
    },
    destroy() {
      card.remove();
    },
  };
}
