"""Build a small fixture site with the project's hooks and serve it locally.

Browser tests whose pages the real site does not have (hostile text, a page of
50 figures, figure controls that no post uses yet) write a fixture site into a
temporary folder: ``mkdocs.yml``, ``docs/`` and ``figures/``, with the
project's own scripts and stylesheets copied in (`copy_assets`). `serve_fixture`
builds it strictly and serves it on 127.0.0.1; the tests then drive it with
conftest's tabs, as they drive the real site.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FixtureSite:
    """The built fixture, served on ``origin`` (what conftest's Tab needs)."""

    folder: Path
    origin: str
    build: subprocess.CompletedProcess

    def url(self, page):
        """Return the URL of ``page`` (``stress/index.html``)."""
        return self.origin + page.removesuffix("index.html")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def copy_assets(root, assets):
    """Copy the project's files ``docs/assets/<asset>`` into the fixture.

    The front-end packages come along: ``package.json``, its lock and a link
    to ``node_modules``, which hooks/vendor.py copies plotly.js from.
    """
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    for asset in assets:
        target = root / "docs" / "assets" / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / "assets" / asset, target)


@contextmanager
def serve_fixture(write, prefix):
    """Write a fixture site with ``write(root)``, build it and serve it.

    Fails the test, with the build's errors, if the strict build fails.

    Yields
    ------
    FixtureSite
    """
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        write(root)
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            timeout=180,
            check=False,
        )
        if build.returncode != 0:
            pytest.fail(f"the fixture site did not build:\n{build.stderr[-4000:]}")
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(_Quiet, directory=str(root / "site"))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield FixtureSite(
                root, f"http://127.0.0.1:{server.server_address[1]}/", build
            )
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
