"""Browser testing for every app: Playwright drives Debian's Chromium against Django's live server.

Loaded as a pytest plugin by the root conftest.py. Playwright's own browser download is not used: we
launch /usr/bin/chromium (installed by `make system-test-deps`). Any test that asks for `page` or
`browser` is marked `browser`, so `pytest -m "not browser"` skips them and `-m browser` runs them.
`assert_accessible(page)` (or the `axe` fixture) runs axe-core, the engine the GOV.UK accessibility
team uses, and fails on any serious or critical WCAG 2.2 A/AA violation.

A click that submits a form returns once the next page has started loading, not once it has
loaded: read the page only through Playwright's `expect` (which waits), `expect_error_page`, or
after `page.wait_for_load_state()`. `assert page.title()` straight after a click reads a title
that is not there yet, which a busy CI machine shows as a rare failure.
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    # The machine has no network beyond loopback; these stop Chromium phoning home at start-up.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if {"page", "browser", "context"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run 'make system-test-deps' (apt-get install chromium)."
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls test bodies make are
    # still synchronous and safe. Set only once a browser really starts, so other tests (such as
    # the production deployment check) never inherit it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def live_settings(settings):
    """The live server speaks plain HTTP: secure-only cookies would never come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    return settings


# GOV.UK Frontend's Radios and Checkboxes scripts set aria-expanded on an input that reveals a
# question (the conditional reveal). ARIA does not allow it there, so axe calls it critical; GOV.UK
# keeps it on purpose, because screen readers announce it and research found it helps
# (alphagov/govuk-frontend#979, a known issue in #1280). Only that exact finding is let through.
_REVEALING_INPUT = re.compile(
    r'^<input class="govuk-(?:radios|checkboxes)__input"[^>]* aria-controls="conditional-'
)
_EXPANDED = re.compile(r'^aria-expanded="(?:true|false)"$')


def govuk_reveal_state(node: dict) -> bool:
    """Whether an axe node is only a revealing radio's or checkbox's aria-expanded."""
    checks = node["any"] + node["all"] + node["none"]
    return bool(_REVEALING_INPUT.match(node["html"])) and all(
        check["id"] == "aria-allowed-attr"
        and all(_EXPANDED.match(value) for value in check["data"]["values"])
        for check in checks
    )


def _without_govuk_reveal_state(violations: list[dict]) -> list[dict]:
    kept = []
    for violation in violations:
        nodes = violation["nodes"]
        if violation["id"] == "aria-allowed-attr":
            nodes = [n for n in nodes if not govuk_reveal_state(n)]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (page.evaluate is not subject to the page's CSP) and return violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run 'make install' (npm ci installs axe-core).")
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return _without_govuk_reveal_state(
        [v for v in result["violations"] if v.get("impact") in impacts]
    )


def expect_error_page(page) -> None:
    """Wait for the GOV.UK error pattern: the title starts "Error: " and the error summary shows."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.wait_for_load_state()


def assert_accessible(page) -> None:
    # After a click that navigates, axe must judge the page that arrives, whole.
    page.wait_for_load_state()
    violations = axe_violations(page)
    if violations:
        report = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ]
        raise AssertionError(f"axe found problems on {page.url}:\n{json.dumps(report, indent=2)}")


@pytest.fixture
def axe(live_settings):
    return assert_accessible


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """With MOBILISE_SHOTS=DIR, a browser test leaves a picture of the page it ended on in DIR
    (named after the test), so a person can look at where each journey ends."""
    yield
    folder = os.environ.get("MOBILISE_SHOTS")
    page = item.funcargs.get("page") if folder else None
    if page is not None and not page.is_closed():
        Path(folder).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.name)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
