"""The figure command: incremental, deterministic, atomic, with clear errors.

Each test copies the command, the core and a small figure module into a
temporary project and runs the command there as a subprocess, as a user would.
"""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

GOOD_MODULE = """
    '''A figure module for the tests.'''
    import numpy as np
    import plotly.graph_objects as go

    from attention import softmax
    from scripts import figkit

    TOKENS = ["a", "b", "c"]


    def _weights():
        scores = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0]])
        return softmax(scores)


    def _heatmap():
        weights = _weights()
        figure = go.Figure(figkit.attention_heatmap(weights, TOKENS, TOKENS))
        figure.update_layout(**figkit.token_axes(TOKENS, TOKENS))
        return figkit.Built(figure, figkit.strongest_keys_text(weights, TOKENS, TOKENS))


    def _bars():
        figure = go.Figure(go.Bar(x=TOKENS, y=figkit.rounded(_weights()[0])))
        return figkit.Built(figure, ["a: 0.67, b: 0.24, c: 0.09"])


    FIGURES = [
        figkit.FigureSpec("demo-map", "Map", "Computed from fixed scores.", "A map",
                          _heatmap),
        figkit.FigureSpec("demo-bars", "Bars", "Computed from fixed scores.",
                          "Bars", _bars),
    ]


    def values():
        return [figkit.Value("top", float(_weights().max()), ".2f", "largest")]
"""


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    """Return a temporary project with the command, the core and one module."""
    shutil.copytree(ROOT / "attention", tmp_path / "attention")
    (tmp_path / "scripts").mkdir()
    for name in ("__init__.py", "figkit.py", "figjson.py", "build_figures.py"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    # figkit reads the trace types of the site's plotly.js from package.json.
    shutil.copy(ROOT / "package.json", tmp_path / "package.json")
    _write(tmp_path / "scripts" / "figures" / "__init__.py", "")
    _write(tmp_path / "scripts" / "figures" / "demo.py", GOOD_MODULE)
    return tmp_path


def run(project, *args):
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "build_figures.py"), *args],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=120,
    )


def snapshot(project):
    folder = project / "figures"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def add_module(project, name, body):
    _write(project / "scripts" / "figures" / f"{name}.py", body)


class TestWriting:
    def test_writes_figures_values_and_manifest(self, project):
        result = run(project)
        assert result.returncode == 0, result.stderr
        assert sorted(snapshot(project)) == [
            "demo-bars.json",
            "demo-map.json",
            "manifest.json",
            "values.json",
        ]
        values = json.loads((project / "figures" / "values.json").read_text())
        assert values["demo.top"]["format"] == ".2f"

    def test_figure_file_holds_record_and_plain_lists(self, project):
        run(project)
        figure = json.loads((project / "figures" / "demo-map.json").read_text())
        assert figure["meta"]["id"] == "demo-map"
        assert figure["meta"]["text"][0].startswith('"a" attends most to "a"')
        assert isinstance(figure["data"][0]["z"], list)
        assert "uid" not in json.dumps(figure)

    def test_second_run_rewrites_nothing(self, project):
        run(project)
        before = {p: p.stat().st_mtime_ns for p in (project / "figures").iterdir()}
        result = run(project)
        after = {p: p.stat().st_mtime_ns for p in (project / "figures").iterdir()}
        assert after == before
        assert "rebuilt 0 of 1 modules; wrote 0 files" in result.stdout

    def test_forced_rebuild_gives_identical_bytes(self, project):
        run(project)
        first = snapshot(project)
        run(project, "--force")
        assert snapshot(project) == first

    def test_unchanged_inputs_do_not_import_plotly(self, project):
        run(project)
        probe = (
            "import sys; sys.path.insert(0, '.');"
            "from scripts import build_figures;"
            "status = build_figures.main([]);"
            "print(status, 'plotly' in sys.modules)"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, cwd=project
        )
        assert result.stdout.split()[-2:] == ["0", "False"], result.stderr

    def test_changed_core_rebuilds_the_module(self, project):
        run(project)
        core = project / "attention" / "__init__.py"
        core.write_text(core.read_text() + "\n# a change to the core\n")
        result = run(project)
        assert "rebuilt 1 of 1 modules" in result.stdout

    def test_hand_edited_figure_is_repaired(self, project):
        run(project)
        good = snapshot(project)
        (project / "figures" / "demo-map.json").write_text("{}\n")
        run(project)
        assert snapshot(project) == good

    def test_removed_figure_file_is_deleted(self, project):
        run(project)
        (project / "figures" / "old-figure.json").write_text("{}\n")
        result = run(project)
        assert not (project / "figures" / "old-figure.json").exists()
        assert "removed 1" in result.stdout


class TestCheck:
    def test_passes_when_fresh(self, project):
        run(project)
        result = run(project, "--check")
        assert result.returncode == 0, result.stderr

    def test_names_stale_figure(self, project):
        run(project)
        (project / "figures" / "demo-map.json").write_text("{}\n")
        result = run(project, "--check")
        assert result.returncode == 1
        assert "stale: figures/demo-map.json" in result.stderr

    def test_names_missing_figure(self, project):
        run(project)
        (project / "figures" / "demo-bars.json").unlink()
        result = run(project, "--check")
        assert result.returncode == 1
        assert "missing: figures/demo-bars.json" in result.stderr

    def test_names_orphaned_figure(self, project):
        run(project)
        (project / "figures" / "gone.json").write_text("{}\n")
        result = run(project, "--check")
        assert result.returncode == 1
        assert "orphaned: figures/gone.json" in result.stderr

    def test_writes_nothing(self, project):
        run(project)
        (project / "figures" / "demo-map.json").write_text("{}\n")
        before = snapshot(project)
        run(project, "--check")
        assert snapshot(project) == before


# Broken figure modules (a builder that raises, returns something else, or
# produces NaN; duplicate ids; ...) are cases of tests/test_broken_input.py.


def test_large_figure_warns_and_huge_figure_fails(project):
    run(project)
    size = len((project / "figures" / "demo-map.json").read_bytes())
    warned = run(project, "--force", f"--warn-bytes={size - 1}")
    assert warned.returncode == 0
    assert "figure 'demo-map' is" in warned.stderr
    assert f"over the {size - 1}-byte warning size" in warned.stderr
    failed = run(project, "--force", f"--max-bytes={size - 1}")
    assert failed.returncode == 1
    assert f"expected at most {size - 1}" in failed.stderr


def test_committed_figures_are_fresh():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_figures.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
