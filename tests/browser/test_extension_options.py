"""The options page: API address and key, marketplace, language, sites on and off,
and the interface in the agent's language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from extension_harness import (
    HELPDESK,
    Browser,
    FixtureSite,
    RecordingProxy,
    chromium_path,
    extension_copy,
    free_port,
    launch,
)

pytestmark = pytest.mark.browser

BOX = "kat-textarea textarea"
UI = "replylint-root"


def storage(browser: Browser) -> dict[str, Any]:
    value: dict[str, Any] = browser.worker.evaluate(
        "async () => ({sync: await chrome.storage.sync.get(null),"
        " local: await chrome.storage.local.get(null)})"
    )
    return value


def open_options(browser: Browser) -> Any:
    tab = browser.context.new_page()
    tab.goto(browser.options_url())
    tab.locator("#sites li").first.wait_for()
    return tab


def test_options_persist_and_the_key_stays_on_this_computer(
    page: Any, browser: Browser, site: FixtureSite, proxy: RecordingProxy
) -> None:
    options = open_options(browser)
    options.fill("#apiUrl", proxy.url + "/")
    options.fill("#apiKey", "team-a:s3cret")
    options.select_option("#marketplace", "ebay")
    options.select_option("#lang", "fr")
    options.click("#save")
    options.locator("#saved.ok").wait_for()
    options.reload()
    options.locator("#sites li").first.wait_for()
    options.wait_for_function("() => document.querySelector('#apiUrl').value !== ''")
    assert options.input_value("#apiUrl") == proxy.url  # normalised: no trailing slash
    assert options.input_value("#apiKey") == "team-a:s3cret"
    assert options.input_value("#marketplace") == "ebay"
    assert options.input_value("#lang") == "fr"
    stored = storage(browser)
    assert "apiKey" not in stored["sync"]  # synced settings never carry the key
    assert stored["local"]["apiKey"] == "team-a:s3cret"
    options.close()
    # The content script uses them; the key travels only as a bearer token to the API.
    page.goto(site.url())
    page.locator(BOX).click()
    page.keyboard.type("Bonjour, merci pour votre message.", delay=2)
    page.locator(f"{UI} [data-role=status][data-kind=ok]").wait_for(timeout=15_000)
    checks = [r for r in proxy.requests if r.path == "/v1/check"]
    assert checks
    assert all(r.headers.get("authorization") == "Bearer team-a:s3cret" for r in checks)
    assert all(r.body["marketplace"] == "ebay" and r.body["lang"] == "fr" for r in checks)


def test_an_invalid_api_address_is_refused_with_a_reason(browser: Browser, page: Any) -> None:
    before = storage(browser)["sync"]["apiUrl"]
    options = open_options(browser)
    options.fill("#apiUrl", "ftp://lint.example.com")
    options.click("#save")
    error = options.locator("#apiUrlError")
    error.wait_for()
    assert "http" in error.inner_text()
    assert options.get_attribute("#apiUrl", "aria-invalid") == "true"
    assert storage(browser)["sync"]["apiUrl"] == before
    options.close()


def test_test_connection_names_the_api_version_or_the_problem(
    browser: Browser, page: Any, api_url: str
) -> None:
    options = open_options(browser)
    options.fill("#apiUrl", api_url)
    options.click("#test")
    options.locator("#testResult.ok").wait_for(timeout=15_000)
    assert "replylint" in options.inner_text("#testResult")
    options.fill("#apiUrl", f"http://127.0.0.1:{free_port()}")
    options.click("#test")
    options.locator("#testResult.bad").wait_for(timeout=15_000)
    assert "unreachable" in options.inner_text("#testResult")
    options.close()


def test_seller_central_can_be_turned_off_and_on_without_reloading(
    browser: Browser, page: Any, site: FixtureSite
) -> None:
    page.goto(site.url())
    page.locator(BOX).click()
    page.keyboard.type("Visit www.myshop-example.com", delay=2)
    pill = page.locator(f"{UI} .rl-pill")
    pill.wait_for()
    options = open_options(browser)
    toggle = options.locator("li[data-site=amazon-seller-central] input[type=checkbox]")
    toggle.uncheck()
    options.locator("#saved.ok").wait_for()
    pill.wait_for(state="detached", timeout=10_000)
    assert page.locator(f"{UI} .rl-mark:not([hidden])").count() == 0
    assert page.locator(BOX).input_value() == "Visit www.myshop-example.com"
    toggle.check()
    options.locator("#saved.ok").wait_for()
    page.locator(f"{UI} .rl-mark:not([hidden])").first.wait_for(timeout=15_000)
    options.close()


# -- a helpdesk the agent adds -------------------------------------------------------------------


@pytest.fixture(scope="module")
def granted_browser(
    playwright_driver: Any,
    packaged_extension: Path,
    site: FixtureSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Browser]:
    """The extension after the agent accepted the browser's prompt for the helpdesk."""
    root = extension_copy(
        tmp_path_factory.mktemp("granted"),
        source=packaged_extension,
        extra_host_permissions=[f"https://{HELPDESK}/*"],
    )
    with launch(playwright_driver, root, site.port) as b:
        yield b


def test_a_helpdesk_added_on_the_options_page_gets_the_checks(
    granted_browser: Browser, site: FixtureSite, proxy: RecordingProxy
) -> None:
    browser = granted_browser
    browser.reset(proxy.url)
    tab = browser.context.new_page()
    tab.goto(site.url(host=HELPDESK, editor="rich"))
    tab.locator("#reply-box").wait_for()
    tab.wait_for_timeout(500)
    assert tab.locator(UI).count() == 0  # not a site of ours yet
    options = open_options(browser)
    options.fill("#newSite", f"https://{HELPDESK}/agent/tickets/42")
    options.click("#addSite")
    options.locator(f"li[data-site='https://{HELPDESK}/*']").wait_for()
    registered = browser.worker.evaluate("() => chrome.scripting.getRegisteredContentScripts()")
    assert registered and registered[0]["matches"] == [f"https://{HELPDESK}/*"]
    tab.reload()
    tab.locator("#reply-box").click()
    tab.keyboard.type("Email me at jane.seller@gmail.com", delay=2)
    tab.locator(f"{UI} .rl-mark.rl-error:not([hidden])").first.wait_for(timeout=15_000)
    # Removing it stops the checks there again.
    options.locator(f"li[data-site='https://{HELPDESK}/*'] button").click()
    options.wait_for_function(
        "(s) => !document.querySelector(`li[data-site='${s}']`)", arg=f"https://{HELPDESK}/*"
    )
    assert browser.worker.evaluate("() => chrome.scripting.getRegisteredContentScripts()") == []
    tab.reload()
    tab.locator("#reply-box").wait_for()
    tab.wait_for_timeout(500)
    assert tab.locator(f"{UI} .rl-pill").count() == 0
    stored = json.dumps(storage(browser)["sync"]["sites"])
    assert HELPDESK not in stored
    options.close()
    tab.close()


# -- the interface in French -------------------------------------------------------------------


@pytest.fixture(scope="module")
def french_browser(playwright_driver: Any, packaged_extension: Path, site: FixtureSite) -> Iterator[Browser]:
    executable = Path(chromium_path() or "/usr/bin/chromium").resolve()
    packs = [executable.parent / "locales", Path("/usr/lib/chromium/locales")]
    if not any((p / "fr.pak").exists() for p in packs):
        # Debian ships Chromium's interface languages apart; without them every UI is English.
        pytest.skip("Chromium has no French interface here (Debian package chromium-l10n)")
    with launch(playwright_driver, packaged_extension, site.port, locale="fr-FR", viewport=(1440, 900)) as b:
        yield b


def test_the_interface_follows_the_browser_language(
    french_browser: Browser, site: FixtureSite, proxy: RecordingProxy
) -> None:
    browser = french_browser
    browser.reset(proxy.url)
    options = open_options(browser)
    assert options.inner_text("h1") == "Options de replylint"
    assert options.inner_text("#save") == "Enregistrer"
    options.close()
    tab = browser.context.new_page()
    tab.goto(site.url())
    # Type only once the content script runs: keystrokes before it are not seen.
    tab.locator(UI).wait_for(state="attached", timeout=30_000)
    tab.locator(BOX).click()
    tab.keyboard.type("Hi Jane, visit www.myshop-example.com", delay=2)
    badge = tab.locator(f"{UI} [data-role=badge][data-compliant=false]")
    badge.wait_for(timeout=30_000)
    assert badge.inner_text() == "Enfreint les règles Amazon"
    assert tab.locator(f"{UI} button[data-action=rewrite]").inner_text() == "Reformuler"
    tab.close()
