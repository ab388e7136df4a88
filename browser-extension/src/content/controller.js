// @ts-check
// One reply box, from keystroke to underline.
//
//   input ──debounce──▶ check request (port → service worker → API)
//     │                         │
//     └─ marks carried through  ▼
//        the edit meanwhile   result: code-point spans → UTF-16 → carried through
//                             any edit made since → overlay, card, panel, send guard
//
// The debounce adapts to the API: 40–65 ms on a local API (20–45 ms a check), up to
// 400 ms on a slow remote one, so a team server is not asked on every keystroke. A
// newer check cancels the one in flight, so requests never pile up.

/**
 * @typedef {object} Finding
 * @property {string} key
 * @property {Diagnostic} diagnostic
 * @property {{start: number, end: number}} span UTF-16, in the current text
 * @property {{start: number, end: number} | null} fixSpan UTF-16, in the current text; null when edited since
 */

/**
 * @typedef {object} ApiClient
 * @property {(type: "check" | "rewrite", record: InputRecord) => {promise: Promise<ApiOutcome<any>>, cancel: () => void}} request
 */

var RL_DEBOUNCE_MIN_MS = 40;
var RL_DEBOUNCE_MAX_MS = 400;
/** A check slower than this shows "API slow". */
var RL_SLOW_MS = 2500;
/** After the API failed, wait this long before asking again (unless the agent clicks Retry). */
var RL_RETRY_MS = 5000;
/** Delay before the busy spinner shows, so fast checks never flicker. */
var RL_BUSY_DELAY_MS = 350;

var RL_STRUCTURE_RULES = /** @type {Record<string, "acknowledgement" | "ownership" | "offer" | "next_step">} */ ({
  "missing-acknowledgement": "acknowledgement",
  "missing-ownership": "ownership",
  "missing-offer": "offer",
  "missing-next-step": "next_step",
});

/**
 * @param {object} options
 * @param {ReplyField} options.field
 * @param {HTMLElement} options.layer
 * @param {ApiClient} options.client
 * @param {() => SiteContext} options.context
 * @param {boolean} options.panelOpen
 * @param {(open: boolean) => void} options.onPanelToggle
 * @param {() => void} options.openOptions
 */
function rlCreateController(options) {
  const { field, layer, client } = options;
  const overlay = rlCreateOverlay(layer, field);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let busyTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let slowTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let hoverTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let hideTimer;
  /** @type {{cancel: () => void} | null} */
  let inflight = null;
  /** Text the current findings are placed on. */
  let text = field.getText();
  /** Text of the last answered check (findings were computed for it, then carried along). */
  let checkedText = /** @type {string | null} */ (null);
  /** @type {ResultRecord | null} */
  let result = null;
  /** @type {Finding[]} */
  let findings = [];
  /** @type {Set<string>} */
  const ignored = new Set();
  /** @type {PanelStatus} */
  let status = { kind: "idle" };
  /** @type {RewriteView | null} */
  let rewriteView = null;
  /** @type {string | null} text the rewrite was asked for */
  let rewriteFrom = null;
  /** @type {{cancel: () => void} | null} */
  let rewriteRequest = null;
  let latencyAvg = 30;
  let retryAt = 0;
  let destroyed = false;
  let frame = 0;
  let seq = 0;
  /** Resolvers waiting for the check in flight (the send guard). @type {Array<() => void>} */
  let settleWaiters = [];
  /** @type {string | null} key of the finding whose card is open */
  let cardKey = null;
  let pointerInCard = false;

  const card = rlCreateCard(layer, {
    applyFix: (key) => applyFix(key),
    ignore: (key) => {
      const finding = findings.find((f) => f.key === key);
      if (finding) ignored.add(ignoreKey(finding.diagnostic));
      hideCard();
      refresh();
    },
    hover: (inside) => {
      pointerInCard = inside;
      if (inside) clearTimeout(hideTimer);
      else scheduleHide();
    },
  });

  const panel = rlCreatePanel(
    layer,
    {
      setOpen: (open) => options.onPanelToggle(open),
      applyFix: (key) => applyFix(key),
      rewrite: () => startRewrite(),
      acceptRewrite: () => acceptRewrite(),
      discardRewrite: () => {
        rewriteRequest?.cancel();
        rewriteRequest = null;
        rewriteView = null;
        rewriteFrom = null;
        refresh();
      },
      retry: () => {
        retryAt = 0;
        checkNow();
      },
      openOptions: options.openOptions,
    },
    options.panelOpen,
  );

  /** @param {Diagnostic} d */
  function ignoreKey(d) {
    return `${d.rule}\u0000${d.match || ""}`;
  }

  function debounceMs() {
    return Math.round(Math.min(RL_DEBOUNCE_MAX_MS, Math.max(RL_DEBOUNCE_MIN_MS, 20 + latencyAvg)));
  }

  // -- text changes --------------------------------------------------------------------------

  function onInput() {
    const next = field.getText();
    if (next === text) return;
    const edit = rlEditBetween(text, next);
    text = next;
    if (edit) {
      findings = findings.flatMap((f) => {
        const span = rlShiftSpan(f.span, edit);
        if (!span) return [];
        return [{ ...f, span, fixSpan: f.fixSpan ? rlShiftSpan(f.fixSpan, edit) : null }];
      });
      if (cardKey && !findings.some((f) => f.key === cardKey)) hideCard();
    }
    if (rewriteView && rewriteView.phase === "ready" && rewriteFrom !== null) {
      rewriteView = { ...rewriteView, stale: text !== rewriteFrom };
    }
    schedule();
    refresh();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(checkNow, debounceMs());
  }

  function checkNow() {
    clearTimeout(timer);
    timer = undefined;
    if (destroyed) return;
    const current = field.getText();
    if (current !== text) {
      onInput();
      return;
    }
    inflight?.cancel();
    inflight = null;
    if (!current.trim()) {
      result = null;
      findings = [];
      checkedText = current;
      status = { kind: "idle" };
      settle();
      refresh();
      return;
    }
    if (current.length > RL_MAX_TEXT) {
      status = { kind: "too-long" };
      settle();
      refresh();
      return;
    }
    if (Date.now() < retryAt) {
      // The API failed a moment ago: try again when the pause is over.
      timer = setTimeout(checkNow, retryAt - Date.now());
      return;
    }
    const record = rlBuildRecord(options.context(), current, rlFindBuyerMessage(field.element));
    const id = ++seq;
    const request = client.request("check", record);
    inflight = request;
    clearTimeout(busyTimer);
    clearTimeout(slowTimer);
    busyTimer = setTimeout(() => {
      if (seq === id && inflight) {
        status = { ...status, kind: "checking" };
        refresh();
      }
    }, RL_BUSY_DELAY_MS);
    slowTimer = setTimeout(() => {
      if (seq === id && inflight) {
        status = { kind: "slow" };
        refresh();
      }
    }, RL_SLOW_MS);
    request.promise.then((outcome) => {
      if (destroyed || id !== seq) return;
      inflight = null;
      clearTimeout(busyTimer);
      clearTimeout(slowTimer);
      if (outcome.ok) {
        latencyAvg = latencyAvg * 0.7 + outcome.ms * 0.3;
        retryAt = 0;
        accept(current, outcome.data);
        status = { kind: "ok", ms: outcome.ms };
      } else if (outcome.error.code === "cancelled") {
        return;
      } else {
        /** @type {ApiError} */
        const error = outcome.error;
        const pause = error.retryAfter ? error.retryAfter * 1000 : RL_RETRY_MS;
        retryAt = error.code === "too-large" || error.code === "bad-request" ? 0 : Date.now() + pause;
        status = { kind: "error", error, retryAt };
      }
      settle();
      refresh();
    });
  }

  /**
   * Places a result computed for `sentText` on the current text.
   * @param {string} sentText
   * @param {ResultRecord} record
   */
  function accept(sentText, record) {
    const map = rlOffsetMap(sentText);
    const edit = rlEditBetween(sentText, text);
    /** @type {Finding[]} */
    const next = [];
    /** @type {Map<string, number>} */
    const seen = new Map();
    for (const d of record.diagnostics || []) {
      let span = rlSpanToUtf16(map, d.start, d.end);
      /** @type {{start: number, end: number} | null} */
      let fixSpan = null;
      if (d.fix) {
        fixSpan = rlSpanToUtf16(map, d.fix.start ?? d.start, d.fix.end ?? d.end);
      }
      if (edit) {
        const moved = rlShiftSpan(span, edit);
        if (!moved) continue;
        span = moved;
        fixSpan = fixSpan ? rlShiftSpan(fixSpan, edit) : null;
      }
      // Keys stay the same from one check to the next while the text does, so an
      // open card survives the re-check that follows every pause in typing.
      const base = `${d.rule}:${d.start}:${d.end}`;
      const n = seen.get(base) || 0;
      seen.set(base, n + 1);
      next.push({ key: n ? `${base}:${n}` : base, diagnostic: d, span, fixSpan });
    }
    result = record;
    findings = next;
    checkedText = sentText;
  }

  function settle() {
    const waiters = settleWaiters;
    settleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // -- fixes and rewrites --------------------------------------------------------------------

  /** @param {string} key */
  function applyFix(key) {
    const finding = findings.find((f) => f.key === key);
    hideCard();
    if (!finding || !finding.diagnostic.fix || !finding.fixSpan) return;
    const { start, end } = finding.fixSpan;
    // Fixes are computed on whole words and sentences; adjust the spacing the
    // removal of a sentence leaves behind.
    let from = start;
    let to = end;
    const replacement = finding.diagnostic.fix.replacement;
    if (!replacement && from > 0 && to < text.length && /\s/.test(text[from - 1]) && /\s/.test(text[to])) to += 1;
    if (field.replace(from, to, replacement)) {
      findings = findings.filter((f) => f.key !== key);
      onInput();
    }
  }

  function startRewrite() {
    const current = field.getText();
    if (!current.trim()) return;
    rewriteRequest?.cancel();
    rewriteFrom = current;
    const scoreBefore = result && checkedText === current ? result.score : undefined;
    rewriteView = { phase: "loading", scoreBefore };
    refresh();
    const request = client.request(
      "rewrite",
      rlBuildRecord(options.context(), current, rlFindBuyerMessage(field.element)),
    );
    rewriteRequest = request;
    request.promise.then((outcome) => {
      if (destroyed || rewriteRequest !== request) return;
      rewriteRequest = null;
      if (!outcome.ok) {
        if (outcome.error.code === "cancelled") return;
        rewriteView = { phase: "error", error: outcome.error };
      } else {
        /** @type {RewriteResponse} */
        const response = outcome.data;
        rewriteView = {
          phase: "ready",
          response,
          diff: rlWordDiff(current, response.text),
          scoreBefore,
          stale: field.getText() !== current,
        };
      }
      refresh();
    });
  }

  function acceptRewrite() {
    if (!rewriteView || rewriteView.phase !== "ready" || !rewriteView.response) return;
    if (field.getText() !== rewriteFrom) {
      rewriteView = { ...rewriteView, stale: true };
      refresh();
      return;
    }
    const response = rewriteView.response;
    rewriteView = null;
    rewriteFrom = null;
    if (field.replaceAll(response.text)) {
      // The rewrite is already checked: show its result at once.
      text = field.getText();
      if (text === response.text) {
        accept(text, response.result);
        status = { kind: "ok", ms: 0 };
        inflight?.cancel();
        inflight = null;
        clearTimeout(timer);
        timer = undefined;
        settle();
      } else {
        schedule();
      }
    }
    refresh();
  }

  // -- drawing -------------------------------------------------------------------------------

  /** Underlined findings: everything but the structure family, which is about what is absent. */
  function visibleFindings() {
    return findings.filter(
      (f) => f.diagnostic.family !== "structure" && !ignored.has(ignoreKey(f.diagnostic)) && f.span.end > f.span.start,
    );
  }

  /** @returns {PanelState} */
  function panelState() {
    const live = findings.filter((f) => !ignored.has(ignoreKey(f.diagnostic)));
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of live) {
      const sev = /** @type {"error" | "warning" | "info"} */ (f.diagnostic.severity);
      if (sev in counts) counts[sev] += 1;
    }
    const structure = result?.structure;
    const checklist = RL_CHECKLIST_ORDER.map((element) => {
      const missing = live.find((f) => RL_STRUCTURE_RULES[f.diagnostic.rule] === element);
      return {
        element,
        present: Boolean(structure && structure[element]) && !missing,
        fixKey: missing && missing.fixSpan && missing.diagnostic.fix ? missing.key : null,
      };
    });
    const underlined = new Set(visibleFindings().map((f) => f.key));
    const others = live
      .filter((f) => !underlined.has(f.key) && f.diagnostic.family !== "structure")
      .map((f) => ({
        key: f.key,
        message: f.diagnostic.message,
        severity: f.diagnostic.severity,
        rule: f.diagnostic.rule,
      }));
    return {
      status,
      result,
      fresh: checkedText === text && timer === undefined && inflight === null,
      empty: !text.trim(),
      counts,
      checklist,
      others,
      rewrite: rewriteView,
    };
  }

  function refresh() {
    if (destroyed) return;
    overlay.setMarks(
      visibleFindings().map((f) => ({
        key: f.key,
        start: f.span.start,
        end: f.span.end,
        severity: /** @type {"error" | "warning" | "info"} */ (f.diagnostic.severity),
      })),
    );
    panel.update(panelState());
    reposition();
  }

  /** Re-places marks, pill, panel and card at the next frame (scroll, resize, edit). */
  function reposition() {
    if (frame || destroyed) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (destroyed) return;
      overlay.render();
      const box = field.element.isConnected ? rlVisibleRect(field.element, field.box()) : null;
      panel.place(box);
      if (cardKey) {
        const rects = overlay.rectsOf(cardKey);
        if (rects.length) card.place(rects[rects.length - 1]);
        else hideCard();
      }
    });
  }

  // -- hover card ----------------------------------------------------------------------------

  /**
   * @param {number} x
   * @param {number} y
   */
  function onPointer(x, y) {
    const hits = overlay.hitTest(x, y);
    if (!hits.length) {
      if (cardKey && !pointerInCard) scheduleHide();
      clearTimeout(hoverTimer);
      return;
    }
    clearTimeout(hideTimer);
    const key = hits[0].key;
    if (key === cardKey) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(() => showCard(hits.map((h) => h.key)), cardKey ? 0 : 120);
  }

  /** @param {string[]} keys findings under the pointer or caret, most severe first */
  function showCard(keys) {
    const items = keys
      .map((k) => findings.find((f) => f.key === k))
      .filter(/** @returns {f is Finding} */ (f) => Boolean(f))
      .map((f) => ({ key: f.key, diagnostic: f.diagnostic, canFix: Boolean(f.fixSpan) }));
    const rects = overlay.rectsOf(keys[0]);
    if (!items.length || !rects.length) return;
    cardKey = keys[0];
    overlay.setActive(cardKey);
    card.show(items, rects[rects.length - 1]);
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (!pointerInCard) hideCard();
    }, 300);
  }

  function hideCard() {
    clearTimeout(hideTimer);
    cardKey = null;
    pointerInCard = false;
    overlay.setActive(null);
    card.hide();
  }

  /** A click in the box on underlined text opens its card too (keyboard and touch users). */
  function onCaret() {
    const caret = field.caret();
    if (caret === null) return;
    const under = visibleFindings().filter((f) => caret >= f.span.start && caret <= f.span.end);
    if (under.length) showCard(under.map((f) => f.key));
  }

  return {
    field,
    onInput,
    onCaret,
    onPointer,
    reposition,
    /** Layout changed under the box (resize, fonts): measure again. */
    invalidate() {
      field.invalidate();
      reposition();
    },
    /** The page's context changed (settings): check again. */
    recheck() {
      retryAt = 0;
      checkNow();
    },
    /** @param {boolean} open */
    setPanelOpen(open) {
      panel.setOpen(open);
      reposition();
    },
    hideCard,
    get cardOpen() {
      return cardKey !== null;
    },
    /** @returns {SendVerdict} */
    verdict() {
      const current = field.getText();
      if (!current.trim()) return { state: "clean", errors: [] };
      const errors = findings.filter((f) => f.diagnostic.severity === "error" && !ignored.has(ignoreKey(f.diagnostic)));
      // The API is failing (or the draft is too long to check): nothing to wait for, the
      // reply goes as the agent asked.
      const stuck = status.kind === "error" || status.kind === "too-long";
      if (stuck && current !== checkedText) return { state: "unknown", errors: [] };
      const pending = current !== checkedText && (timer !== undefined || inflight !== null);
      if (pending) return { state: "pending", errors: [] };
      if (!result || current !== checkedText) return { state: "unknown", errors: [] };
      return errors.length
        ? { state: "errors", errors: errors.map((f) => f.diagnostic) }
        : { state: "clean", errors: [] };
    },
    /** Waits for the check of the current text (sent now if still debounced). */
    settle() {
      const done = new Promise((resolve) => settleWaiters.push(() => resolve(undefined)));
      if (timer !== undefined) checkNow();
      return done.then(() => this.verdict());
    },
    focus() {
      field.element.focus();
    },
    start() {
      // The API refuses an empty reply, so the buyer message's triage shows with the first words.
      if (text.trim()) checkNow();
      refresh();
    },
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      clearTimeout(busyTimer);
      clearTimeout(slowTimer);
      clearTimeout(hoverTimer);
      clearTimeout(hideTimer);
      if (frame) cancelAnimationFrame(frame);
      inflight?.cancel();
      rewriteRequest?.cancel();
      settle();
      overlay.destroy();
      card.destroy();
      panel.destroy();
      field.destroy();
    },
  };
}
