// @ts-check
// Settings, sites and the record sent to the API.
//
// Shared by the service worker, the options page and the content script; pure
// functions only (no chrome.* calls) so that `node --test` covers them.

/** Marketplace profiles the API knows (CONTRACT.md §1). */
var RL_MARKETPLACES = Object.freeze(["amazon", "ebay", "walmart", "etsy", "shopify", "generic"]);

/** Reply languages the rules cover; "auto" lets the API detect it. */
var RL_LANGUAGES = Object.freeze(["en", "fr", "de", "es", "it"]);

/**
 * Every Amazon Seller Central host. Match patterns cannot wildcard a top-level
 * domain, so each marketplace is listed; the manifest's content_scripts.matches
 * must list the same hosts (a unit test compares them).
 */
var RL_SELLER_CENTRAL_HOSTS = Object.freeze([
  "sellercentral.amazon.com",
  "sellercentral.amazon.ca",
  "sellercentral.amazon.com.mx",
  "sellercentral.amazon.com.br",
  "sellercentral.amazon.co.uk",
  "sellercentral.amazon.de",
  "sellercentral.amazon.fr",
  "sellercentral.amazon.es",
  "sellercentral.amazon.it",
  "sellercentral.amazon.nl",
  "sellercentral.amazon.se",
  "sellercentral.amazon.pl",
  "sellercentral.amazon.com.be",
  "sellercentral.amazon.ie",
  "sellercentral.amazon.com.tr",
  "sellercentral.amazon.ae",
  "sellercentral.amazon.sa",
  "sellercentral.amazon.eg",
  "sellercentral.amazon.in",
  "sellercentral.amazon.co.jp",
  "sellercentral.amazon.com.au",
  "sellercentral.amazon.sg",
  "sellercentral-europe.amazon.com",
  "sellercentral-japan.amazon.com",
]);

/** Id of the built-in site entry covering every Seller Central host. */
var RL_SELLER_CENTRAL_SITE = "amazon-seller-central";

/**
 * Files of the content script, in load order. The manifest's content_scripts.js and
 * the scripts registered for user-enabled sites both use this list.
 */
var RL_CONTENT_SCRIPTS = Object.freeze([
  "src/shared/offsets.js",
  "src/shared/edits.js",
  "src/shared/textdiff.js",
  "src/shared/settings.js",
  "src/content/i18n.js",
  "src/content/styles.js",
  "src/content/fields.js",
  "src/content/sites.js",
  "src/content/overlay.js",
  "src/content/card.js",
  "src/content/panel.js",
  "src/content/guard.js",
  "src/content/controller.js",
  "src/content/main.js",
]);

/** Longest reply the extension sends (characters); longer drafts get a status instead. */
var RL_MAX_TEXT = 20_000;
/** Longest buyer message sent; the newest part of a long thread is what matters. */
var RL_MAX_BUYER_MESSAGE = 8_000;

/** @returns {Settings} */
function rlDefaultSettings() {
  return {
    apiUrl: "http://127.0.0.1:8000",
    marketplace: "auto",
    lang: "auto",
    sites: [{ id: RL_SELLER_CENTRAL_SITE, pattern: "", enabled: true, builtin: true }],
    panelOpen: true,
  };
}

/**
 * Stored settings completed with defaults and cleaned of anything unknown or broken,
 * so a corrupt or older storage never breaks the extension.
 * @param {unknown} stored
 * @returns {Settings}
 */
function rlSanitiseSettings(stored) {
  const defaults = rlDefaultSettings();
  const raw = /** @type {Record<string, unknown>} */ (stored && typeof stored === "object" ? stored : {});
  const api = rlNormaliseApiUrl(typeof raw.apiUrl === "string" ? raw.apiUrl : "");
  const marketplace =
    typeof raw.marketplace === "string" && (raw.marketplace === "auto" || RL_MARKETPLACES.includes(raw.marketplace))
      ? raw.marketplace
      : defaults.marketplace;
  const lang =
    typeof raw.lang === "string" && (raw.lang === "auto" || RL_LANGUAGES.includes(raw.lang)) ? raw.lang : defaults.lang;
  /** @type {Site[]} */
  const sites = [];
  const seen = new Set();
  const storedSites = Array.isArray(raw.sites) ? raw.sites : [];
  const builtin = storedSites.find((s) => s && s.id === RL_SELLER_CENTRAL_SITE);
  sites.push({
    id: RL_SELLER_CENTRAL_SITE,
    pattern: "",
    enabled: builtin ? builtin.enabled !== false : true,
    builtin: true,
  });
  seen.add(RL_SELLER_CENTRAL_SITE);
  for (const site of storedSites) {
    if (!site || typeof site !== "object" || typeof site.pattern !== "string") continue;
    const pattern = rlSitePatternFromInput(site.pattern);
    if (!pattern || seen.has(pattern)) continue;
    seen.add(pattern);
    /** @type {Site} */
    const entry = { id: pattern, pattern, enabled: site.enabled !== false, builtin: false };
    if (typeof site.marketplace === "string" && RL_MARKETPLACES.includes(site.marketplace)) {
      entry.marketplace = site.marketplace;
    }
    sites.push(entry);
  }
  return {
    apiUrl: "url" in api ? api.url : defaults.apiUrl,
    marketplace: /** @type {Settings["marketplace"]} */ (marketplace),
    lang: /** @type {Settings["lang"]} */ (lang),
    sites,
    panelOpen: typeof raw.panelOpen === "boolean" ? raw.panelOpen : defaults.panelOpen,
  };
}

/**
 * The API's base URL as typed by the user, checked and without a trailing slash.
 * Only http and https; credentials in the URL are refused (the key has its field).
 * @param {string} input
 * @returns {{url: string} | {error: "empty" | "invalid" | "scheme" | "credentials"}}
 */
function rlNormaliseApiUrl(input) {
  const text = (input || "").trim();
  if (!text) return { error: "empty" };
  let url;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return { error: "invalid" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { error: "scheme" };
  if (url.username || url.password) return { error: "credentials" };
  if (!url.hostname) return { error: "invalid" };
  const path = url.pathname.replace(/\/+$/, "");
  return { url: `${url.protocol}//${url.host}${path}` };
}

/**
 * A Chrome match pattern for a site the user types: "desk.example.com",
 * "https://desk.example.com/agent/tickets", "*.ebay.com", or a pattern already.
 * Paths are dropped: the reply box may live anywhere on the site.
 * @param {string} input
 * @returns {string | null}
 */
function rlSitePatternFromInput(input) {
  let text = (input || "").trim();
  if (!text) return null;
  let scheme = "https";
  const m = /^(\*|https?):\/\//i.exec(text);
  if (m) {
    scheme = m[1].toLowerCase();
    text = text.slice(m[0].length);
  }
  let host = text.split(/[/?#]/, 1)[0].toLowerCase();
  if (host.includes("@")) return null;
  let wildcard = false;
  if (host.startsWith("*.")) {
    wildcard = true;
    host = host.slice(2);
  }
  const hostname = host.replace(/:\d+$/, "");
  const port = host.slice(hostname.length);
  const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  const validHost = new RegExp(`^(?:${label}\\.)*${label}$`).test(hostname) || hostname === "[::1]";
  if (!validHost || (wildcard && !hostname.includes("."))) return null;
  if (port && !/^:\d{1,5}$/.test(port)) return null;
  return `${scheme}://${wildcard ? "*." : ""}${hostname}${port}/*`;
}

/**
 * Whether a URL matches a Chrome match pattern (scheme, host, path glob; ports are
 * compared only when the pattern names one).
 * @param {string} pattern
 * @param {string} href
 */
function rlMatchesPattern(pattern, href) {
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:]+)(:\d+)?(\/.*)$/.exec(pattern);
  if (!m) return false;
  let url;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  const [, scheme, host, port, path] = m;
  const protocol = url.protocol.slice(0, -1);
  if (scheme === "*" ? protocol !== "http" && protocol !== "https" : protocol !== scheme) return false;
  if (port && url.port !== port.slice(1)) return false;
  if (host !== "*") {
    if (host.startsWith("*.")) {
      const base = host.slice(2);
      if (url.hostname !== base && !url.hostname.endsWith(`.${base}`)) return false;
    } else if (url.hostname !== host) {
      return false;
    }
  }
  const glob = new RegExp(`^${path.split("*").map(rlEscapeRegExp).join(".*")}$`);
  return glob.test(url.pathname + url.search);
}

/** @param {string} text */
function rlEscapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** @param {string} hostname */
function rlIsSellerCentralHost(hostname) {
  return RL_SELLER_CENTRAL_HOSTS.includes(hostname.toLowerCase());
}

/**
 * The marketplace a site belongs to, from its host name; null when unknown.
 * @param {string} hostname
 * @returns {string | null}
 */
function rlMarketplaceForHost(hostname) {
  const host = hostname.toLowerCase();
  if (rlIsSellerCentralHost(host)) return "amazon";
  if (/(^|\.)ebay\.[a-z.]+$/.test(host)) return "ebay";
  if (/(^|\.)walmart\.com$/.test(host)) return "walmart";
  if (/(^|\.)etsy\.com$/.test(host)) return "etsy";
  if (/(^|\.)myshopify\.com$/.test(host)) return "shopify";
  return null;
}

/**
 * Whether the extension runs on this page and with which marketplace and language.
 * @param {Settings} settings
 * @param {string} href
 * @returns {SiteContext}
 */
function rlSiteContext(settings, href) {
  let hostname = "";
  try {
    hostname = new URL(href).hostname;
  } catch {
    return { enabled: false, siteId: null, marketplace: "amazon", lang: settings.lang };
  }
  /** @type {Site | undefined} */
  let site;
  if (rlIsSellerCentralHost(hostname)) {
    site = settings.sites.find((s) => s.id === RL_SELLER_CENTRAL_SITE);
  } else {
    site = settings.sites.find((s) => !s.builtin && rlMatchesPattern(s.pattern, href));
  }
  const marketplace =
    (site && site.marketplace) ||
    (settings.marketplace !== "auto" ? settings.marketplace : rlMarketplaceForHost(hostname) || "amazon");
  return {
    enabled: Boolean(site && site.enabled),
    siteId: site ? site.id : null,
    marketplace: /** @type {SiteContext["marketplace"]} */ (marketplace),
    lang: settings.lang,
  };
}

/**
 * The one record the extension sends: the reply, the buyer's message and two
 * settings. Nothing else from the page (no URL, names, order ids outside the text)
 * ever leaves it.
 * @param {SiteContext} context
 * @param {string} text
 * @param {string | null | undefined} buyerMessage
 * @returns {InputRecord}
 */
function rlBuildRecord(context, text, buyerMessage) {
  /** @type {InputRecord} */
  const record = {
    text: rlWellFormed(text),
    marketplace: context.marketplace,
    lang: context.lang === "auto" ? "auto" : context.lang,
  };
  const buyer = (buyerMessage || "").trim();
  if (buyer) {
    record.buyer_message = rlWellFormed(
      buyer.length > RL_MAX_BUYER_MESSAGE ? buyer.slice(-RL_MAX_BUYER_MESSAGE) : buyer,
    );
  }
  return record;
}
