// @ts-check
// The options page: API address and key, marketplace, language, sites.
//
// Settings go to chrome.storage.sync (they follow the agent to another computer);
// the key goes to chrome.storage.local (it stays on this one). Sites apply at once,
// because adding one asks the browser for access to it, which needs the click.

/** @param {string} key @param {string | number | Array<string | number>} [subs] */
function t(key, subs) {
  const list = subs === undefined ? undefined : (Array.isArray(subs) ? subs : [subs]).map(String);
  return chrome.i18n.getMessage(key, list) || key;
}

/** @template {HTMLElement} T @param {string} id @returns {T} */
function byId(id) {
  return /** @type {T} */ (document.getElementById(id));
}

const form = /** @type {HTMLFormElement} */ (byId("settings"));
const apiUrl = /** @type {HTMLInputElement} */ (byId("apiUrl"));
const apiKey = /** @type {HTMLInputElement} */ (byId("apiKey"));
const marketplace = /** @type {HTMLSelectElement} */ (byId("marketplace"));
const lang = /** @type {HTMLSelectElement} */ (byId("lang"));
const sitesList = byId("sites");
const newSite = /** @type {HTMLInputElement} */ (byId("newSite"));
const saved = byId("saved");
const testResult = byId("testResult");
const apiUrlError = byId("apiUrlError");
const siteError = byId("siteError");

/** @type {Settings} */
let settings = rlDefaultSettings();

function translatePage() {
  document.documentElement.lang = chrome.i18n.getUILanguage();
  for (const el of Array.from(document.querySelectorAll("[data-i18n]"))) {
    const text = chrome.i18n.getMessage(/** @type {string} */ (el.getAttribute("data-i18n")));
    if (text) el.textContent = text;
  }
  for (const el of Array.from(document.querySelectorAll("[data-i18n-aria-label]"))) {
    const text = chrome.i18n.getMessage(/** @type {string} */ (el.getAttribute("data-i18n-aria-label")));
    if (text) el.setAttribute("aria-label", text);
  }
}

async function load() {
  const [sync, local] = await Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get("apiKey")]);
  settings = rlSanitiseSettings(sync);
  apiUrl.value = settings.apiUrl;
  apiKey.value = typeof local.apiKey === "string" ? local.apiKey : "";
  marketplace.value = settings.marketplace;
  lang.value = settings.lang;
  renderSites();
}

/** @param {string} text @param {"ok" | "bad" | ""} kind */
function flash(text, kind = "ok") {
  saved.textContent = text;
  saved.className = kind;
}

function renderSites() {
  sitesList.replaceChildren(
    ...settings.sites.map((site) => {
      const li = document.createElement("li");
      li.dataset.site = site.id;
      const toggle = document.createElement("input");
      toggle.type = "checkbox";
      toggle.checked = site.enabled;
      toggle.id = `site-${site.id}`;
      toggle.addEventListener("change", () => updateSite(site.id, { enabled: toggle.checked }));
      const name = document.createElement("label");
      name.className = "name";
      name.htmlFor = toggle.id;
      name.style.fontWeight = "400";
      name.style.margin = "0";
      if (site.builtin) {
        name.textContent = t("optionsSellerCentral");
        const note = document.createElement("div");
        note.className = "note";
        note.textContent = t("optionsSellerCentralNote");
        name.append(note);
      } else {
        name.textContent = site.pattern.replace(/\/\*$/, "").replace(/^https:\/\//, "");
      }
      li.append(toggle, name);
      if (!site.builtin) {
        const market = document.createElement("select");
        market.setAttribute("aria-label", t("optionsMarketplace"));
        const auto = new Option(t("optionsMarketplaceDefault"), "");
        market.append(auto, ...RL_MARKETPLACES.map((m) => new Option(rlMarketplaceLabel(m), m)));
        market.value = site.marketplace || "";
        market.addEventListener("change", () =>
          updateSite(site.id, { marketplace: /** @type {Site["marketplace"]} */ (market.value || undefined) }),
        );
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = t("optionsRemoveSite");
        remove.addEventListener("click", () => removeSite(site));
        li.append(market, remove);
      }
      return li;
    }),
  );
}

/** @param {string} m */
function rlMarketplaceLabel(m) {
  const names = /** @type {Record<string, string>} */ ({
    amazon: "Amazon",
    ebay: "eBay",
    walmart: "Walmart",
    etsy: "Etsy",
    shopify: t("optionsMarketplaceShopify"),
    generic: t("optionsMarketplaceGeneric"),
  });
  return names[m] || m;
}

/** @param {string} id @param {Partial<Site>} change */
async function updateSite(id, change) {
  settings.sites = settings.sites.map((s) => {
    if (s.id !== id) return s;
    const next = { ...s, ...change };
    if (!next.marketplace) delete next.marketplace;
    return next;
  });
  await saveSites();
}

async function saveSites() {
  await chrome.storage.sync.set({ sites: settings.sites });
  await chrome.runtime.sendMessage({ type: "sites-changed" });
  renderSites();
  flash(t("optionsSaved"));
}

async function addSite() {
  siteError.hidden = true;
  const pattern = rlSitePatternFromInput(newSite.value);
  if (!pattern) {
    siteError.textContent = t("optionsSiteInvalid");
    siteError.hidden = false;
    return;
  }
  if (settings.sites.some((s) => s.pattern === pattern)) {
    newSite.value = "";
    return;
  }
  // Access to the site is asked for here, with the agent's click, and only for it.
  let granted = false;
  try {
    granted = await chrome.permissions.request({ origins: [pattern] });
  } catch {
    granted = false;
  }
  if (!granted) {
    siteError.textContent = t("optionsSiteDenied");
    siteError.hidden = false;
    return;
  }
  settings.sites = [...settings.sites, { id: pattern, pattern, enabled: true, builtin: false }];
  newSite.value = "";
  await saveSites();
}

/** @param {Site} site */
async function removeSite(site) {
  settings.sites = settings.sites.filter((s) => s.id !== site.id);
  await saveSites();
  await chrome.permissions.remove({ origins: [site.pattern] }).catch(() => false);
}

/** @returns {string | null} the normalised URL, or null after showing why it is refused */
function checkedApiUrl() {
  const result = rlNormaliseApiUrl(apiUrl.value);
  if ("error" in result) {
    apiUrlError.textContent = t(`optionsApiUrl_${result.error}`);
    apiUrlError.hidden = false;
    apiUrl.setAttribute("aria-invalid", "true");
    return null;
  }
  apiUrlError.hidden = true;
  apiUrl.removeAttribute("aria-invalid");
  return result.url;
}

/** Whether a key would travel in clear to another machine. @param {string} url */
function insecureRemote(url) {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(hostname);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = checkedApiUrl();
  if (!url) return;
  apiUrl.value = url;
  await chrome.storage.sync.set({
    apiUrl: url,
    marketplace: marketplace.value,
    lang: lang.value,
    sites: settings.sites,
  });
  await chrome.storage.local.set({ apiKey: apiKey.value.trim() });
  settings = { ...settings, apiUrl: url };
  if (apiKey.value.trim() && insecureRemote(url)) flash(t("optionsSavedInsecure"), "bad");
  else flash(t("optionsSaved"));
});

byId("test").addEventListener("click", async () => {
  const url = checkedApiUrl();
  if (!url) return;
  testResult.textContent = t("optionsTesting");
  testResult.className = "";
  /** @type {ConnectionReport} */
  const report = await chrome.runtime.sendMessage({ type: "test-connection", apiUrl: url, apiKey: apiKey.value });
  if (report && report.ok) {
    testResult.textContent = t("optionsTestOk", [report.version || "?", report.ms]);
    testResult.className = "ok";
  } else {
    const code = report?.error?.code || "unreachable";
    const message = t(`error_${code.replace(/-/g, "_")}`);
    testResult.textContent = report?.error?.message ? `${message} (${report.error.message})` : message;
    testResult.className = "bad";
  }
});

byId("toggleKey").addEventListener("click", (event) => {
  const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
  const show = apiKey.type === "password";
  apiKey.type = show ? "text" : "password";
  button.textContent = t(show ? "optionsHideKey" : "optionsShowKey");
});

byId("addSite").addEventListener("click", () => addSite());
newSite.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    addSite();
  }
});
for (const el of [apiUrl, apiKey, marketplace, lang]) el.addEventListener("input", () => flash("", ""));

translatePage();
load();
export {};
