"""The site published under a subpath, as GitHub Pages serves a project site.

``conftest.py`` builds the site once with ``site_url`` ending in ``/repo/`` and
serves it there; these tests check that nothing reaches outside that path.
"""

import html.parser
import re
from urllib.parse import urljoin, urlsplit

import pytest

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOC = re.compile(r"<loc>([^<]+)</loc>")
FEED_LINK = re.compile(r"<(?:link|guid[^>]*)>([^<]+)</(?:link|guid)>")


class _References(html.parser.HTMLParser):
    """Collect every URL a page links to or loads (``href`` and ``src``)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.urls.append(value)


def local_file(site, url):
    """Return the built file that ``url`` (below ``site.origin``) names."""
    path = urlsplit(url).path[len(urlsplit(site.origin).path) :]
    target = site.folder / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def visit_drawing_every_figure(site, page, open_tab, first_visits):
    """Return a tab that loaded ``page`` and drew each of its figure boxes.

    Reuses the first visit of the page in this session (``test_site.py`` makes
    one per page) when it drew every box; loads the page otherwise.
    """
    ids = {box.get("data-figure-id") for box in site.parse(page).figures}
    tab = first_visits.get(site.url(page))
    if tab is not None and ids <= set(tab.drawn):
        return tab
    tab = open_tab()
    tab.open(page)
    boxes = tab.page.locator(".ua-figure")
    for index in range(boxes.count()):
        tab.draw(boxes.nth(index))
    return tab


def test_page_loads_every_request_and_draws_every_figure(
    site_page, site, open_tab, first_visits
):
    tab = visit_drawing_every_figure(site, site_page, open_tab, first_visits)

    assert tab.failed == []
    assert {fid: state for fid, state in tab.drawn.items() if state != "drawn"} == {}
    outside = [url for url in tab.requests if not url.startswith(site.origin)]
    assert outside == []


def test_internal_links_stay_below_the_subpath_and_resolve(site_page, site):
    parser = _References()
    parser.feed((site.folder / site_page).read_text(encoding="utf-8"))
    parts = urlsplit(site.origin)
    server = f"{parts.scheme}://{parts.netloc}/"
    broken = []
    for reference in parser.urls:
        url = urljoin(site.url(site_page), reference).split("#")[0]
        if not url.startswith(server):
            continue  # another host: the no-off-machine-request test covers it
        if not url.startswith(site.origin) or not local_file(site, url).is_file():
            broken.append(reference)
    assert broken == []


def test_missing_page_shows_the_404_page_with_its_assets(site, open_tab):
    tab = open_tab()
    missing = site.origin + "no/such/page/"
    response = tab.page.goto(missing, wait_until="load")
    tab.page.wait_for_load_state("networkidle")

    assert response.status == 404
    assert tab.failed == [f"404 {missing}"]
    assert tab.page.locator("h1").first.inner_text() == "404 - Not found"
    # Material's stylesheet applied: the header is laid out as a bar.
    assert tab.page.locator(".md-header").bounding_box()["height"] > 0


def test_sitemap_lists_every_page_below_the_subpath(site):
    sitemap = (site.folder / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(LOC.findall(sitemap))
    expected = {site.url(page) for page in site.pages if page != "404.html"}

    assert expected - listed == set()
    assert [url for url in listed if not url.startswith(site.origin)] == []


def test_feed_links_point_below_the_subpath(site):
    feed = (site.folder / "feed_rss_created.xml").read_text(encoding="utf-8")
    links = FEED_LINK.findall(feed)

    assert links
    assert [url for url in links if not url.startswith(site.origin)] == []
