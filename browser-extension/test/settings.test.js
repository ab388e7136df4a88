const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { load, ROOT, plain } = require("./load.js");

const g = load("src/shared/offsets.js", "src/shared/settings.js");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8"));

test("the manifest injects the content script on every Seller Central host, and only there", () => {
  const [entry] = manifest.content_scripts;
  assert.deepEqual(
    entry.matches,
    plain(g.RL_SELLER_CENTRAL_HOSTS).map((h) => `https://${h}/*`),
  );
  for (const host of [
    "sellercentral.amazon.com",
    "sellercentral.amazon.co.uk",
    "sellercentral.amazon.de",
    "sellercentral.amazon.fr",
    "sellercentral.amazon.es",
    "sellercentral.amazon.it",
    "sellercentral.amazon.ca",
    "sellercentral.amazon.com.mx",
    "sellercentral.amazon.co.jp",
    "sellercentral-europe.amazon.com",
  ]) {
    assert.ok(entry.matches.includes(`https://${host}/*`), host);
  }
});

test("the manifest and user-site registration load the same content script files", () => {
  assert.deepEqual(manifest.content_scripts[0].js, plain(g.RL_CONTENT_SCRIPTS));
  for (const file of g.RL_CONTENT_SCRIPTS) assert.ok(fs.existsSync(path.join(ROOT, file)), file);
});

test("permissions are minimal: storage and scripting, Seller Central, other hosts only on request", () => {
  assert.deepEqual([...manifest.permissions].sort(), ["scripting", "storage"]);
  // The same hosts as the content script (no extra install warning): needed to put the
  // checker back into Seller Central tabs left open across an update.
  assert.deepEqual(manifest.host_permissions, manifest.content_scripts[0].matches);
  assert.deepEqual(manifest.optional_host_permissions, ["https://*/*", "http://*/*"]);
  assert.equal(manifest.web_accessible_resources, undefined);
});

test("an API address is normalised and checked", () => {
  assert.deepEqual(plain(g.rlNormaliseApiUrl("http://127.0.0.1:8000/")), { url: "http://127.0.0.1:8000" });
  assert.deepEqual(plain(g.rlNormaliseApiUrl(" localhost:8000 ")), { url: "http://localhost:8000" });
  assert.deepEqual(plain(g.rlNormaliseApiUrl("https://lint.example.com/replylint/")), {
    url: "https://lint.example.com/replylint",
  });
  assert.deepEqual(plain(g.rlNormaliseApiUrl("")), { error: "empty" });
  assert.deepEqual(plain(g.rlNormaliseApiUrl("ftp://x.example.com")), { error: "scheme" });
  assert.deepEqual(plain(g.rlNormaliseApiUrl("https://user:pw@x.example.com")), { error: "credentials" });
  assert.deepEqual(plain(g.rlNormaliseApiUrl("http://")), { error: "invalid" });
});

test("a site the user types becomes a match pattern for that host only", () => {
  assert.equal(g.rlSitePatternFromInput("desk.example.com"), "https://desk.example.com/*");
  assert.equal(g.rlSitePatternFromInput("https://Desk.Example.com/agent/tickets/12?x=1"), "https://desk.example.com/*");
  assert.equal(g.rlSitePatternFromInput("*.ebay.com"), "https://*.ebay.com/*");
  assert.equal(g.rlSitePatternFromInput("http://localhost:3000/inbox"), "http://localhost:3000/*");
  assert.equal(g.rlSitePatternFromInput("https://*.ebay.de/*"), "https://*.ebay.de/*");
  for (const bad of ["", "   ", "not a host", "*.com", "user@host.com", "https://", "-bad-.com"]) {
    assert.equal(g.rlSitePatternFromInput(bad), null, bad);
  }
});

test("match patterns match like Chrome's", () => {
  assert.ok(g.rlMatchesPattern("https://desk.example.com/*", "https://desk.example.com/a/b?c=1"));
  assert.ok(!g.rlMatchesPattern("https://desk.example.com/*", "http://desk.example.com/"));
  assert.ok(!g.rlMatchesPattern("https://desk.example.com/*", "https://evil.com/desk.example.com/"));
  assert.ok(g.rlMatchesPattern("https://*.ebay.com/*", "https://www.ebay.com/msg"));
  assert.ok(g.rlMatchesPattern("https://*.ebay.com/*", "https://ebay.com/"));
  assert.ok(!g.rlMatchesPattern("https://*.ebay.com/*", "https://notebay.com/"));
  assert.ok(g.rlMatchesPattern("http://localhost:3000/*", "http://localhost:3000/x"));
  assert.ok(!g.rlMatchesPattern("http://localhost:3000/*", "http://localhost:4000/x"));
});

test("Seller Central is on and Amazon by default, on every marketplace domain", () => {
  const settings = g.rlDefaultSettings();
  for (const href of [
    "https://sellercentral.amazon.com/messaging/inbox",
    "https://sellercentral.amazon.de/messaging",
    "https://sellercentral-europe.amazon.com/x",
  ]) {
    assert.deepEqual(plain(g.rlSiteContext(settings, href)), {
      enabled: true,
      siteId: "amazon-seller-central",
      marketplace: "amazon",
      lang: "auto",
    });
  }
});

test("turning Seller Central off disables it; other sites are off until added", () => {
  const settings = g.rlSanitiseSettings({ sites: [{ id: "amazon-seller-central", enabled: false }] });
  assert.equal(g.rlSiteContext(settings, "https://sellercentral.amazon.com/").enabled, false);
  assert.equal(g.rlSiteContext(g.rlDefaultSettings(), "https://www.ebay.com/").enabled, false);
});

test("a user site gets its own marketplace, else the site's, else the global choice", () => {
  const settings = g.rlSanitiseSettings({
    marketplace: "auto",
    sites: [
      { pattern: "https://*.ebay.com/*", enabled: true },
      { pattern: "desk.example.com", enabled: true, marketplace: "shopify" },
      { pattern: "other.example.com", enabled: true },
    ],
  });
  assert.equal(g.rlSiteContext(settings, "https://www.ebay.com/msg").marketplace, "ebay");
  assert.equal(g.rlSiteContext(settings, "https://desk.example.com/t/1").marketplace, "shopify");
  assert.equal(g.rlSiteContext(settings, "https://other.example.com/").marketplace, "amazon");
  const walmart = g.rlSanitiseSettings({ ...settings, marketplace: "walmart" });
  assert.equal(g.rlSiteContext(walmart, "https://other.example.com/").marketplace, "walmart");
});

test("corrupt or foreign storage falls back to defaults, field by field", () => {
  const settings = g.rlSanitiseSettings({
    apiUrl: "javascript:alert(1)",
    marketplace: "mars",
    lang: 7,
    sites: "x",
    panelOpen: "yes",
  });
  assert.deepEqual(plain(settings), plain(g.rlDefaultSettings()));
  assert.deepEqual(plain(g.rlSanitiseSettings(null)), plain(g.rlDefaultSettings()));
  const dup = g.rlSanitiseSettings({
    sites: [{ pattern: "a.example.com" }, { pattern: "https://a.example.com/x" }, { pattern: 5 }],
  });
  assert.equal(dup.sites.length, 2);
});

test("the record sent holds the reply, the buyer message, marketplace and language — nothing else", () => {
  const context = { enabled: true, siteId: "amazon-seller-central", marketplace: "amazon", lang: "auto" };
  const record = plain(g.rlBuildRecord(context, "Hi \ud83d there", "  Where is my parcel?  "));
  assert.deepEqual(Object.keys(record).sort(), ["buyer_message", "lang", "marketplace", "text"]);
  assert.equal(record.text, "Hi \ufffd there");
  assert.equal(record.buyer_message, "Where is my parcel?");
  assert.equal(record.lang, "auto");
  assert.deepEqual(Object.keys(plain(g.rlBuildRecord({ ...context, lang: "fr" }, "Bonjour", ""))).sort(), [
    "lang",
    "marketplace",
    "text",
  ]);
  const long = "x".repeat(g.RL_MAX_BUYER_MESSAGE + 50) + "END";
  assert.ok(g.rlBuildRecord(context, "a", long).buyer_message.endsWith("END"));
});
