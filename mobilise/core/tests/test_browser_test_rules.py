"""A rule for browser tests, checked on their source: the CI failure it prevents is rare and slow.

After a click that submits a form, Playwright returns once the next page has *started* loading, so
`page.title()` can still be empty. CI once read that empty title. Titles are read through
`expect(page).to_have_title(...)` or `expect_error_page(page)`, which wait.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BROWSER_TESTS = [
    path
    for path in [
        *ROOT.glob("mobilise/*/tests/test_*browser*.py"),
        *ROOT.glob("tests/browser/test_*.py"),
    ]
    if path != Path(__file__).resolve()
]
TITLE_READ = re.compile(r"\b\w+\.title\(\)")


def test_browser_tests_exist():
    assert len(BROWSER_TESTS) >= 10


def test_no_browser_test_reads_the_title_without_waiting():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in BROWSER_TESTS
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if TITLE_READ.search(line)
    ]
    assert offenders == [], (
        "Use expect(page).to_have_title(...) or expect_error_page(page):\n" + "\n".join(offenders)
    )
