"""Build the site into a folder and serve it on 127.0.0.1.

Used by the scripts that drive a browser: `scripts/screenshot.py` and
`scripts/bench_site.py`.

The server answers as GitHub Pages does where it matters to a reader's browser:
text files gzipped when the browser accepts it, and ``Cache-Control:
max-age=600`` on every file.
"""

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

# What GitHub Pages compresses; images and fonts are compressed already.
GZIPPED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


def find_chromium():
    """Return the path of a Chromium-like browser (``CHROMIUM_PATH`` first).

    Raises
    ------
    SystemExit
        If no browser is found.
    """
    wanted = os.environ.get("CHROMIUM_PATH")
    for name in ([wanted] if wanted else []) + list(BROWSER_CANDIDATES):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit(
        "no Chromium found: set CHROMIUM_PATH or install one of "
        + ", ".join(BROWSER_CANDIDATES)
    )


def build_site(folder, site_url):
    """Run a strict ``mkdocs build`` of the project into ``folder``.

    Parameters
    ----------
    folder : Path
        Where the site is written (emptied first by MkDocs).
    site_url : str
        The build's ``site_url``: the origin the site is served at, so that
        Material's instant navigation works there.

    Raises
    ------
    SystemExit
        If the build fails; its last output lines are shown.
    """
    # Beside mkdocs.yml, so that the relative paths inside it resolve as usual.
    with tempfile.NamedTemporaryFile(
        "w", dir=ROOT, prefix=".mkdocs-local-", suffix=".yml", delete=False
    ) as config:
        config.write(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n")
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
        command += ["--config-file", config.name, "--site-dir", str(folder)]
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, check=False
        )
    finally:
        os.unlink(config.name)
    if result.returncode != 0:
        raise SystemExit(
            f"mkdocs build failed (exit code {result.returncode}):\n"
            f"{result.stderr[-3000:]}"
        )


class _PagesHandler(SimpleHTTPRequestHandler):
    """Serve files gzipped (when accepted) with a ten-minute cache lifetime."""

    compressed = {}

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # redirects to the folder's "/" URL
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIPPED_SUFFIXES and path.is_file()):
            return super().send_head()
        key = (str(path), path.stat().st_mtime_ns)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), 6, mtime=0)
        body = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(key[1] / 1e9)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):
        pass


class _Body:
    """A file-like body for `SimpleHTTPRequestHandler.copyfile`."""

    def __init__(self, data):
        self.data = data

    def read(self, size=-1):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@contextmanager
def serving(folder=None):
    """Serve ``folder`` on 127.0.0.1 in a thread; yield ``(server, origin)``.

    The port is bound first, so that a caller can build for the origin before
    it puts files in ``folder`` (the handler reads the folder on each request).
    """
    folder = Path(folder or tempfile.mkdtemp(prefix="ua-site-"))
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_PagesHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
