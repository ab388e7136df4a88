"""The extension on a Seller Central-like messaging page, with the real API.

What an agent does all day: type a reply, see the offending words underlined, read
the card, apply a fix, follow the checklist, accept a rewrite, be warned before
sending a reply that breaks policy; and what must never happen: a broken page, a
blocked reply box, anything but the reply and the buyer's message leaving the
browser.
"""

from __future__ import annotations

import contextlib
import json
import socket
import statistics
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from extension_harness import Browser, FixtureSite, RecordingProxy, free_port, launch

pytestmark = pytest.mark.browser

BOX = "kat-textarea textarea"
UI = "replylint-root"
BUYER_MESSAGE = (
    "The tracking says delivered 10 days ago but the parcel never arrived. "
    "I want a refund or I will file an A-to-z claim."
)
#: The visible underlines, in page JavaScript.
MARKS_JS = (
    "[...document.querySelector('replylint-root').shadowRoot.querySelectorAll('.rl-mark:not([hidden])')]"
)
#: The reply box's <textarea> inside the Katal component, in page JavaScript.
AREA_JS = "document.querySelector('kat-textarea').shadowRoot.querySelector('textarea')"
DRAFT = (
    "Hi Zoë 😀, sorry about that. Email me at jane.seller@gmail.com "
    "or visit www.myshop-example.com for a refund."
)


# -- helpers -----------------------------------------------------------------------------------


def open_thread(page: Any, site: FixtureSite, **query: str) -> None:
    page.goto(site.url(**query))
    page.locator(BOX if query.get("editor", "kat") == "kat" else "#reply-box").wait_for()


def reply_text(page: Any) -> str:
    value: str = page.evaluate(
        "() => document.querySelector('#reply-box').value ?? document.querySelector('#reply-box').innerText"
    )
    return value


def marks(page: Any) -> list[dict[str, Any]]:
    """Visible underlines: rule (from the key), severity and rectangle."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => {
            const root = document.querySelector('replylint-root');
            if (!root) return [];
            return [...root.shadowRoot.querySelectorAll('.rl-mark:not([hidden])')].map((m) => ({
              key: m.dataset.key, rule: m.dataset.key.split(':')[0],
              severity: m.className.match(/rl-(error|warning|info)/)[1],
              rect: m.getBoundingClientRect().toJSON(),
            }));
        }"""
    )
    return found


def wait_for_rules(page: Any, *rules: str, timeout: float = 15_000) -> list[dict[str, Any]]:
    page.wait_for_function(
        """(rules) => {
            // The underlines of the latest text: drawn, and no check pending.
            const root = document.querySelector('replylint-root');
            if (!root || !root.shadowRoot.querySelector('[data-role=status][data-fresh=true]')) return false;
            const seen = new Set([...root.shadowRoot.querySelectorAll('.rl-mark:not([hidden])')]
              .map((m) => m.dataset.key.split(':')[0]));
            return rules.every((r) => seen.has(r));
        }""",
        arg=list(rules),
        timeout=timeout,
    )
    return marks(page)


def wait_until_checked(page: Any, timeout: float = 15_000) -> None:
    """The panel's status says the latest text was checked."""
    page.locator(f"{UI} [data-role=status][data-kind=ok][data-fresh=true]").wait_for(timeout=timeout)


def mark_for(page: Any, rule: str) -> dict[str, Any]:
    candidates = [m for m in marks(page) if m["rule"] == rule]
    assert candidates, f"no underline for {rule}: {marks(page)}"
    return candidates[0]


def caret_at(page: Any, x: float, y: float) -> int:
    page.mouse.click(x, y)
    caret: int = page.evaluate(f"() => {AREA_JS}.selectionStart")
    return caret


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def assert_underlines(page: Any, rule: str, word: str) -> None:
    """The underline covers exactly `word`: clicking its edges puts the caret at the
    word's first and last UTF-16 positions, measured by the browser, not by the extension."""
    text = reply_text(page)
    start = utf16_len(text[: text.index(word)])  # the caret counts UTF-16 units, like JavaScript
    end = start + utf16_len(word)
    rect = mark_for(page, rule)["rect"]
    middle = rect["y"] + rect["height"] / 2
    assert caret_at(page, rect["x"] + 0.6, middle) == start
    assert caret_at(page, rect["x"] + rect["width"] - 0.6, middle) == end


# -- underlines, cards, fixes --------------------------------------------------------------------


def test_typing_a_violating_draft_underlines_exactly_the_offending_words(
    page: Any, site: FixtureSite
) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "contact-info", "external-link")
    wait_until_checked(page)
    # After an emoji (two UTF-16 units, one code point) and an accented letter.
    assert_underlines(page, "contact-info", "jane.seller@gmail.com")
    assert_underlines(page, "external-link", "www.myshop-example.com")
    severities = {m["rule"]: m["severity"] for m in marks(page)}
    assert severities["contact-info"] == "error"
    assert severities["external-link"] == "error"


def test_hovering_an_underline_shows_the_message_the_policy_and_the_fix(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "external-link")
    rect = mark_for(page, "external-link")["rect"]
    page.mouse.move(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    card = page.locator(f"{UI} .rl-card")
    card.locator("[data-rule=external-link]").wait_for()
    item = card.locator("[data-rule=external-link]")
    assert "www.myshop-example.com" in item.locator(".rl-msg").inner_text()
    policy = item.locator("a[data-action=policy]")
    assert policy.get_attribute("href", timeout=1000).startswith("https://")
    assert policy.get_attribute("rel") == "noopener noreferrer"
    assert item.locator("button[data-action=fix]").is_visible()
    # Moving away hides it.
    page.mouse.move(5, 5)
    card.wait_for(state="hidden")


def test_one_click_applies_a_fix_and_undo_brings_the_text_back(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "external-link")
    wait_until_checked(page)
    rect = mark_for(page, "external-link")["rect"]
    page.mouse.move(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    page.locator(f"{UI} .rl-card [data-rule=external-link] button[data-action=fix]").click()
    page.wait_for_function("() => !document.querySelector('kat-textarea').value.includes('www.')")
    assert "www.myshop-example.com" not in reply_text(page)
    assert "  " not in reply_text(page)
    wait_until_checked(page)
    assert "external-link" not in {m["rule"] for m in marks(page)}
    assert "contact-info" in {m["rule"] for m in marks(page)}
    # The fix went through the box's own editing: the agent can undo it.
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => document.querySelector('kat-textarea').value.includes('www.myshop-example.com')"
    )


def test_clicking_into_an_underlined_word_opens_its_card(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "contact-info")
    rect = mark_for(page, "contact-info")["rect"]
    page.mouse.click(rect["x"] + 4, rect["y"] + rect["height"] / 2)
    page.locator(f"{UI} .rl-card [data-rule=contact-info]").wait_for()
    page.keyboard.press("Escape")
    page.locator(f"{UI} .rl-card").wait_for(state="hidden")


def test_ignoring_a_finding_removes_its_underline(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "external-link")
    rect = mark_for(page, "external-link")["rect"]
    page.mouse.move(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    page.locator(f"{UI} .rl-card [data-rule=external-link] button[data-action=ignore]").click()
    page.wait_for_function(f"() => !{MARKS_JS}.some((m) => m.dataset.key.startsWith('external-link'))")


# -- the panel ---------------------------------------------------------------------------------


def test_panel_shows_compliance_score_triage_and_an_updating_checklist(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Hi Jane, please contact the carrier.", delay=2)
    wait_until_checked(page)
    panel = page.locator(f"{UI} .rl-panel")
    checklist = panel.locator("[data-role=checklist][data-applies=true]")
    checklist.wait_for()
    # The buyer's message is an item not received with an A-to-z threat.
    triage = panel.locator("[data-role=triage]")
    assert triage.get_attribute("data-risk") == "high"
    assert "1 h" in triage.locator("[data-role=sla]").inner_text()
    assert panel.locator("[data-role=score]").inner_text().strip().endswith("/100")
    missing = checklist.locator("[data-present=false]")
    assert missing.count() >= 2
    element = missing.first.get_attribute("data-element")
    # "Add" inserts the suggestion the API proposes; the checklist follows.
    missing.first.locator("button").click()
    page.locator(f"{UI} [data-role=checklist] [data-element={element}][data-present=true]").wait_for(
        timeout=15_000
    )


def test_a_compliant_reply_to_a_question_needs_no_checklist(page: Any, site: FixtureSite) -> None:
    open_thread(page, site, thread="question")
    page.locator(BOX).click()
    page.keyboard.type("Hi Marco, yes: the mug is dishwasher safe. Enjoy it!", delay=2)
    wait_until_checked(page)
    panel = page.locator(f"{UI} .rl-panel")
    assert panel.locator("[data-role=badge]").get_attribute("data-compliant") == "true"
    assert panel.locator("[data-role=checklist]").get_attribute("data-applies") == "false"
    assert panel.locator("[data-role=triage]").get_attribute("data-risk") == "low"
    assert page.locator(f"{UI} .rl-pill").get_attribute("data-state") in {"ok", "warnings"}


def test_rewrite_shows_a_diff_that_the_agent_accepts(page: Any, site: FixtureSite, api_url: str) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    draft = "Hi, contact the carrier. Email me at jane.seller@gmail.com or visit www.myshop-example.com."
    page.keyboard.type(draft, delay=2)
    wait_until_checked(page)
    page.locator(f"{UI} .rl-panel button[data-action=rewrite]").click()
    diff = page.locator(f"{UI} [data-role=rewrite][data-phase=ready]")
    diff.wait_for(timeout=30_000)
    expected = rewrite_of(api_url, draft)
    assert expected["text"] != draft
    assert diff.locator("del").count() >= 1
    shown_after = page.evaluate(
        """() => [...document.querySelector('replylint-root').shadowRoot
                .querySelectorAll('[data-role=diff]')[0].childNodes]
                .filter((n) => n.nodeName !== 'DEL').map((n) => n.textContent).join('')"""
    )
    assert shown_after == expected["text"]
    diff.locator("button[data-action=accept]").click()
    page.wait_for_function("(t) => document.querySelector('kat-textarea').value === t", arg=expected["text"])
    score = page.locator(f"{UI} [data-role=score]").inner_text()
    assert score.startswith(str(expected["result"]["score"]))
    page.keyboard.press("Control+z")
    page.wait_for_function("(t) => document.querySelector('kat-textarea').value === t", arg=draft)


def rewrite_of(api_url: str, text: str) -> dict[str, Any]:
    body = json.dumps(
        {"text": text, "buyer_message": BUYER_MESSAGE, "marketplace": "amazon", "lang": "auto"}
    ).encode()
    request = urllib.request.Request(
        f"{api_url}/v1/rewrite", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        result: dict[str, Any] = json.load(answer)
        return result


# -- sending -----------------------------------------------------------------------------------


def sent(page: Any) -> list[str]:
    value: list[str] = page.evaluate("() => window.__sent")
    return value


def test_sending_a_reply_with_policy_errors_asks_first(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "contact-info")
    wait_until_checked(page)
    page.locator("kat-button#send").click()
    dialog = page.locator(f"{UI} .rl-dialog")
    dialog.wait_for()
    assert dialog.locator("li[data-rule=contact-info]").count() == 1
    assert sent(page) == []
    dialog.locator("button[data-action=keep-editing]").click()
    dialog.wait_for(state="hidden")
    assert sent(page) == []
    page.locator("kat-button#send").click()
    dialog.locator("button[data-action=send-anyway]").click()
    page.wait_for_function("() => window.__sent.length === 1")
    assert sent(page) == [DRAFT]


def test_a_send_right_after_typing_waits_for_the_check_of_the_latest_text(
    page: Any, site: FixtureSite
) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Thanks for your patience! Call me on +44 20 7946 0958 or email jane.seller@gmail.com")
    page.locator("kat-button#send").click()  # within the debounce: no result yet
    page.locator(f"{UI} .rl-dialog").wait_for(timeout=5000)
    assert sent(page) == []


def test_a_compliant_reply_is_sent_without_a_question(page: Any, site: FixtureSite) -> None:
    open_thread(page, site, thread="question")
    page.locator(BOX).click()
    page.keyboard.type("Hi Marco, yes, it is dishwasher safe.", delay=2)
    wait_until_checked(page)
    page.locator("kat-button#send").click()
    page.wait_for_function("() => window.__sent.length === 1")
    assert page.locator(f"{UI} .rl-dialog").is_hidden()


# -- privacy -----------------------------------------------------------------------------------


def test_only_the_reply_and_the_buyer_message_reach_the_configured_api(
    page: Any, site: FixtureSite, proxy: RecordingProxy
) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Hi Jane, sorry for the delay.", delay=2)
    wait_until_checked(page)
    bodies = proxy.bodies("/v1/check")
    assert bodies, "no check reached the API"
    for body in bodies:
        assert set(body) <= {"text", "buyer_message", "marketplace", "lang"}
        assert body["buyer_message"] == BUYER_MESSAGE  # the last message from the buyer, without name or date
        assert body["marketplace"] == "amazon"
    assert "Hi Jane, sorry for the delay." in {body["text"] for body in bodies}
    everything = json.dumps([r.body for r in proxy.requests]) + json.dumps(
        [r.headers for r in proxy.requests]
    )
    for private in ("112-8846120-5518623", "Private Lane", "Jane Doe", "sellercentral", "cookie"):
        assert private not in everything
    assert all(r.headers.get("origin", "").startswith("chrome-extension://") for r in proxy.requests)


# -- layout: shadow DOM, rich editors, late rendering, scrolling ---------------------------------


def test_a_rich_text_editor_is_underlined_at_the_right_words(page: Any, site: FixtureSite) -> None:
    open_thread(page, site, editor="rich")
    page.locator("#reply-box").click()
    page.keyboard.type("Bonjour Zoé 😀,", delay=2)
    page.keyboard.press("Enter")
    page.keyboard.type("écrivez-moi à jane.seller@gmail.com merci.", delay=2)
    wait_for_rules(page, "contact-info")
    expected = page.evaluate(
        """(word) => {
            const box = document.querySelector('#reply-box');
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const i = n.data.indexOf(word);
              if (i >= 0) {
                const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
                return r.getBoundingClientRect().toJSON();
              }
            }
            return null;
        }""",
        "jane.seller@gmail.com",
    )
    assert expected, "the word is not in the editor"
    got = mark_for(page, "contact-info")["rect"]
    for key in ("x", "y", "width", "height"):
        assert abs(got[key] - expected[key]) < 1.0, (key, got, expected)


def test_a_fix_applies_in_a_rich_text_editor_too(page: Any, site: FixtureSite) -> None:
    open_thread(page, site, editor="rich")
    page.locator("#reply-box").click()
    page.keyboard.type("Hello 😀 Jane,", delay=2)
    page.keyboard.press("Enter")
    page.keyboard.type("please visit www.myshop-example.com for the manual.", delay=2)
    wait_for_rules(page, "external-link")
    rect = mark_for(page, "external-link")["rect"]
    page.mouse.move(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
    page.locator(f"{UI} .rl-card [data-rule=external-link] button[data-action=fix]").click()
    page.wait_for_function("() => !document.querySelector('#reply-box').innerText.includes('www.')")
    text = page.evaluate("() => document.querySelector('#reply-box').innerText")
    assert text.startswith("Hello 😀 Jane,\n")
    assert "for the manual." in text


def test_a_reply_box_rendered_late_is_found_before_it_is_focused(page: Any, site: FixtureSite) -> None:
    page.goto(site.url(delay="1500"))
    page.locator(f"{UI} .rl-pill").wait_for(state="attached", timeout=10_000)
    page.locator(BOX).wait_for()
    page.locator(BOX).click()
    page.keyboard.type("Visit www.myshop-example.com", delay=2)
    wait_for_rules(page, "external-link")


def test_underlines_follow_scrolling_and_resizing(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    wait_for_rules(page, "contact-info")
    wait_until_checked(page)
    before = mark_for(page, "contact-info")["rect"]
    page.mouse.wheel(0, 150)
    page.wait_for_function(
        f"(y) => {MARKS_JS}.some((m) => Math.abs(m.getBoundingClientRect().y - y) < 1)",
        arg=before["y"] - 150,
    )
    page.set_viewport_size({"width": 1000, "height": 800})  # the box narrows and the text rewraps
    page.wait_for_timeout(200)
    wait_until_checked(page)
    assert_underlines(page, "contact-info", "jane.seller@gmail.com")


def test_underlines_scrolled_out_of_the_box_are_not_drawn(page: Any, site: FixtureSite) -> None:
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Visit www.myshop-example.com", delay=2)
    for _ in range(14):
        page.keyboard.press("Enter")
    page.keyboard.type("Thanks.", delay=2)
    wait_until_checked(page)
    box = page.evaluate(f"() => {AREA_JS}.getBoundingClientRect().toJSON()")
    for mark in marks(page):
        assert mark["rect"]["y"] >= box["y"] - 1 or mark["rect"]["height"] == 0


def test_an_update_under_an_open_tab_replaces_the_old_checker_cleanly(
    page: Any, site: FixtureSite, browser: Browser
) -> None:
    """After an install or update the service worker injects the content script into open
    Seller Central tabs; the second copy takes over from the first without a trace."""
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Visit www.myshop-example.com", delay=2)
    wait_for_rules(page, "external-link")
    page.evaluate("() => { document.querySelector('replylint-root').dataset.generation = 'first'; }")
    browser.worker.evaluate("() => rlInjectIntoOpenTabs()")
    page.wait_for_function(
        "() => { const roots = document.querySelectorAll('replylint-root');"
        " return roots.length === 1 && !roots[0].dataset.generation; }"
    )
    page.locator(BOX).click()
    page.keyboard.press("End")
    page.keyboard.type(" or email jane.seller@gmail.com", delay=2)
    wait_for_rules(page, "external-link", "contact-info")
    assert page.locator(f"{UI} .rl-pill").count() == 1
    assert page.locator(f"{UI} .rl-panel").count() == 1


def test_when_the_extension_goes_away_under_an_open_tab_the_page_sends_freely(
    playwright_driver: Any, packaged_extension: Path, site: FixtureSite, proxy: RecordingProxy
) -> None:
    """Disabled, removed or reloaded under an open tab, the old content script is cut off
    from the extension: it must clean up and never hold back a send it can no longer check."""
    with launch(playwright_driver, packaged_extension, site.port, viewport=(1440, 900)) as own:
        own.reset(proxy.url)
        tab = own.context.new_page()
        open_thread(tab, site)
        tab.locator(BOX).click()
        tab.keyboard.type(DRAFT, delay=2)
        wait_for_rules(tab, "contact-info")
        with contextlib.suppress(Exception):  # the worker goes away while answering
            own.worker.evaluate("() => chrome.runtime.reload()")
        tab.wait_for_function(
            "() => document.querySelectorAll('replylint-root').length === 0", timeout=10_000
        )
        tab.locator("kat-button#send").click()
        tab.wait_for_function("() => window.__sent.length === 1")
        assert tab.evaluate("() => window.__sent[0]") == DRAFT


# -- when the API is down or slow ---------------------------------------------------------------


class _SilentServer:
    """Accepts connections and never answers: a hung API."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.clients: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.clients:
            conn.close()


@pytest.fixture
def silent_api() -> Iterator[_SilentServer]:
    server = _SilentServer()
    yield server
    server.close()


def test_api_down_shows_a_clear_status_and_never_blocks_the_reply_box(
    page: Any, site: FixtureSite, browser: Browser, proxy: RecordingProxy
) -> None:
    browser.configure(apiUrl=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type(DRAFT, delay=2)
    status = page.locator(f"{UI} [data-role=status][data-kind=error]")
    status.wait_for(timeout=10_000)
    assert "unreachable" in status.inner_text()
    assert page.locator(f"{UI} .rl-pill").get_attribute("data-state") == "offline"
    assert reply_text(page) == DRAFT
    # Sending is never held back by a check that cannot run.
    page.locator("kat-button#send").click()
    page.wait_for_function("() => window.__sent.length === 1")
    # The API comes back: the next check works without reloading the page.
    browser.configure(apiUrl=proxy.url)
    page.locator(BOX).click()
    page.keyboard.type("Email me at jane.seller@gmail.com", delay=2)
    wait_for_rules(page, "contact-info")


def test_a_slow_api_says_so_while_the_agent_keeps_typing(
    page: Any, site: FixtureSite, browser: Browser, silent_api: _SilentServer
) -> None:
    browser.configure(apiUrl=silent_api.url)
    open_thread(page, site)
    page.locator(BOX).click()
    page.keyboard.type("Hello Jane,", delay=2)
    page.locator(f"{UI} [data-role=status][data-kind=slow]").wait_for(timeout=10_000)
    page.keyboard.type(" still typing.", delay=2)
    assert reply_text(page) == "Hello Jane, still typing."


# -- latency -----------------------------------------------------------------------------------

LATENCY_PROBE = """(rule) => {
    // Page-side stopwatch: from the keydown of the next keystroke to the frame in
    // which an underline for `rule` is drawn again.
    const root = document.querySelector('replylint-root').shadowRoot;
    let pressed = 0;
    let gone = false;
    const visible = () => [...root.querySelectorAll('.rl-mark:not([hidden])')]
      .some((m) => m.dataset.key.startsWith(rule + ':'));
    window.addEventListener('keydown', () => { pressed = performance.now(); }, {capture: true, once: true});
    window.__latency = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!pressed) return;
        // The keystroke first removes the underline (the edit touched it) …
        if (!gone) { gone = !visible(); return; }
        // … and only the API's answer draws it again.
        if (visible()) {
          observer.disconnect();
          resolve(performance.now() - pressed);
        }
      });
      observer.observe(root, {subtree: true, childList: true, attributes: true});
    });
}"""


def test_underlines_appear_promptly_after_the_last_keystroke(
    page: Any, site: FixtureSite, browser: Browser, api_url: str, record_property: Any
) -> None:
    """Measures keystroke → underline with the API on loopback (no proxy in between).

    Each round edits inside an underlined e-mail address: the edit drops its underline
    at once, so only a new answer from the API can draw it again. Reported, not gated
    beyond a sanity bound: tests never time (bench/ does), this one only measures.
    """
    browser.configure(apiUrl=api_url)
    open_thread(page, site)
    page.locator(BOX).click()
    samples: list[float] = []
    checks: list[int] = []
    for round_ in range(12):
        page.locator(BOX).fill(f"Hi Jane, email me at jane{round_}@example.com today.")
        wait_for_rules(page, "contact-info")
        wait_until_checked(page)
        page.wait_for_timeout(150)
        page.keyboard.press("Home")
        for _ in range(len("Hi Jane, email me at jane") - 1):
            page.keyboard.press("ArrowRight")
        page.evaluate(LATENCY_PROBE, "contact-info")
        page.keyboard.press("x")  # inside the address: its underline goes, then comes back
        samples.append(float(page.evaluate("() => window.__latency")))
        wait_until_checked(page)
        status = page.locator(f"{UI} [data-role=status]").inner_text()
        digits = "".join(ch for ch in status if ch.isdigit())
        if digits:
            checks.append(int(digits))
    median = statistics.median(samples)
    p90 = sorted(samples)[int(0.9 * (len(samples) - 1))]
    report = {
        "rounds": len(samples),
        "median_ms": round(median, 1),
        "p90_ms": round(p90, 1),
        "max_ms": round(max(samples), 1),
        "api_round_trip_median_ms": statistics.median(checks) if checks else None,
        "debounce_ms": "40-65 (adaptive: 20 + mean check time, 40..400)",
    }
    record_property("keystroke_to_underline", report)
    print(f"\nkeystroke → underline: {json.dumps(report)}")
    assert median < 2000, report  # sanity only: the figure itself is the deliverable
