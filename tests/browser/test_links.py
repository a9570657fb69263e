"""Every internal link, asset and anchor in the built site resolves.

MkDocs checks the links it sees in Markdown (``validation:`` in mkdocs.yml);
this walks the HTML the build wrote, theme and plugins included, on the site
that conftest.py builds once for the browser tests. External links are left
alone (the site should have none but its own). No browser is driven here.
"""

import html.parser
import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# The pages come from the browser tests' build, so these run with them.
pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Attributes that name another resource of the page.
LINK_ATTRIBUTES = {"href", "src", "data-figure-src"}
SCHEMES_IGNORED = ("mailto:", "tel:", "javascript:", "data:", "blob:")


class _Targets(html.parser.HTMLParser):
    """Collect the links of a page and the anchors it defines."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value and (name == "id" or tag == "a"):
                self.anchors.add(value)
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, name, value))


@cache
def parse(path):
    """Parse one HTML file of the built site (cached across pages)."""
    parser = _Targets()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def resolve(site, page, link):
    """Find the file and fragment a link of `page` points to.

    Returns
    -------
    (pathlib.Path, str) or None
        None for external links and the schemes left alone.
    """
    if not link or link.startswith(SCHEMES_IGNORED):
        return None
    url = urljoin(site.url(page), link)
    parts = urlsplit(url)
    origin = urlsplit(site.origin)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    path = unquote(parts.path)[len(origin.path) :]
    target = site.folder / posixpath.normpath(path or ".")
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site, page):
    """List the links of `page` whose file or anchor does not exist."""
    broken = []
    for tag, attribute, link in parse(site.folder / page).links:
        found = resolve(site, page, link)
        if found is None:
            continue
        target, fragment = found
        if not target.is_file():
            broken.append(f"<{tag} {attribute}={link!r}>: no file {target.name}")
        elif fragment and target.suffix == ".html":
            if fragment not in parse(target).anchors:
                broken.append(f"<{tag} {attribute}={link!r}>: no anchor #{fragment}")
    return broken


def test_every_internal_link_and_anchor_resolves(site, site_page):
    broken = broken_links(site, site_page)
    assert not broken, f"{site_page}: " + "; ".join(broken)


def test_checker_reports_a_missing_page_and_a_missing_anchor(site, tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        '<a id="here" href="#here"></a><a href="#nowhere"></a>'
        '<a href="missing/"></a><a href="https://example.org/x"></a>',
        encoding="utf-8",
    )
    fake = type(site)(folder=tmp_path, origin=site.origin, pages=["index.html"])
    assert broken_links(fake, "index.html") == [
        "<a href='#nowhere'>: no anchor #nowhere",
        "<a href='missing/'>: no file index.html",
    ]
