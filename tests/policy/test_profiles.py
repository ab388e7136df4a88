"""Marketplace profiles decide which policy rules run, how severe they are and which
domains are allowed (POLICY.md §1, CONTRACT.md §5)."""

from __future__ import annotations

import pytest

from replylint.engine import Linter, LintOptions
from replylint.schema import ResultRecord

OFF_PLATFORM_REPLY = (
    "Visit www.lumina-home.com for 20% off your next order, call us on 07700 900123 "
    "and pay by PayPal. If you're happy, please leave a 5-star review!"
)
SHOP_RULES = {"external-link", "contact-info", "promotion", "off-platform"}


def policy(result: ResultRecord) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in result.diagnostics:
        if d.family == "policy":
            out.setdefault(d.rule, set()).add(d.severity)
    return out


@pytest.mark.parametrize("marketplace", ["shopify", "generic"])
def test_own_store_and_unknown_channel_keep_only_review_law(linter: Linter, marketplace: str) -> None:
    found = policy(linter.check_text(OFF_PLATFORM_REPLY, lang="en", marketplace=marketplace))
    assert not SHOP_RULES & found.keys()
    assert found["feedback-request"] == {"error"}


def test_amazon_makes_every_policy_rule_an_error(linter: Linter) -> None:
    result = linter.check_text(OFF_PLATFORM_REPLY, lang="en", marketplace="amazon")
    assert policy(result) == {rule: {"error"} for rule in {*SHOP_RULES, "feedback-request"}}
    assert not result.compliant


def test_etsy_warns_on_links_contact_details_and_promotion(linter: Linter) -> None:
    found = policy(linter.check_text(OFF_PLATFORM_REPLY, lang="en", marketplace="etsy"))
    assert found["external-link"] == found["contact-info"] == found["promotion"] == {"warning"}
    assert found["off-platform"] == found["feedback-request"] == {"error"}


def test_ebay_warns_on_promotion_only(linter: Linter) -> None:
    found = policy(linter.check_text(OFF_PLATFORM_REPLY, lang="en", marketplace="ebay"))
    assert found["promotion"] == {"warning"}
    assert found["contact-info"] == found["off-platform"] == {"error"}


def test_walmart_warns_on_a_care_line_but_not_on_a_social_handle(linter: Linter) -> None:
    result = linter.check_text(
        "Our care line is 0800 123 4567, or find us on Instagram @lumina_home.",
        lang="en",
        marketplace="walmart",
        select={"contact-info"},
    )
    by_match = {d.match: d.severity for d in result.diagnostics}
    assert by_match == {"0800 123 4567": "warning", "@lumina_home": "error"}
    assert not result.compliant  # the handle is an error


def test_a_sentiment_neutral_reward_only_warns_on_an_own_store(linter: Linter) -> None:
    text = "Post an honest review on our site and get 15% off your next order."
    own_store = linter.check_text(text, lang="en", marketplace="shopify", select={"feedback-request"})
    amazon = linter.check_text(text, lang="en", marketplace="amazon", select={"feedback-request"})
    assert {d.severity for d in own_store.diagnostics} == {"warning"}
    assert {d.severity for d in amazon.diagnostics} == {"error"}


def test_a_milder_tagged_hit_never_hides_a_more_severe_one(linter: Linter) -> None:
    text = "If you leave a 5-star review, we'll send you a $10 gift card."
    result = linter.check_text(text, lang="en", marketplace="shopify", select={"feedback-request"})
    assert "error" in {d.severity for d in result.diagnostics}


def test_a_severity_from_the_users_configuration_wins_over_profile_tags() -> None:
    quiet = Linter(options=LintOptions(severity={"contact-info": "info"}))
    result = quiet.check_text("Find us on Instagram @lumina_home.", lang="en", marketplace="walmart")
    assert {d.severity for d in result.diagnostics if d.rule == "contact-info"} == {"info"}


def test_carrier_tracking_sites_are_allowed_on_every_marketplace_profile(linter: Linter) -> None:
    text = "Track it on https://www.dhl.de/de/privatkunden.html?piececode=00340434161234567890"
    for marketplace in ("amazon", "ebay", "walmart", "etsy"):
        result = linter.check_text(text, lang="de", marketplace=marketplace, select={"external-link"})
        assert result.diagnostics == [], marketplace


def test_policy_diagnostics_cite_the_profiles_source(linter: Linter) -> None:
    (d,) = linter.check_text("See www.lumina-home.com", lang="en", select={"external-link"}).diagnostics
    assert d.policy == linter.catalogue.sources["A2"].url
    (d,) = linter.check_text(
        "See www.lumina-home.com", lang="en", marketplace="ebay", select={"external-link"}
    ).diagnostics
    assert d.policy == linter.catalogue.sources["E5"].url
