"""hooks/_plotly_bundle.py builds the site's plotly.js from the real packages.

Each build runs node and esbuild on ``node_modules`` (about half a second);
the browser tests then draw every figure with the bundle the site serves.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from tests.hook_loader import load_hook

ROOT = Path(__file__).resolve().parents[1]
_plotly_bundle = load_hook("_plotly_bundle.py")

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules" / "plotly.js" / "lib" / "core.js").is_file(),
    reason="needs plotly.js and esbuild in node_modules (npm ci)",
)


def project_with_traces(root, traces):
    """Write a project whose package.json lists ``traces``, modules linked."""
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    manifest["plotlyBundle"] = {"traces": traces}
    (root / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Return the bundle built for the project, and the cache it went to."""
    cache = tmp_path_factory.mktemp("plotly-cache")
    return _plotly_bundle.bundle(ROOT, cache), cache


class TestBundle:
    def test_defines_plotly_and_names_version_and_traces(self, built):
        data, _ = built
        version = json.loads(
            (ROOT / "node_modules/plotly.js/package.json").read_text("utf-8")
        )["version"]

        first_line, _, code = data.decode("utf-8").partition("\n")

        assert first_line.startswith(f"/* plotly.js v{version} (bar, heatmap, scatter)")
        assert "MIT License" in first_line
        assert code.startswith("var Plotly=")

    def test_leaves_out_attribute_descriptions(self, built):
        data, _ = built
        # From the documentation of every trace's `x`; no plot draws it.
        assert b"Sets the x coordinates." not in data
        assert data.count(b'description:""') > 500

    def test_holds_no_trace_beyond_the_listed_ones(self, built):
        data, _ = built
        # Each trace module registers itself under its own name.
        present = [
            name
            for name in (
                b"bar",
                b"heatmap",
                b"scatter",
                b"violin",
                b"pie",
                b"histogram2d",
            )
            if b'name:"' + name + b'"' in data
        ]
        assert present == [b"bar", b"heatmap", b"scatter"]

    def test_same_inputs_give_the_same_bytes(self, built, tmp_path):
        data, _ = built
        assert _plotly_bundle.bundle(ROOT, tmp_path) == data

    def test_second_build_comes_from_the_cache_without_node(self, built, monkeypatch):
        data, cache = built
        monkeypatch.setenv("PATH", "")
        monkeypatch.setattr(_plotly_bundle.shutil, "which", lambda name: None)

        again = _plotly_bundle.bundle(ROOT, cache)

        assert again == data
        assert [path.suffix for path in cache.iterdir()] == [".js"]

    def test_trace_order_does_not_change_the_bundle(self, built, tmp_path):
        data, _ = built
        root = project_with_traces(tmp_path, ["scatter", "heatmap", "bar"])

        assert _plotly_bundle.bundle(root, tmp_path / "cache") == data


class TestErrors:
    def test_unknown_trace_names_the_trace_and_where_names_come_from(self, tmp_path):
        root = project_with_traces(tmp_path, ["bar", "heatmapp"])

        with pytest.raises(PluginError, match=r"\['heatmapp'\], which plotly.js"):
            _plotly_bundle.bundle(root, tmp_path / "cache")

    @pytest.mark.parametrize(
        "traces", [None, "bar", ["bar", 3]], ids=["missing", "string", "number"]
    )
    def test_trace_list_that_is_not_a_list_of_names(self, tmp_path, traces):
        root = project_with_traces(tmp_path, traces)

        with pytest.raises(PluginError, match="plotlyBundle.traces = "):
            _plotly_bundle.bundle(root, tmp_path / "cache")

    def test_missing_packages_ask_for_npm_ci(self, tmp_path):
        shutil.copy(ROOT / "package.json", tmp_path / "package.json")

        with pytest.raises(PluginError, match="run `npm ci`"):
            _plotly_bundle.bundle(tmp_path, tmp_path / "cache")

    def test_missing_node_is_named(self, tmp_path, monkeypatch):
        monkeypatch.setattr(_plotly_bundle.shutil, "which", lambda name: None)

        with pytest.raises(PluginError, match="`node` is not on PATH"):
            _plotly_bundle.bundle(ROOT, tmp_path)

    def test_failed_build_writes_nothing_to_the_cache(self, tmp_path, monkeypatch):
        monkeypatch.setattr(
            _plotly_bundle, "BUILD_JS", "process.stderr.write('boom'); process.exit(3)"
        )

        with pytest.raises(PluginError, match="node exited with 3.*boom"):
            _plotly_bundle.bundle(ROOT, tmp_path / "cache")

        assert not (tmp_path / "cache").exists()
        assert os.listdir(tmp_path) == []
