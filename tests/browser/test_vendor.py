"""hooks/vendor.py and the npm pins behind it (no browser needed).

The hook's own tests run on a fake package tree, with the plotly.js bundler
replaced by a stand-in; tests/test_plotly_bundle.py builds the real bundle.
"""

import importlib
import json
import logging
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, get_files

ROOT = Path(__file__).resolve().parents[2]
PLOTLY_PACKAGE = "plotly.js"
BUNDLE_URI = "assets/vendor/plotly/plotly.min.js"


# A package tree shaped like the pinned versions, with placeholder contents.
FAKE_PACKAGES = {
    PLOTLY_PACKAGE: ["LICENSE", "lib/core.js", "lib/bar.js"],
    "esbuild": ["lib/main.js"],
    "events": ["events.js"],
    "katex": ["LICENSE", "dist/katex.min.js", "dist/katex.min.css"],
    "@fontsource/stix-two-math": [
        "LICENSE",
        "files/stix-two-math-latin-400-normal.woff2",
    ],
}

# KaTeX's stylesheet is left behind: formulas are MathML. The font itself is
# written by hooks/math.py, cut to the glyphs the site draws.
EXPECTED_URIS = {
    BUNDLE_URI,
    "assets/vendor/plotly/LICENSE.txt",
    "assets/vendor/katex/katex.min.js",
    "assets/vendor/katex/LICENSE.txt",
    "assets/vendor/stix-two-math/LICENSE.txt",
}


def make_project(root, installed="1.0.0", locked="1.0.0", with_modules=True):
    """Write mkdocs.yml, package-lock.json and fake node_modules under root."""
    (root / "docs").mkdir()
    hook = ROOT / "hooks" / "vendor.py"
    (root / "mkdocs.yml").write_text(f"site_name: Fixture\nhooks:\n  - {hook}\n")
    packages = {f"node_modules/{name}": {"version": locked} for name in FAKE_PACKAGES}
    (root / "package-lock.json").write_text(json.dumps({"packages": packages}))
    if with_modules:
        for name, paths in FAKE_PACKAGES.items():
            package = root / "node_modules" / name
            for path in paths:
                (package / path).parent.mkdir(parents=True, exist_ok=True)
                (package / path).write_text(f"/* {path} */\n")
            (package / "package.json").write_text(json.dumps({"version": installed}))
    return load_config(str(root / "mkdocs.yml"))


def bundler_module():
    """Return hooks/_plotly_bundle.py as the hook will import it: by plain name.

    MkDocs puts hooks/ on ``sys.path`` while it loads vendor.py, whose
    ``import _plotly_bundle`` then finds this module in ``sys.modules``.
    hooks/ goes last on the path here, so that hooks/math.py cannot stand in
    for the standard library's math.
    """
    if "_plotly_bundle" not in sys.modules:
        sys.path.append(str(ROOT / "hooks"))
        try:
            importlib.import_module("_plotly_bundle")
        finally:
            sys.path.remove(str(ROOT / "hooks"))
    return sys.modules["_plotly_bundle"]


@pytest.fixture(autouse=True)
def fake_bundler(monkeypatch):
    """Stand in for the plotly.js bundler: record its calls, return fixed bytes."""
    calls = []

    def bundle(root, cache_dir):
        calls.append((Path(root), Path(cache_dir)))
        return b"/* the bundle */\n"

    monkeypatch.setattr(bundler_module(), "bundle", bundle)
    return calls


def on_files(files, config):
    """Run the on_files event as MkDocs does, through the plugin collection."""
    return config.plugins.on_files(files, config=config)


class TestOnFiles:
    def test_adds_plotly_katex_and_the_licences(self, tmp_path):
        config = make_project(tmp_path)

        files = on_files(Files([]), config=config)

        assert {file.src_uri for file in files} == EXPECTED_URIS

    def test_copies_bytes_from_node_modules(self, tmp_path):
        config = make_project(tmp_path)

        files = on_files(Files([]), config=config)

        katex = files.get_file_from_path("assets/vendor/katex/katex.min.js")
        assert katex.content_string == "/* dist/katex.min.js */\n"

    def test_serves_the_bundle_built_in_the_project_cache(self, tmp_path, fake_bundler):
        config = make_project(tmp_path)

        files = on_files(Files([]), config=config)

        assert files.get_file_from_path(BUNDLE_URI).content_bytes == (
            b"/* the bundle */\n"
        )
        assert fake_bundler == [(tmp_path, tmp_path / ".cache" / "plotly")]

    def test_missing_node_modules_asks_for_npm_ci(self, tmp_path):
        config = make_project(tmp_path, with_modules=False)

        with pytest.raises(PluginError, match="run `npm ci`"):
            on_files(Files([]), config=config)

    def test_stale_node_modules_names_both_versions(self, tmp_path):
        config = make_project(tmp_path, installed="0.9.0", locked="1.0.0")

        with pytest.raises(PluginError, match="0.9.0 but package-lock.json pins 1.0.0"):
            on_files(Files([]), config=config)

    def test_stale_bundler_names_the_package(self, tmp_path):
        config = make_project(tmp_path)
        esbuild = tmp_path / "node_modules" / "esbuild" / "package.json"
        esbuild.write_text(json.dumps({"version": "0.9.0"}))

        with pytest.raises(PluginError, match="esbuild 0.9.0 but package-lock"):
            on_files(Files([]), config=config)

    def test_committed_copy_is_replaced_with_a_warning(self, tmp_path, caplog):
        config = make_project(tmp_path)
        committed = tmp_path / "docs/assets/vendor/katex/katex.min.js"
        committed.parent.mkdir(parents=True)
        committed.write_text("old")

        with caplog.at_level(logging.WARNING, logger="mkdocs.plugins"):
            files = on_files(get_files(config), config=config)

        replaced = files.get_file_from_path("assets/vendor/katex/katex.min.js")
        assert replaced.content_string == "/* dist/katex.min.js */\n"
        assert "delete the committed copy" in caplog.text


class TestPins:
    def test_plotly_bundle_matches_plotly_python(self):
        offline = pytest.importorskip("plotly.offline")
        lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))

        pinned = lock["packages"][f"node_modules/{PLOTLY_PACKAGE}"]["version"]

        assert pinned == offline.get_plotlyjs_version()

    def test_package_json_pins_exact_versions(self):
        manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))

        ranges = {
            name: version
            for table in ("dependencies", "devDependencies")
            for name, version in manifest[table].items()
            if not version[0].isdigit()
        }

        assert ranges == {}
