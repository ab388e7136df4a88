// @ts-check
// The service worker owns the network and the storage.
//
// Content scripts never see the API key or the API's address: they send a record
// over a port and get a result back. Only the reply and the buyer's message leave
// the browser, only to the configured API (rlBuildRecord, rlSafeRecord).

importScripts("../shared/offsets.js", "../shared/settings.js", "api.js");

var RL_USER_SCRIPTS_ID = "replylint-user-sites";
var RL_PORT_NAME = "replylint";

/** @type {Promise<{settings: Settings, apiKey: string}> | null} */
let rlConfigCache = null;

/** Settings and key, read once and kept until storage changes. */
function rlConfig() {
  if (!rlConfigCache) {
    rlConfigCache = Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get("apiKey")]).then(
      ([sync, local]) => ({
        settings: rlSanitiseSettings(sync),
        apiKey: typeof local.apiKey === "string" ? local.apiKey.trim() : "",
      }),
    );
    rlConfigCache.catch(() => {
      rlConfigCache = null;
    });
  }
  return rlConfigCache;
}

/**
 * Only the contract's four fields, whatever a (compromised) content script sent.
 * @param {unknown} value
 * @returns {InputRecord | null}
 */
function rlSafeRecord(value) {
  if (!value || typeof value !== "object") return null;
  const r = /** @type {Record<string, unknown>} */ (value);
  if (typeof r.text !== "string" || r.text.length > RL_MAX_TEXT) return null;
  /** @type {InputRecord} */
  const record = { text: rlWellFormed(r.text) };
  if (typeof r.buyer_message === "string" && r.buyer_message) {
    record.buyer_message = rlWellFormed(r.buyer_message.slice(-RL_MAX_BUYER_MESSAGE));
  }
  if (typeof r.marketplace === "string" && RL_MARKETPLACES.includes(r.marketplace)) {
    record.marketplace = /** @type {InputRecord["marketplace"]} */ (r.marketplace);
  }
  if (typeof r.lang === "string" && (r.lang === "auto" || RL_LANGUAGES.includes(r.lang))) record.lang = r.lang;
  return record;
}

/** @param {chrome.runtime.MessageSender | undefined} sender */
function rlFromThisExtension(sender) {
  return Boolean(sender && sender.id === chrome.runtime.id);
}

/** @param {chrome.runtime.MessageSender | undefined} sender */
function rlFromExtensionPage(sender) {
  return rlFromThisExtension(sender) && Boolean(sender?.url?.startsWith(`chrome-extension://${chrome.runtime.id}/`));
}

// -- content script ports ----------------------------------------------------------------

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== RL_PORT_NAME || !rlFromThisExtension(port.sender)) {
    port.disconnect();
    return;
  }
  /** @type {Map<number, AbortController>} */
  const inflight = new Map();
  /** The running check: a newer one supersedes it (the text it checks is gone). */
  let currentCheck = -1;

  port.onDisconnect.addListener(() => {
    for (const controller of inflight.values()) controller.abort();
    inflight.clear();
  });

  port.onMessage.addListener(async (/** @type {PortRequest} */ message) => {
    if (!message || typeof message.id !== "number") return;
    if (message.type === "cancel") {
      inflight.get(message.id)?.abort();
      return;
    }
    if (message.type !== "check" && message.type !== "rewrite") return;
    const record = rlSafeRecord(message.record);
    if (!record) {
      rlPost(port, { id: message.id, type: message.type, ok: false, error: { code: "too-large", message: "" }, ms: 0 });
      return;
    }
    if (message.type === "check") {
      inflight.get(currentCheck)?.abort();
      currentCheck = message.id;
    }
    const controller = new AbortController();
    inflight.set(message.id, controller);
    try {
      const { settings, apiKey } = await rlConfig();
      const target = { apiUrl: settings.apiUrl, apiKey };
      const outcome =
        message.type === "check"
          ? await rlCheck(target, record, controller.signal)
          : await rlRewrite(target, record, controller.signal);
      if (controller.signal.aborted && !outcome.ok) return; // nobody waits for it
      const { version: _version, ...answer } = /** @type {any} */ (outcome);
      rlPost(port, { id: message.id, type: message.type, ...answer });
    } catch (err) {
      rlPost(port, {
        id: message.id,
        type: message.type,
        ok: false,
        error: { code: "unreachable", message: String(err) },
        ms: 0,
      });
    } finally {
      inflight.delete(message.id);
    }
  });
});

/**
 * @param {chrome.runtime.Port} port
 * @param {PortResponse} message
 */
function rlPost(port, message) {
  try {
    port.postMessage(message);
  } catch {
    // The tab went away meanwhile.
  }
}

// -- one-off messages -------------------------------------------------------------------------

chrome.runtime.onMessage.addListener((/** @type {RuntimeRequest} */ message, sender, reply) => {
  if (!rlFromThisExtension(sender) || !message || typeof message.type !== "string") return false;
  rlHandle(message, sender).then(reply, (err) => reply({ error: String(err) }));
  return true; // answer asynchronously
});

/**
 * @param {RuntimeRequest} message
 * @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<unknown>}
 */
async function rlHandle(message, sender) {
  switch (message.type) {
    case "context": {
      const { settings } = await rlConfig();
      // The page's address comes from the browser, not from the page.
      const href = sender.url || sender.tab?.url || "";
      return { context: rlSiteContext(settings, href), panelOpen: settings.panelOpen };
    }
    case "set-panel-open":
      await chrome.storage.sync.set({ panelOpen: Boolean(message.open) });
      return { ok: true };
    case "open-options":
      await chrome.runtime.openOptionsPage();
      return { ok: true };
    case "test-connection": {
      if (!rlFromExtensionPage(sender)) return { ok: false };
      const api = rlNormaliseApiUrl(message.apiUrl);
      if (!("url" in api)) return { ok: false, version: null, ms: 0, error: { code: "not-configured", message: "" } };
      return rlTestConnection({ apiUrl: api.url, apiKey: (message.apiKey || "").trim() });
    }
    case "sites-changed":
      if (!rlFromExtensionPage(sender)) return { ok: false };
      await rlSyncUserScripts();
      return { ok: true };
    default:
      return { error: "unknown message" };
  }
}

// -- user-enabled sites -----------------------------------------------------------------------

/**
 * Registers the content script on every enabled user site whose host permission the
 * user granted on the options page; Seller Central is in the manifest.
 */
async function rlSyncUserScripts() {
  const { settings } = await rlConfig();
  const wanted = settings.sites.filter((s) => !s.builtin && s.enabled).map((s) => s.pattern);
  /** @type {string[]} */
  const granted = [];
  for (const pattern of wanted) {
    if (await chrome.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [RL_USER_SCRIPTS_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [RL_USER_SCRIPTS_ID] });
  if (!granted.length) return;
  await chrome.scripting.registerContentScripts([
    {
      id: RL_USER_SCRIPTS_ID,
      matches: granted,
      js: [...RL_CONTENT_SCRIPTS],
      runAt: "document_idle",
      allFrames: true,
      persistAcrossSessions: true,
    },
  ]);
}

/** Tabs opened before the extension was installed or updated get the content script too. */
async function rlInjectIntoOpenTabs() {
  const patterns = RL_SELLER_CENTRAL_HOSTS.map((host) => `https://${host}/*`);
  const tabs = await chrome.tabs.query({ url: patterns });
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    chrome.scripting
      .executeScript({ target: { tabId: tab.id, allFrames: true }, files: [...RL_CONTENT_SCRIPTS] })
      .catch(() => {});
  }
}

/** Tells every tab to re-read its context (a site turned off, another marketplace …). */
async function rlBroadcastSettingsChanged() {
  const tabs = await chrome.tabs.query({});
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    chrome.tabs.sendMessage(tab.id, { type: "settings-changed" }).catch(() => {});
  }
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "sync" && area !== "local") return;
  rlConfigCache = null;
  if (area === "sync" && Object.keys(changes).some((k) => k !== "panelOpen")) {
    if ("sites" in changes) rlSyncUserScripts().catch((err) => console.warn("replylint: sites", err));
    rlBroadcastSettingsChanged().catch(() => {});
  }
});

chrome.permissions.onRemoved.addListener(() => {
  rlSyncUserScripts().catch((err) => console.warn("replylint: sites", err));
});

chrome.runtime.onInstalled.addListener(async (details) => {
  // The key is for this worker and the options page, not for content scripts.
  await chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
  await chrome.storage.sync.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
  if (details.reason === "install") {
    const current = await chrome.storage.sync.get(null);
    await chrome.storage.sync.set(rlSanitiseSettings(current));
  }
  await rlSyncUserScripts().catch((err) => console.warn("replylint: sites", err));
  await rlInjectIntoOpenTabs().catch(() => {});
});

chrome.runtime.onStartup.addListener(() => {
  chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
  chrome.storage.sync.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
});

chrome.action.onClicked.addListener(() => {
  chrome.runtime.openOptionsPage();
});
