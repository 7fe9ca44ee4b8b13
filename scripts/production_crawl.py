"""Crawl a running Mobilise (behind a pretend TLS proxy) and fail on anything a visitor would hit.

    .venv/bin/python scripts/production_crawl.py http://127.0.0.1:8000 --server-log gunicorn.log

Run by scripts/production-check.sh against gunicorn with the production settings. Every request
says ``X-Forwarded-Proto: https``, as the TLS-terminating proxy in front of the app would. It
crawls every page reachable from the home page by same-origin links, first anonymously and then
signed in as the demo mission lead, and fails on:

- any 5xx answer, or a link (on one of our pages) to an address that answers 4xx;
- a page showing template debug text ("no such element", "Undefined"), or one during which the
  server logged an error (an undefined template value, a traceback): given ``--server-log``, the
  log lines written while a page was served are put down to that page, as the crawl is sequential;
- a stylesheet, script or image a page uses (same origin) that does not answer 200, and the same
  for every ``url(...)`` in each stylesheet and every relative ``import`` in each script.

Pages are grouped by their Django URL pattern (``django.urls.resolve`` with the settings in the
environment): at most ``--per-pattern`` of each are visited, and only one of a pattern whose first
answer was not HTML (CSV, PDF, ZIP, GeoJSON downloads). Standard library only, besides Django.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

DEBUG_TEXT = ("no such element", "Undefined")
# Never followed: Django's admin (no journey goes through it), signing out (it would end the
# signed-in crawl; allauth asks by POST anyway), and the language switcher (a POST form).
SKIP_PREFIXES = ("/admin/", "/i18n/", "/account/logout/", "/static/", "/media/")
# Log lines that mean something went wrong on the server (a 5xx is reported by its status, so
# Django's "Internal Server Error: /path" and the traceback's first line are left out for the
# exception's own line, which says what went wrong).
LOG_PROBLEM = re.compile(
    r"Template used an undefined value|^[\w.]*(Error|Exception)\b.*:|\[(ERROR|CRITICAL)\]"
)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
JS_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"']+)["']""")
# main.js adds a page's chart and map modules itself (new URL(`./${name}.js`, import.meta.url)) when
# the page has an element with one of their data-module names: [["place-map", ["mobilise-place-map"]], …]
JS_ENHANCEMENT = re.compile(
    r"""\[\s*["']([\w-]+)["']\s*,\s*\[((?:\s*["'][\w-]+["']\s*,?)+)\]\s*\]"""
)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One visitor: a cookie jar and requests that come through the pretend TLS proxy.

    The session and CSRF cookies are marked Secure, which http.cookiejar would keep from a plain
    http:// server; the proxy is the reason the app sees https, so this jar sends every cookie.
    """

    def __init__(self, base: str, log: ServerLog | None) -> None:
        parts = urlsplit(base)
        self.base = base.rstrip("/")
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.netloc = parts.netloc
        self.cookies: dict[str, str] = {}
        self.log = log

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        *,
        proxied: bool = True,
    ) -> Response:
        headers = {
            "Host": self.netloc,
            "User-Agent": "mobilise-production-crawl",
            "Accept-Language": "en-GB",
            **(headers or {}),
        }
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(3):
            connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                connection.request(method, path, body=body, headers=headers)
                raw = connection.getresponse()
                response = Response(raw.status, raw.headers, raw.read())
                break
            except (ConnectionError, http.client.RemoteDisconnected):
                if attempt == 2:
                    raise
                time.sleep(1)
            finally:
                connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response


class ServerLog:
    """The server's log file, read from where the last request left it."""

    def __init__(self, path: str) -> None:
        self.file = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
        self.file.seek(0, os.SEEK_END)

    def new_problems(self) -> list[str]:
        time.sleep(0.02)  # let the worker's stderr reach the file
        lines = self.file.read().splitlines()
        return [line.strip() for line in lines if LOG_PROBLEM.search(line.strip())]


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.csrf_token: str | None = None
        self.modules: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if "data-module" in a:
            self.modules.add(a["data-module"])
        # Data a script fetches (data-geojson-url): it must answer too.
        self.assets.extend(
            v for k, v in a.items() if k.startswith("data-") and k.endswith("-url") and v
        )
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "link" and "href" in a:
            rel = a.get("rel", "").lower()
            (
                self.links if rel in ("alternate", "canonical", "next", "prev") else self.assets
            ).append(a["href"])
        elif tag in ("script", "img") and "src" in a:
            self.assets.append(a["src"])
        elif tag == "img" and "srcset" in a:
            self.assets.extend(part.split()[0] for part in a["srcset"].split(",") if part.strip())
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken":
            self.csrf_token = a.get("value")


@dataclass
class Crawl:
    base: str
    server_log: ServerLog | None
    max_pages: int
    per_pattern: int
    failures: dict[str, list[str]] = field(default_factory=dict)
    assets_checked: dict[str, int] = field(default_factory=dict)
    pages: Counter = field(default_factory=Counter)
    not_html_patterns: set[str] = field(default_factory=set)
    # data-module name -> the script main.js would add for it
    module_scripts: dict[str, str] = field(default_factory=dict)
    visited_patterns: set[str] = field(default_factory=lambda: {"healthz"})
    verbose: bool = False

    def fail(self, problem: str, where: str) -> None:
        """One problem (the same text wherever it happens) at one place: printed the first time."""
        if problem not in self.failures:
            print(f"  FAIL {problem}\n       at {where}", flush=True)
        self.failures.setdefault(problem, []).append(where)

    def local(self, url: str, page: str) -> str | None:
        """The path and query of a same-origin address, or None for another origin."""
        absolute = urldefrag(urljoin(self.base + page, url)).url
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(self.base).netloc:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def log_problems(self, url: str) -> None:
        if self.server_log:
            for line in self.server_log.new_problems():
                self.fail(f"server log: {line}", url)

    # ---- static files ------------------------------------------------------------------------
    def check_asset(self, client: Client, path: str, found_on: str) -> None:
        if path in self.assets_checked:
            if self.assets_checked[path] != 200:
                self.fail(
                    f"{path} answered {self.assets_checked[path]}", f"{found_on}, which uses it"
                )
            return
        response = client.request("GET", path)
        self.assets_checked[path] = response.status
        if self.verbose:
            print(f"  {response.status} {path} (first used by {found_on})", flush=True)
        if not path.startswith("/static/"):
            self.visited_patterns.add(self.pattern(path).partition("?")[0])
        self.log_problems(path)
        if response.status != 200:
            self.fail(f"{path} answered {response.status}", f"{found_on}, which uses it")
            return
        if response.content_type == "text/css" or path.split("?")[0].endswith(".css"):
            for match in CSS_URL.finditer(response.text()):
                ref = next(g for g in match.groups() if g is not None).strip()
                if not ref or ref.startswith(("data:", "#")):
                    continue
                target = self.local(ref, path)
                if target:
                    self.check_asset(client, target, path)
        elif "javascript" in response.content_type or path.split("?")[0].endswith((".js", ".mjs")):
            script = response.text()
            for ref in JS_IMPORT.findall(script):
                target = self.local(ref, path)
                if target:
                    self.check_asset(client, target, path)
            if "import.meta.url" in script:
                for name, modules in JS_ENHANCEMENT.findall(script):
                    for module in re.findall(r"[\w-]+", modules):
                        self.module_scripts[module] = self.local(f"./{name}.js", path) or ""

    # ---- pages -------------------------------------------------------------------------------
    def pattern(self, path: str) -> str:
        from django.urls import Resolver404, resolve

        route, _, query = path.partition("?")
        keys = (
            ",".join(sorted({pair.split("=")[0] for pair in query.split("&") if pair}))
            if query
            else ""
        )
        try:
            match = resolve(route)
            name = match.route
        except Resolver404:
            name = re.sub(r"\d+", "N", route)
        return f"{name}?{keys}" if keys else name

    def run(self, client: Client, label: str, seeds: list[str]) -> None:
        queue: list[tuple[str, str]] = [(seed, "(start)") for seed in seeds]
        seen = {seed for seed in seeds}
        visits: Counter = Counter()
        print(f"Crawling as {label}", flush=True)
        while queue and self.pages[label] < self.max_pages:
            path, found_on = queue.pop(0)
            pattern = self.pattern(path)
            if visits[pattern] >= self.per_pattern or (
                pattern in self.not_html_patterns and visits[pattern]
            ):
                continue
            visits[pattern] += 1
            self.visited_patterns.add(pattern.partition("?")[0])
            started = time.monotonic()
            response = client.request("GET", path, headers={"Referer": self.base + found_on})
            took = time.monotonic() - started
            self.pages[label] += 1
            if self.verbose:
                print(f"  page {response.status} {path}", flush=True)
            self.log_problems(path)
            if response.status >= 500:
                self.fail(f"a page answered {response.status}", f"{path} (linked from {found_on})")
                continue
            if 400 <= response.status < 500:  # a link we show should lead somewhere, or to sign-in
                self.fail(
                    f"a link leads to a page that answers {response.status}",
                    f"{path} (linked from {found_on})",
                )
                continue
            if took > 10:
                print(f"  slow: {path} took {took:.1f}s", flush=True)
            links: list[str] = []
            if response.status in (301, 302, 303, 307, 308):
                links = [response.headers.get("Location", "")]
            elif response.status == 200 and response.content_type == "text/html":
                html = response.text()
                for text in DEBUG_TEXT:
                    if text in html:
                        where = html.index(text)
                        snippet = re.sub(r"\s+", " ", html[max(0, where - 80) : where + 40])
                        self.fail(f"a page shows {text!r}: …{snippet}…", path)
                parser = PageParser()
                parser.feed(html)
                for asset in parser.assets:
                    target = self.local(asset, path)
                    if target:
                        self.check_asset(client, target, path)
                for module in sorted(parser.modules):
                    if self.module_scripts.get(module):
                        self.check_asset(client, self.module_scripts[module], path)
                links = parser.links
            elif response.status == 200:
                self.not_html_patterns.add(pattern)
                if not response.body:
                    self.fail(
                        "a download answered 200 with nothing in it",
                        f"{path} (linked from {found_on})",
                    )
            for link in links:
                target = self.local(link, path)
                if target is None or target in seen or target.startswith(SKIP_PREFIXES):
                    continue
                if "logout" in target:
                    continue
                seen.add(target)
                queue.append((target, path))
        print(f"  {self.pages[label]} pages as {label}", flush=True)

    def sign_in(self, client: Client, email: str, password: str) -> None:
        login = "/account/login/"
        form = client.request("GET", login)
        parser = PageParser()
        parser.feed(form.text())
        if form.status != 200 or not parser.csrf_token:
            self.fail(f"no sign-in form (status {form.status})", login)
            return
        body = urlencode(
            {"csrfmiddlewaretoken": parser.csrf_token, "login": email, "password": password}
        )
        response = client.request(
            "POST",
            login,
            body=body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": client.base.replace("http://", "https://", 1),
                "Referer": client.base.replace("http://", "https://", 1) + login,
            },
        )
        self.log_problems(login)
        if response.status != 302:
            self.fail(
                f"signing in as {email} answered {response.status}, not a redirect (password? CSRF?)",
                login,
            )
            return
        print(f"Signed in as {email}", flush=True)


def all_routes() -> list[str]:
    """Every URL pattern of ours (not the admin's, allauth's or the language switcher's)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return sorted(
        r
        for r in set(walk(get_resolver().url_patterns, ""))
        if not r.startswith(("admin/", "account/", "i18n/"))
    )


def wait_until_healthy(client: Client, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            response = client.request("GET", "/healthz")
            if response.status == 200 and response.body == b"ok":
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{client.base}/healthz did not answer 'ok' within {seconds:.0f}s")
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--server-log", help="the server's log file: errors logged during a page fail it"
    )
    parser.add_argument("--email", default="lead@camden.example")
    parser.add_argument("--password", default="mobilise-demo-2026")
    parser.add_argument(
        "--max-pages", type=int, default=600, help="per crawl (anonymous, signed in)"
    )
    parser.add_argument("--per-pattern", type=int, default=10, help="pages visited per URL pattern")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every page and static file"
    )
    parser.add_argument("--wait", type=float, default=0, help="wait this long for /healthz first")
    args = parser.parse_args()

    import django

    django.setup()

    started = time.monotonic()
    log = ServerLog(args.server_log) if args.server_log else None
    crawl = Crawl(
        args.base.rstrip("/"), log, args.max_pages, args.per_pattern, verbose=args.verbose
    )
    anonymous = Client(args.base, log)
    if args.wait:
        wait_until_healthy(anonymous, args.wait)
    # A load balancer asks each web process directly, over HTTP, without the proxy's header.
    probe = anonymous.request("GET", "/healthz", proxied=False)
    if probe.status != 200 or probe.body != b"ok":
        crawl.fail(
            f"/healthz without X-Forwarded-Proto answered {probe.status}, not 'ok'", "/healthz"
        )
    crawl.run(anonymous, "anonymous", ["/"])

    lead = Client(args.base, log)
    crawl.sign_in(lead, args.email, args.password)
    if lead.cookies.get("sessionid"):
        crawl.run(lead, "signed in", ["/", "/account/dashboard/"])
        if lead.request("GET", "/account/dashboard/").status != 200:
            crawl.fail("the lead was signed out during the crawl", "/account/dashboard/")

    by_status = Counter(crawl.assets_checked.values())
    print()
    print("Production crawl summary")
    print(
        f"  pages crawled: {crawl.pages['anonymous']} anonymous, {crawl.pages['signed in']} signed in as {args.email}"
    )
    print(
        f"  static files checked: {len(crawl.assets_checked)} ({', '.join(f'{n} × {s}' for s, n in sorted(by_status.items()))})"
    )
    print(f"  took {time.monotonic() - started:.0f}s")
    unreached = [route for route in all_routes() if route not in crawl.visited_patterns]
    if unreached and crawl.pages["signed in"]:
        print(
            f"  not reached by any link ({len(unreached)} URL patterns, not a failure): {', '.join(unreached)}"
        )
    if crawl.failures:
        print(f"  {len(crawl.failures)} problems:")
        for problem, places in crawl.failures.items():
            unique = list(dict.fromkeys(places))
            shown = "; ".join(unique[:3]) + (
                f"; and {len(unique) - 3} more" if len(unique) > 3 else ""
            )
            print(f"    - {problem}\n        at {shown}")
        return 1
    print("  no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
