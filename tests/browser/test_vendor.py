"""hooks/vendor.py and the npm pins behind it (no browser needed)."""

import json
import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, get_files

ROOT = Path(__file__).resolve().parents[2]
PLOTLY_PACKAGE = "plotly.js-cartesian-dist-min"


# A package tree shaped like the pinned versions, with placeholder contents.
FAKE_PACKAGES = {
    PLOTLY_PACKAGE: ["plotly-cartesian.min.js", "LICENSE"],
    "katex": ["LICENSE", "dist/katex.min.js", "dist/katex.min.css"],
    "@fontsource/stix-two-math": [
        "LICENSE",
        "files/stix-two-math-latin-400-normal.woff2",
    ],
}

# KaTeX's stylesheet is left behind: formulas are MathML. The font itself is
# written by hooks/math.py, cut to the glyphs the site draws.
EXPECTED_URIS = {
    "assets/vendor/plotly/plotly-cartesian.min.js",
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

        bundle = files.get_file_from_path(
            "assets/vendor/plotly/plotly-cartesian.min.js"
        )
        assert bundle.content_string == "/* plotly-cartesian.min.js */\n"

    def test_missing_node_modules_asks_for_npm_ci(self, tmp_path):
        config = make_project(tmp_path, with_modules=False)

        with pytest.raises(PluginError, match="run `npm ci`"):
            on_files(Files([]), config=config)

    def test_stale_node_modules_names_both_versions(self, tmp_path):
        config = make_project(tmp_path, installed="0.9.0", locked="1.0.0")

        with pytest.raises(PluginError, match="0.9.0 but package-lock.json pins 1.0.0"):
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
            for name, version in manifest["dependencies"].items()
            if not version[0].isdigit()
        }

        assert ranges == {}
