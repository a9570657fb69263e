"""Build the site once, serve it on 127.0.0.1 and drive it in headless Chromium.

The site is built with ``site_url`` set to the local origin followed by
``/repo/``, and served there, as GitHub Pages serves a project site: Material's
instant navigation only intercepts links inside ``site_url`` and silently falls
back to full page loads otherwise, and every link and asset must stay below the
subpath. The server answers a missing path with the site's 404 page, as GitHub
Pages does. Every request a page makes to another host is blocked
and recorded, so a test can fail on it.
"""

import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

BROWSER_CANDIDATES = (
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PLOTLY_BUNDLE = "assets/vendor/plotly/plotly.min.js"
# The site is built for and served below this path, as a project site is.
SUBPATH = "/repo/"

# Resolves after the browser has rendered two more frames.
TWO_FRAMES = (
    "() => new Promise(done => requestAnimationFrame(() => "
    "requestAnimationFrame(done)))"
)


def find_browser():
    """Return the path of a Chromium-like browser, or None.

    ``CHROMIUM_PATH`` wins; then the usual names on ``PATH``.
    """
    wanted = os.environ.get("CHROMIUM_PATH")
    if wanted:
        return shutil.which(wanted)
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class _Marks(dict):
    """Names in a ``-m`` expression: only the browser tests' markers are true."""

    def __missing__(self, name):
        return False


def browser_tests_selected(config):
    """Tell whether ``-m`` keeps tests marked both ``browser`` and ``slow``."""
    expression = config.getoption("markexpr", default="")
    if not expression:
        return True
    try:
        # -m uses Python's boolean syntax: and, or, not, parentheses, names.
        return bool(eval(expression, {"__builtins__": {}}, _Marks(browser=1, slow=1)))
    except Exception:  # an expression this cannot read keeps the tests
        return True


class _PageLinks(html.parser.HTMLParser):
    """Collect the figure boxes and link targets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.figures = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "ua-figure" in (attrs.get("class") or "").split():
            self.figures.append(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@dataclass
class Site:
    """The built site, served on ``origin``.

    Attributes
    ----------
    folder : Path
        Where ``mkdocs build`` wrote the site.
    origin : str
        ``http://127.0.0.1:<port>/repo/``, also the build's ``site_url``.
    subpath_origin : str
        The same as ``origin``: the site is served below ``SUBPATH``.
    pages : list of str
        Every HTML file, relative to ``folder``, vendored assets excepted.
    """

    folder: Path
    origin: str
    pages: list = field(default_factory=list)

    @property
    def subpath_origin(self):
        """Return where the site is served below ``SUBPATH`` (``origin``)."""
        return self.origin

    def url(self, page):
        """Return the URL a reader uses for ``page`` (``blog/index.html``)."""
        path = page[: -len("index.html")] if page.endswith("index.html") else page
        return self.origin + path

    def parse(self, page):
        """Return the figure boxes (attribute dicts) and hrefs of ``page``."""
        parser = _PageLinks()
        parser.feed((self.folder / page).read_text(encoding="utf-8"))
        return parser

    def figure_pages(self):
        """Return the pages holding at least one figure box."""
        return [page for page in self.pages if self.parse(page).figures]

    def figure_data(self, page, box):
        """Return the figure JSON that a box of ``page`` points to or holds."""
        if "data-figure-json" in box:
            return json.loads(box["data-figure-json"])
        url = urljoin(self.url(page), box["data-figure-src"])
        relative = urlsplit(url).path[len(urlsplit(self.origin).path) :]
        return json.loads((self.folder / relative).read_text(encoding="utf-8"))


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve the site at / and under SUBPATH, without logging.

    A missing file gets status 404 with the site's ``404.html`` as its body, as
    on GitHub Pages.
    """

    def translate_path(self, path):
        if path.startswith(SUBPATH):
            path = path[len(SUBPATH) - 1 :]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@dataclass
class _Served:
    folder: Path
    server: ThreadingHTTPServer
    site: Site | None = None
    error: str = ""


_SERVED = None


def _build_and_serve():
    """Bind a port, build the site for that origin and serve it in a thread."""
    folder = Path(tempfile.mkdtemp(prefix="ua-browser-site-"))
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    served = _Served(folder=folder, server=server)

    # The temporary config sits beside mkdocs.yml, so that the paths inside
    # (docs, hooks, snippets) resolve exactly as in a normal build.
    with tempfile.NamedTemporaryFile(
        "w", dir=ROOT, prefix=".mkdocs-browser-test-", suffix=".yml", delete=False
    ) as config:
        config.write(f"INHERIT: mkdocs.yml\nsite_url: {origin}\n")
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
        command += ["--config-file", config.name, "--site-dir", str(folder)]
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, check=False
        )
    finally:
        os.unlink(config.name)
    if result.returncode != 0:
        served.error = (
            f"`mkdocs build --strict` for {origin} failed with exit code "
            f"{result.returncode}:\n{result.stderr[-4000:]}"
        )
        return served

    pages = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*.html")
        if not path.relative_to(folder).as_posix().startswith("assets/")
    )
    served.site = Site(folder=folder, origin=origin, pages=pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return served


def served_site():
    """Return the session's `_Served`, building and serving on first use."""
    global _SERVED
    if _SERVED is None:
        _SERVED = _build_and_serve()
    return _SERVED


def pytest_generate_tests(metafunc):
    """Give ``site_page`` one case per HTML page of the built site.

    The list of pages exists only after a build, so the build happens during
    collection, and only if a browser exists and ``-m`` keeps the browser tests.
    """
    if "site_page" not in metafunc.fixturenames:
        return
    if find_browser() is None:
        cases = [pytest.param(None, id="no-browser")]
    elif not browser_tests_selected(metafunc.config):
        cases = [pytest.param(None, id="deselected")]
    elif served_site().site is None:
        cases = [pytest.param(None, id="build-failed")]
    else:
        cases = served_site().site.pages
    metafunc.parametrize("site_page", cases, ids=lambda page: page)


def pytest_unconfigure(config):
    """Stop the server and delete the built site."""
    if _SERVED is not None:
        if _SERVED.site is not None:
            _SERVED.server.shutdown()
        _SERVED.server.server_close()
        shutil.rmtree(_SERVED.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium_path():
    path = find_browser()
    if path is None:
        pytest.skip(
            "no Chromium found: set CHROMIUM_PATH or install one of "
            + ", ".join(BROWSER_CANDIDATES)
        )
    return path


@pytest.fixture(scope="session")
def site(chromium_path):
    served = served_site()
    if served.site is None:
        pytest.fail(served.error, pytrace=False)
    return served.site


@pytest.fixture(scope="session")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_FLAGS
    )
    yield chromium
    chromium.close()
    playwright.stop()


# The first tab that opened each page, by the page's full URL (test modules may
# serve sites of their own), so that a later test can read what that visit
# recorded instead of loading the page again.
FIRST_VISITS = {}


class Tab:
    """A browser tab on the test site that records what its pages do.

    Attributes
    ----------
    page : playwright.sync_api.Page
    requests : list of str
        Every URL requested, in order.
    offsite : list of str
        Requests to any host but 127.0.0.1; they were blocked.
    console_errors, page_errors : list of str
        ``console.error`` messages and uncaught exceptions.
    failed : list of str
        ``"<status> <url>"`` for each response with status 400 or more, and
        ``"failed <url>"`` for each local request that got no response.
    drawn : dict
        Figure id to the state that `draw` returned for its box.
    """

    def __init__(self, context, site):
        self.site = site
        self.requests = []
        self.offsite = []
        self.console_errors = []
        self.page_errors = []
        self.failed = []
        self.drawn = {}
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _route(self, route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.offsite.append(route.request.url)
            route.abort()

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _request_failed(self, request):
        if urlsplit(request.url).hostname == "127.0.0.1":
            self.failed.append(f"failed {request.url}")

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location})")

    def open(self, page):
        """Load a site page (``blog/index.html``) and wait for its load event."""
        FIRST_VISITS.setdefault(self.site.url(page), self)
        self.page.goto(self.site.url(page), wait_until="load")

    def open_figure(self, page, figure_id):
        """Open ``page``, draw the figure ``figure_id`` and return its plot.

        Fails the test, naming the figure and its state, if it is not drawn.

        Returns
        -------
        playwright.sync_api.Locator
            The box's ``.ua-figure__plot`` element.
        """
        self.open(page)
        box = self.page.locator(f"#figure-{figure_id}")
        state = self.draw(box)
        if state != "drawn":
            pytest.fail(f"{page}: figure '{figure_id}' was not drawn: {state}")
        return box.locator(".ua-figure__plot")

    def plotly_requests(self):
        """Return the URLs of every request for the plotly.js bundle."""
        return [url for url in self.requests if url.endswith(PLOTLY_BUNDLE)]

    def draw(self, box, timeout=20_000):
        """Scroll a figure box into view and wait until it is drawn or failed.

        Returns
        -------
        str
            ``"drawn"``, the box's ``data-error`` text, or ``"timed out"``.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        box.scroll_into_view_if_needed()
        # Blocks that were off screen take their real height once shown
        # (reading.css), which can push the box out of view again: scroll
        # once more after they have been laid out, as a reader would.
        box.page.evaluate(TWO_FRAMES)
        box.scroll_into_view_if_needed()
        try:
            box.page.wait_for_function(
                "box => box.dataset.drawn === 'true' || 'error' in box.dataset",
                arg=box.element_handle(),
                timeout=timeout,
            )
        except PlaywrightTimeout:
            state = "timed out"
        else:
            drawn = box.get_attribute("data-drawn") == "true"
            state = "drawn" if drawn else box.get_attribute("data-error")
        self.drawn[box.get_attribute("data-figure-id")] = state
        return state


@pytest.fixture(scope="session")
def first_visits():
    """Return `FIRST_VISITS`: the first tab that opened each page URL."""
    return FIRST_VISITS


@pytest.fixture
def open_tab(browser, site):
    """Return a function that opens a fresh tab (own cache and storage)."""
    contexts = []

    def open_(width=1280, height=800, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, **options
        )
        contexts.append(context)
        return Tab(context, site)

    yield open_
    for context in contexts:
        context.close()
