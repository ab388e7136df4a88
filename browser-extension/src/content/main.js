// @ts-check
// Start-up of the content script: is the extension on for this page, which boxes
// are reply boxes (now, later, inside shadow roots), and the page-wide listeners
// (scroll, resize, pointer, send) shared by every box.

/**
 * Requests to the service worker over one port, opened on demand: the worker may be
 * stopped by the browser when idle, and a request in flight then is sent again once.
 * @returns {ApiClient & {destroy: () => void}}
 */
function rlCreateClient() {
  /** @type {chrome.runtime.Port | null} */
  let port = null;
  let nextId = 1;
  /** @type {Map<number, {message: PortRequest, resolve: (value: any) => void, resent: boolean}>} */
  const pending = new Map();

  /** @param {string} code */
  const failure = (code) => ({ ok: false, error: { code, message: "" }, ms: 0 });

  function connect() {
    const p = chrome.runtime.connect({ name: "replylint" });
    p.onMessage.addListener((/** @type {PortResponse} */ message) => {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      entry.resolve(message);
    });
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
      const entries = [...pending.values()];
      for (const entry of entries) {
        if (entry.resent || !rlExtensionAlive()) {
          pending.delete(entry.message.id);
          entry.resolve(failure("unreachable"));
        } else {
          entry.resent = true;
          send(entry.message);
        }
      }
    });
    return p;
  }

  /** @param {PortRequest} message */
  function send(message) {
    try {
      if (!port) port = connect();
      port.postMessage(message);
    } catch {
      const entry = pending.get(message.id);
      pending.delete(message.id);
      entry?.resolve(failure("unreachable"));
    }
  }

  return {
    request(type, record) {
      const id = nextId++;
      /** @type {PortRequest} */
      const message = { id, type, record };
      const promise = new Promise((resolve) => {
        pending.set(id, { message, resolve, resent: false });
      });
      send(message);
      return {
        promise,
        cancel() {
          const entry = pending.get(id);
          if (!entry) return;
          pending.delete(id);
          entry.resolve(failure("cancelled"));
          try {
            port?.postMessage({ id, type: "cancel" });
          } catch {
            // the port is gone, and the request with it
          }
        },
      };
    },
    destroy() {
      for (const entry of pending.values()) entry.resolve(failure("cancelled"));
      pending.clear();
      try {
        port?.disconnect();
      } catch {
        // already gone
      }
      port = null;
    },
  };
}

/** False once the extension was updated, disabled or removed under this page. */
function rlExtensionAlive() {
  try {
    return Boolean(chrome.runtime && chrome.runtime.id);
  } catch {
    return false;
  }
}

/**
 * @param {any} message
 * @returns {Promise<any>}
 */
function rlSendRuntime(message) {
  return new Promise((resolve) => {
    try {
      chrome.runtime.sendMessage(message, (answer) => {
        void chrome.runtime.lastError;
        resolve(answer);
      });
    } catch {
      resolve(undefined);
    }
  });
}

function rlStartApp() {
  const hostEl = document.createElement("replylint-root");
  hostEl.setAttribute("aria-live", "off");
  const shadow = hostEl.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = RL_CSS;
  const layer = document.createElement("div");
  layer.className = "rl-layer";
  shadow.append(style, layer);
  let mounted = false;
  const mount = () => {
    if (!hostEl.isConnected) document.documentElement.append(hostEl);
    mounted = true;
  };

  const client = rlCreateClient();
  /** @type {SiteContext} */
  let context = { enabled: false, siteId: null, marketplace: "amazon", lang: "auto" };
  let panelOpen = true;
  /** @type {Map<HTMLElement, ReturnType<typeof rlCreateController>>} */
  const controllers = new Map();
  /** @type {ReturnType<typeof rlCreateController> | null} */
  let lastActive = null;
  let pointerFrame = 0;
  /** @type {{x: number, y: number}} */
  let pointer = { x: -1, y: -1 };
  let destroyed = false;

  const resizeObserver = new ResizeObserver((entries) => {
    for (const entry of entries) controllers.get(/** @type {HTMLElement} */ (entry.target))?.invalidate();
  });

  /** @param {HTMLElement} el */
  function attach(el) {
    if (controllers.has(el) || !context.enabled || destroyed) return controllers.get(el) || null;
    mount();
    const field = el instanceof HTMLTextAreaElement ? rlTextareaField(el, layer) : rlEditableField(el);
    const controller = rlCreateController({
      field,
      layer,
      client,
      context: () => context,
      panelOpen,
      onPanelToggle: (open) => {
        panelOpen = open;
        for (const c of controllers.values()) if (c !== controller) c.setPanelOpen(open);
        rlSendRuntime({ type: "set-panel-open", open });
      },
      openOptions: () => rlSendRuntime({ type: "open-options" }),
    });
    controllers.set(el, controller);
    resizeObserver.observe(el);
    controller.start();
    return controller;
  }

  /** @param {HTMLElement} el */
  function detach(el) {
    const controller = controllers.get(el);
    if (!controller) return;
    controllers.delete(el);
    resizeObserver.unobserve(el);
    if (lastActive === controller) lastActive = null;
    controller.destroy();
  }

  function detachAll() {
    for (const el of [...controllers.keys()]) detach(el);
  }

  /** @param {ParentNode} root */
  function scan(root) {
    for (const el of rlFindEditableBoxes(root)) if (rlLooksLikeReplyBox(el)) attach(el);
  }

  // Boxes rendered late (single-page apps) and boxes removed with their thread.
  let scanQueued = false;
  /** @type {Set<ParentNode>} */
  const queued = new Set();
  const mutationObserver = new MutationObserver((mutations) => {
    for (const m of mutations) {
      for (const node of Array.from(m.addedNodes)) {
        if (node.nodeType === Node.ELEMENT_NODE && node !== hostEl) queued.add(/** @type {Element} */ (node));
      }
    }
    if (scanQueued) return;
    scanQueued = true;
    requestAnimationFrame(() => {
      scanQueued = false;
      for (const el of [...controllers.keys()]) if (!el.isConnected) detach(el);
      if (!context.enabled) {
        queued.clear();
        return;
      }
      const roots = [...queued];
      queued.clear();
      for (const root of roots) if (/** @type {Node} */ (root).isConnected) scan(root);
    });
  });

  /** @param {Event} event */
  function controllerOf(event) {
    for (const node of event.composedPath()) {
      const c = controllers.get(/** @type {HTMLElement} */ (node));
      if (c) return c;
    }
    return null;
  }

  /**
   * False, after cleaning up, once the extension was updated or removed under this
   * page: an orphaned copy must neither draw nor hold back a send it cannot check.
   */
  function alive() {
    if (destroyed) return false;
    if (rlExtensionAlive()) return true;
    destroy();
    return false;
  }

  /** @param {FocusEvent} event */
  const onFocusIn = (event) => {
    if (!context.enabled || !alive()) return;
    const target = /** @type {Element} */ (event.composedPath()[0]);
    const el = target instanceof HTMLElement && target.isContentEditable ? rlEditableRoot(target) : target;
    if (rlIsEditableBox(el)) lastActive = attach(/** @type {HTMLElement} */ (el)) || lastActive;
  };
  /** @param {Event} event */
  const onInput = (event) => {
    const c = controllerOf(event);
    if (c && !alive()) return;
    if (c) {
      lastActive = c;
      c.onInput();
    }
  };
  const onScroll = () => {
    for (const c of controllers.values()) c.reposition();
  };
  const onResize = () => {
    for (const c of controllers.values()) c.invalidate();
  };
  /** @param {PointerEvent} event */
  const onPointerMove = (event) => {
    pointer = { x: event.clientX, y: event.clientY };
    if (pointerFrame) return;
    pointerFrame = requestAnimationFrame(() => {
      pointerFrame = 0;
      for (const c of controllers.values()) c.onPointer(pointer.x, pointer.y);
    });
  };
  /** @param {MouseEvent} event */
  const onMouseUp = (event) => {
    const c = controllerOf(event);
    if (c) setTimeout(() => c.onCaret(), 0);
  };
  /** @param {KeyboardEvent} event */
  const onKeyDown = (event) => {
    if (event.key === "Escape") for (const c of controllers.values()) if (c.cardOpen) c.hideCard();
  };

  const guard = rlCreateSendGuard(layer, {
    controllerFor(event) {
      if (!controllers.size || !alive()) return null;
      let found = controllerOf(event);
      if (!found) {
        for (const c of controllers.values()) {
          if (event.type === "submit") {
            const form = /** @type {HTMLFormElement} */ (event.target);
            if (form.contains(c.field.element)) found = c;
          } else if (rlSendControlFor(event, c.field.element)) {
            found = c;
          }
          if (found) break;
        }
      }
      if (!found) return null;
      const c = found;
      return { field: c.field.element, verdict: () => c.verdict(), settle: () => c.settle(), focus: () => c.focus() };
    },
  });

  // Programmatic changes (a macro inserted by the page) fire no input event.
  const poll = setInterval(() => {
    if (!controllers.size || !alive()) return;
    for (const c of controllers.values()) c.onInput();
  }, 1000);

  window.addEventListener("focusin", onFocusIn, true);
  window.addEventListener("input", onInput, true);
  window.addEventListener("scroll", onScroll, { capture: true, passive: true });
  window.addEventListener("resize", onResize, { passive: true });
  window.addEventListener("pointermove", onPointerMove, { passive: true });
  window.addEventListener("mouseup", onMouseUp, true);
  window.addEventListener("keyup", onInput, true);
  window.addEventListener("keydown", onKeyDown, true);
  document.fonts?.addEventListener?.("loadingdone", onResize);

  async function loadContext() {
    /** @type {ContextResponse | undefined} */
    const answer = await rlSendRuntime({ type: "context" });
    if (destroyed) return;
    if (!answer || !answer.context) {
      if (!rlExtensionAlive()) destroy();
      return;
    }
    const wasEnabled = context.enabled;
    context = answer.context;
    panelOpen = answer.panelOpen;
    if (!context.enabled) {
      mutationObserver.disconnect();
      detachAll();
      return;
    }
    if (!wasEnabled) {
      mutationObserver.observe(document.documentElement, { childList: true, subtree: true });
      scan(document);
      const focused = rlDeepActiveElement();
      if (focused && rlIsEditableBox(focused)) attach(focused);
    } else {
      for (const c of controllers.values()) {
        c.setPanelOpen(panelOpen);
        c.recheck();
      }
    }
  }

  /** @param {any} message */
  const onRuntimeMessage = (message) => {
    if (message && message.type === "settings-changed") loadContext();
  };
  chrome.runtime.onMessage.addListener(onRuntimeMessage);

  function destroy() {
    if (destroyed) return;
    destroyed = true;
    detachAll();
    mutationObserver.disconnect();
    resizeObserver.disconnect();
    clearInterval(poll);
    guard.destroy();
    client.destroy();
    window.removeEventListener("focusin", onFocusIn, true);
    window.removeEventListener("input", onInput, true);
    window.removeEventListener("scroll", onScroll, true);
    window.removeEventListener("resize", onResize);
    window.removeEventListener("pointermove", onPointerMove);
    window.removeEventListener("mouseup", onMouseUp, true);
    window.removeEventListener("keyup", onInput, true);
    window.removeEventListener("keydown", onKeyDown, true);
    document.fonts?.removeEventListener?.("loadingdone", onResize);
    try {
      chrome.runtime.onMessage.removeListener(onRuntimeMessage);
    } catch {
      // extension context gone
    }
    hostEl.remove();
    void mounted;
  }

  loadContext();
  return { destroy };
}

/**
 * The editor root of a node inside a contenteditable region.
 * @param {HTMLElement} el
 * @returns {HTMLElement}
 */
function rlEditableRoot(el) {
  let root = el;
  while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
  return root;
}

(() => {
  const scope = /** @type {{__replylint?: {destroy: () => void}}} */ (/** @type {unknown} */ (globalThis));
  // A second injection (the extension was updated under an open tab) replaces the first.
  scope.__replylint?.destroy();
  for (const stale of Array.from(document.querySelectorAll("replylint-root"))) stale.remove();
  if (!rlExtensionAlive()) return;
  scope.__replylint = rlStartApp();
})();
