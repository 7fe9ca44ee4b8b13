"""The built front end (node frontend/build.mjs) holds every file its stylesheets refer to.

`collectstatic` in production (ManifestStaticFilesStorage) stops with MissingFileError when a
stylesheet's url() names a file that is not there: Leaflet's CSS, compiled into main.css, refers
to images/layers.png and friends, which the build must copy beside main.css.
"""

import re
from pathlib import Path

from django.conf import settings

DIST = Path(settings.BASE_DIR) / "static" / "dist"
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")


def referenced_files(css: Path) -> list[str]:
    """The files a stylesheet's url()s name on this site, as paths under mobilise/static."""
    refs = []
    for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
        ref = next(g for g in match.groups() if g is not None).split("?")[0].split("#")[0]
        if not ref or ref.startswith(("data:", "http:", "https:", "//")):
            continue  # inline, another site, or a fragment such as Leaflet's url(#default#VML)
        if ref.startswith(settings.STATIC_URL):
            refs.append(ref.removeprefix(settings.STATIC_URL))
        else:
            refs.append((css.parent / ref).resolve().relative_to(DIST.parent).as_posix())
    return refs


def test_the_front_end_is_built():
    assert (DIST / "main.css").is_file(), "run `node frontend/build.mjs` (make install does)"


def test_every_file_a_stylesheet_refers_to_is_built():
    stylesheets = sorted(DIST.rglob("*.css"))
    refs = {ref: css.name for css in stylesheets for ref in referenced_files(css)}
    assert "dist/images/layers.png" in refs  # Leaflet's: the test reads the url()s it is for
    missing = {ref: css for ref, css in refs.items() if not (DIST.parent / ref).is_file()}
    assert missing == {}


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """What `mobilise collectstatic` does in production: each url() is rewritten to the file's
    hashed name, so a url() naming a missing file stops the deployment."""
    from django.core.management import call_command
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").is_file()


TEMPLATE_STATIC = re.compile(r"""\bstatic\(\s*["']([^"']+)["']\s*\)""")


def test_templates_ask_static_only_for_files():
    """In production static() looks each name up in collectstatic's manifest, which lists files
    only: a name that is not a file makes every page that uses it fail with a server error."""
    from django.contrib.staticfiles import finders

    names = {
        (template.relative_to(settings.BASE_DIR).as_posix(), name)
        for template in Path(settings.BASE_DIR).rglob("jinja2/**/*.html")
        for name in TEMPLATE_STATIC.findall(template.read_text(encoding="utf-8"))
    }
    assert len(names) >= 3  # main.css, main.js and the favicon at least
    not_files = {
        (template, name) for template, name in names if not Path(finders.find(name) or "").is_file()
    }
    assert not_files == set()


def test_map_tooltips_and_popups_are_text_never_html():
    # Issue #16, defect 12: Leaflet reads a string as HTML, so place names (data) must reach it
    # as a text node (the choropleth's tooltip(), the coalition map's text()).
    import re
    from pathlib import Path

    from django.conf import settings

    calls = []
    for path in sorted((Path(settings.BASE_DIR).parent / "frontend" / "js").glob("*.mjs")):
        source = path.read_text(encoding="utf-8")
        found = re.finditer(r"\.bind(?:Tooltip|Popup)\(\s*([^,)]*)", source)
        calls += [(path.name, m.group(1)) for m in found]
    assert calls, "no map calls found: has the code moved?"
    html = [c for c in calls if not re.match(r"(text|tooltip)\(", c[1])]
    assert html == [], html
