// @ts-check
// The pill in the corner of the reply box and the compact panel it opens:
// compliance, score, the Acknowledge / Own / Offer / Verify checklist, the buyer
// message's triage, other findings, the Rewrite button and the connection status.

/**
 * @typedef {object} PanelStatus
 * @property {"idle" | "checking" | "ok" | "slow" | "error" | "too-long"} kind
 * @property {ApiError} [error]
 * @property {number} [ms] duration of the last check
 * @property {number} [retryAt] Date.now() when checking resumes after an error
 */

/**
 * @typedef {object} ChecklistItem
 * @property {"acknowledgement" | "ownership" | "offer" | "next_step"} element
 * @property {boolean} present
 * @property {string | null} fixKey key of the missing-* diagnostic whose fix inserts a suggestion
 */

/**
 * @typedef {object} RewriteView
 * @property {"loading" | "ready" | "error"} phase
 * @property {DiffPart[]} [diff]
 * @property {RewriteResponse} [response]
 * @property {number} [scoreBefore]
 * @property {boolean} [stale] the draft changed since the rewrite was asked for
 * @property {ApiError} [error]
 */

/**
 * @typedef {object} PanelState
 * @property {PanelStatus} status
 * @property {ResultRecord | null} result
 * @property {boolean} fresh the result is for the text in the box, and no check is pending
 * @property {boolean} empty the reply box is empty
 * @property {{error: number, warning: number, info: number}} counts
 * @property {ChecklistItem[]} checklist
 * @property {{key: string, message: string, severity: string, rule: string}[]} others findings without an underline
 * @property {RewriteView | null} rewrite
 */

/**
 * @typedef {object} PanelActions
 * @property {(open: boolean) => void} setOpen
 * @property {(key: string) => void} applyFix
 * @property {() => void} rewrite
 * @property {() => void} acceptRewrite
 * @property {() => void} discardRewrite
 * @property {() => void} retry
 * @property {() => void} openOptions
 */

var RL_CHECKLIST_ORDER = /** @type {const} */ (["acknowledgement", "ownership", "offer", "next_step"]);

var RL_MARKETPLACE_NAMES = /** @type {Record<string, string>} */ ({
  amazon: "Amazon",
  ebay: "eBay",
  walmart: "Walmart",
  etsy: "Etsy",
  shopify: "Shopify",
  generic: "",
});

/**
 * Where the panel goes: beside the reply box (right, then left) so it covers neither
 * the text being written, nor the thread above, nor the send button below; above or
 * below the box only when the window is too narrow.
 * @param {{left: number, top: number, right: number, bottom: number}} box
 * @param {number} width
 * @param {number} height
 * @param {{width: number, height: number}} [viewport]
 * @returns {{left: number, top: number}}
 */
function rlPanelPosition(box, width, height, viewport = { width: window.innerWidth, height: window.innerHeight }) {
  const gap = 8;
  const clampTop = (/** @type {number} */ top) => Math.max(4, Math.min(top, viewport.height - height - 4));
  const besideTop = clampTop(box.bottom - height);
  if (box.right + gap + width <= viewport.width - 4) return { left: box.right + gap, top: besideTop };
  if (box.left - gap - width >= 4) return { left: box.left - gap - width, top: besideTop };
  const left = Math.max(4, Math.min(box.right - width, viewport.width - width - 4));
  if (box.top - gap - height >= 4) return { left, top: box.top - gap - height };
  return { left, top: clampTop(box.bottom + gap) };
}

/**
 * The status line's words for an API failure.
 * @param {ApiError} error
 */
function rlErrorText(error) {
  const key = `error_${error.code.replace(/-/g, "_")}`;
  const text = rlT(key);
  return text === key ? rlT("error_server") : text;
}

/**
 * @param {HTMLElement} layer
 * @param {PanelActions} actions
 * @param {boolean} startOpen
 */
function rlCreatePanel(layer, actions, startOpen) {
  let open = startOpen;
  const pill = rlEl("button", {
    className: "rl-pill rl-state-idle",
    type: "button",
    "aria-expanded": String(open),
    "aria-label": rlT("pillLabel"),
    onclick: () => {
      open = !open;
      pill.setAttribute("aria-expanded", String(open));
      actions.setOpen(open);
      render(lastState);
      place(lastBox);
    },
  });
  const panel = rlEl("section", { className: "rl-panel rl-ui", "aria-label": rlT("panelTitle") });
  panel.hidden = true;
  layer.append(pill, panel);
  /** @type {PanelState | null} */
  let lastState = null;
  /** @type {DOMRect | null} */
  let lastBox = null;

  /** @param {PanelState | null} state */
  function renderPill(state) {
    const states = ["rl-state-idle", "rl-state-ok", "rl-state-warnings", "rl-state-errors", "rl-state-offline"];
    pill.classList.remove(...states);
    let cls = "rl-state-idle";
    let text = "";
    let title = rlT("pillLabel");
    if (state) {
      const findings = state.counts.error + state.counts.warning;
      if (state.status.kind === "error") {
        cls = "rl-state-offline";
        text = "!";
        title = rlErrorText(/** @type {ApiError} */ (state.status.error));
      } else if (state.status.kind === "too-long") {
        cls = "rl-state-offline";
        text = "…";
        title = rlT("statusTooLong");
      } else if (state.result && !state.empty) {
        cls = state.counts.error ? "rl-state-errors" : findings ? "rl-state-warnings" : "rl-state-ok";
        text = findings ? String(findings) : "✓";
        title = state.result.compliant ? rlT("badgeCompliant") : rlT("badgeNotCompliant");
      } else {
        text = "";
      }
    }
    pill.classList.add(cls);
    pill.classList.toggle(
      "rl-busy",
      Boolean(state && (state.status.kind === "checking" || state.status.kind === "slow")),
    );
    pill.textContent = text;
    pill.title = title;
    pill.dataset.state = cls.replace("rl-state-", "");
  }

  /** @param {PanelState} state */
  function headView(state) {
    const result = state.result;
    let badge;
    if (!result || state.empty) {
      badge = rlEl("span", { className: "rl-badge rl-unknown", dataset: { role: "badge" } }, rlT("badgeWaiting"));
    } else if (result.compliant) {
      badge = rlEl(
        "span",
        { className: "rl-badge", dataset: { role: "badge", compliant: "true" } },
        rlT("badgeCompliant"),
      );
    } else {
      const market = RL_MARKETPLACE_NAMES[result.marketplace] || "";
      badge = rlEl(
        "span",
        { className: "rl-badge rl-bad", dataset: { role: "badge", compliant: "false" } },
        market ? rlT("badgeBreaksPolicyOf", market) : rlT("badgeNotCompliant"),
      );
    }
    const score =
      result && !state.empty
        ? rlEl(
            "span",
            { className: "rl-score", dataset: { role: "score" }, title: rlT("scoreTitle") },
            String(result.score),
            rlEl("small", {}, "/100"),
          )
        : rlEl("span", { className: "rl-score" });
    return rlEl(
      "div",
      { className: "rl-panel-head" },
      badge,
      score,
      rlEl(
        "button",
        {
          className: "rl-close",
          type: "button",
          title: rlT("collapse"),
          "aria-label": rlT("collapse"),
          onclick: () => pill.click(),
        },
        "×",
      ),
    );
  }

  /** @param {PanelState} state */
  function checklistView(state) {
    const result = state.result;
    if (!result || state.empty) return null;
    if (!result.structure.applies) {
      return rlEl(
        "div",
        { className: "rl-section", dataset: { role: "checklist", applies: "false" } },
        rlEl("div", { className: "rl-label" }, rlT("checklistTitle")),
        rlEl("div", { className: "rl-note" }, rlT("checklistNotNeeded")),
      );
    }
    const list = rlEl("ul", { className: "rl-checklist" });
    for (const item of state.checklist) {
      list.append(
        rlEl(
          "li",
          {
            className: `rl-check ${item.present ? "rl-done" : "rl-missing"}`,
            dataset: { element: item.element, present: String(item.present) },
            title: rlT(`check_${item.element}_help`),
          },
          rlEl("span", { className: "rl-tick", "aria-hidden": "true" }, item.present ? "✓" : "!"),
          rlEl("span", {}, rlT(`check_${item.element}`)),
          !item.present && item.fixKey
            ? rlEl(
                "button",
                {
                  type: "button",
                  title: rlT("checklistAddTitle"),
                  onclick: () => item.fixKey && actions.applyFix(item.fixKey),
                },
                rlT("checklistAdd"),
              )
            : null,
        ),
      );
    }
    return rlEl(
      "div",
      { className: "rl-section", dataset: { role: "checklist", applies: "true" } },
      rlEl("div", { className: "rl-label" }, rlT("checklistTitle")),
      list,
    );
  }

  /** @param {PanelState} state */
  function triageView(state) {
    const triage = state.result?.triage;
    if (!triage) return null;
    const risk = ["low", "medium", "high"].includes(triage.risk) ? triage.risk : "medium";
    return rlEl(
      "div",
      { className: "rl-section", dataset: { role: "triage", risk } },
      rlEl("div", { className: "rl-label" }, rlT("triageTitle")),
      rlEl(
        "div",
        {},
        rlEl("span", { className: `rl-risk rl-risk-${risk}` }, rlT(`risk_${risk}`)),
        " ",
        rlEl("span", { dataset: { role: "sla" } }, rlT("triageSla", [triage.tier, triage.sla_hours])),
      ),
      triage.reasons && triage.reasons.length
        ? rlEl("ul", { className: "rl-reasons" }, ...triage.reasons.slice(0, 4).map((r) => rlEl("li", {}, r)))
        : null,
    );
  }

  /** @param {PanelState} state */
  function findingsView(state) {
    if (!state.result || state.empty) return null;
    const { error, warning, info } = state.counts;
    const counts = rlEl(
      "div",
      { className: "rl-counts", dataset: { role: "counts" } },
      rlEl(
        "span",
        { className: "rl-sev-error rl-head" },
        rlEl("span", { className: "rl-dot" }),
        rlT("countErrors", error),
      ),
      rlEl(
        "span",
        { className: "rl-sev-warning rl-head" },
        rlEl("span", { className: "rl-dot" }),
        rlT("countWarnings", warning),
      ),
      info
        ? rlEl(
            "span",
            { className: "rl-sev-info rl-head" },
            rlEl("span", { className: "rl-dot" }),
            rlT("countInfo", info),
          )
        : null,
    );
    const others = state.others.length
      ? rlEl(
          "ul",
          { className: "rl-others" },
          ...state.others
            .slice(0, 5)
            .map((o) => rlEl("li", { className: `rl-sev-${o.severity}`, title: o.rule }, o.message)),
        )
      : null;
    return rlEl("div", { className: "rl-section" }, counts, others);
  }

  /** @param {PanelState} state */
  function statusView(state) {
    const s = state.status;
    let text = "";
    let cls = "rl-status";
    /** @type {HTMLElement | null} */
    let action = null;
    if (s.kind === "checking") text = rlT("statusChecking");
    else if (s.kind === "slow") text = rlT("statusSlow");
    else if (s.kind === "too-long") text = rlT("statusTooLong");
    else if (s.kind === "ok" && s.ms !== undefined) text = rlT("statusChecked", s.ms);
    else if (s.kind === "error" && s.error) {
      cls += " rl-status-error";
      text = rlErrorText(s.error);
      if (s.error.code === "unauthorized" || s.error.code === "not-configured") {
        action = rlEl(
          "button",
          { className: "rl-btn", type: "button", onclick: () => actions.openOptions() },
          rlT("openOptions"),
        );
      } else {
        action = rlEl(
          "button",
          { className: "rl-btn", type: "button", dataset: { action: "retry" }, onclick: () => actions.retry() },
          rlT("retry"),
        );
      }
    }
    return rlEl(
      "div",
      { className: cls, dataset: { role: "status", kind: s.kind, fresh: String(state.fresh) }, role: "status" },
      text,
      action,
    );
  }

  /** @param {PanelState} state */
  function rewriteView(state) {
    const view = state.rewrite;
    if (!view) return null;
    if (view.phase === "loading") {
      return rlEl(
        "div",
        { className: "rl-section", dataset: { role: "rewrite", phase: "loading" } },
        rlEl("div", { className: "rl-note" }, rlT("rewriteLoading")),
      );
    }
    if (view.phase === "error") {
      return rlEl(
        "div",
        { className: "rl-section", dataset: { role: "rewrite", phase: "error" } },
        rlEl(
          "div",
          { className: "rl-status rl-status-error" },
          view.error ? rlErrorText(view.error) : rlT("error_server"),
        ),
        rlEl(
          "div",
          { className: "rl-actions" },
          rlEl(
            "button",
            { className: "rl-btn", type: "button", onclick: () => actions.discardRewrite() },
            rlT("close"),
          ),
        ),
      );
    }
    const response = /** @type {RewriteResponse} */ (view.response);
    const diff = rlEl(
      "div",
      { className: "rl-diff", dataset: { role: "diff" } },
      ...(view.diff || []).map((part) =>
        part.op === "equal" ? part.text : rlEl(part.op === "insert" ? "ins" : "del", {}, part.text),
      ),
    );
    const unchanged = !(view.diff || []).some((p) => p.op !== "equal");
    const changes = (response.changes || []).filter((c) => c.description);
    return rlEl(
      "div",
      { className: "rl-section", dataset: { role: "rewrite", phase: "ready" } },
      rlEl(
        "div",
        { className: "rl-label" },
        rlT("rewriteTitle", [String(view.scoreBefore ?? "–"), String(response.result.score)]),
      ),
      unchanged ? rlEl("div", { className: "rl-note" }, rlT("rewriteNothing")) : diff,
      changes.length
        ? rlEl("ul", { className: "rl-changes" }, ...changes.slice(0, 6).map((c) => rlEl("li", {}, c.description)))
        : null,
      // Why the proposal looks as it does (the model timed out, nothing beat the draft …).
      ...(response.notes || [])
        .slice(0, 3)
        .map((note) => rlEl("div", { className: "rl-note", dataset: { role: "rewrite-note" } }, note)),
      view.stale ? rlEl("div", { className: "rl-status rl-status-error" }, rlT("rewriteStale")) : null,
      rlEl(
        "div",
        { className: "rl-actions" },
        rlEl(
          "button",
          {
            className: "rl-btn rl-primary",
            type: "button",
            dataset: { action: "accept" },
            disabled: view.stale || unchanged ? "" : undefined,
            onclick: () => actions.acceptRewrite(),
          },
          rlT("rewriteAccept"),
        ),
        rlEl(
          "button",
          {
            className: "rl-btn",
            type: "button",
            dataset: { action: "discard" },
            onclick: () => actions.discardRewrite(),
          },
          rlT("rewriteDiscard"),
        ),
      ),
    );
  }

  /** @param {PanelState | null} state */
  function render(state) {
    renderPill(state);
    // An empty box shows only the pill: nothing to say yet.
    if (!state || !open || (state.empty && !state.rewrite)) {
      panel.hidden = true;
      return;
    }
    const busy = state.rewrite?.phase === "loading";
    const foot = rlEl(
      "div",
      { className: "rl-foot" },
      rlEl(
        "button",
        {
          className: "rl-btn rl-primary",
          type: "button",
          dataset: { action: "rewrite" },
          disabled: state.empty || busy ? "" : undefined,
          title: rlT("rewriteHelp"),
          onclick: () => actions.rewrite(),
        },
        rlT("rewrite"),
      ),
      statusView(state),
    );
    panel.replaceChildren(
      headView(state),
      ...[rewriteView(state), checklistView(state), triageView(state), findingsView(state)].filter(
        /** @type {(x: HTMLDivElement | null) => x is HTMLDivElement} */ ((x) => x !== null),
      ),
      foot,
    );
    panel.hidden = false;
  }

  /**
   * Pill in the box's bottom-right corner; the panel above it, or below when there
   * is no room above. Both hide when the box scrolls out of sight.
   * @param {DOMRect | null} box visible part of the reply box
   */
  function place(box) {
    lastBox = box;
    if (!box) {
      pill.hidden = true;
      panel.hidden = true;
      return;
    }
    pill.hidden = false;
    const pw = pill.offsetWidth || 24;
    // Clear of the resize grip in the corner.
    const pillLeft = Math.max(box.left + 2, box.right - pw - 18);
    const pillTop = Math.max(box.top + 2, box.bottom - 24 - 6);
    pill.style.left = `${pillLeft}px`;
    pill.style.top = `${pillTop}px`;
    if (panel.hidden) return;
    const { left, top } = rlPanelPosition(box, panel.offsetWidth, panel.offsetHeight);
    panel.style.left = `${left}px`;
    panel.style.top = `${top}px`;
  }

  return {
    /** @param {PanelState} state */
    update(state) {
      lastState = state;
      render(state);
      place(lastBox);
    },
    place,
    get open() {
      return open;
    },
    /** @param {boolean} value */
    setOpen(value) {
      if (open === value) return;
      open = value;
      pill.setAttribute("aria-expanded", String(open));
      render(lastState);
      place(lastBox);
    },
    get element() {
      return panel;
    },
    destroy() {
      pill.remove();
      panel.remove();
    },
  };
}
