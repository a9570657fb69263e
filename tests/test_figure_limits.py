"""Limits of the figure command: text plotly.js would misread, size, repeatability.

- Data text reaches plotly.js escaped (`figkit.plotly_text`), and text that
  plotly.js would read as a link or an unknown tag is refused.
- A 256 x 256 attention map at 3 decimals fits under the 1 MB limit, with a
  warning that names it.
- Two runs from an empty ``figures/``, with different hash seeds, write the
  same bytes.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scripts import figkit
from scripts.figjson import check_plotly_text
from tests.test_build_figures import (  # noqa: F401 (project is a fixture)
    add_module,
    project,
    run,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[1]

BIG_MODULE = """
    '''One 256 x 256 attention map, the largest a post may show.'''
    import numpy as np
    import plotly.graph_objects as go

    from attention import softmax
    from scripts import figkit

    N = 256
    TOKENS = [f"token {i}" for i in range(N)]


    def _big():
        scores = np.random.default_rng(0).normal(size=(N, N)) * 3
        weights = softmax(scores)
        figure = go.Figure(figkit.attention_heatmap(weights, TOKENS, TOKENS))
        figure.update_layout(**figkit.token_axes(TOKENS, TOKENS))
        text = figkit.strongest_keys_text(weights, TOKENS, TOKENS)
        return figkit.Built(figure, text)


    FIGURES = [figkit.FigureSpec("big-map", "Map", "Random.", "A map", _big, 900)]
"""


class TestPlotlyText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("<br>", "&lt;br&gt;"),
            ("a&amp;b", "a&amp;amp;b"),
            ("x < y > z", "x &lt; y &gt; z"),
            ("cafe\u0301 😀 שלום", "cafe\u0301 😀 שלום"),
        ],
        ids=["tag", "entity", "comparison", "non-ascii"],
    )
    def test_escapes_what_plotly_reads_as_markup(self, text, expected):
        assert figkit.plotly_text(text) == expected

    def test_heatmap_escapes_tokens_in_hover_and_ticks(self):
        tokens = ["<b>", "&"]
        trace = figkit.attention_heatmap(np.eye(2), tokens, tokens)
        axes = figkit.token_axes(tokens, tokens)
        assert list(trace.customdata[0][1]) == ["&lt;b&gt;", "&amp;"]
        assert axes["xaxis"]["ticktext"] == ["&lt;b&gt;", "&amp;"]

    def test_large_heatmap_hovers_positions_not_tokens(self):
        n = figkit.MAX_LABELLED_TOKENS + 1
        tokens = [f"t{i}" for i in range(n)]
        trace = figkit.attention_heatmap(np.eye(n), tokens, tokens)
        assert trace.customdata is None
        assert trace.hovertemplate.startswith("query: %{y}<br>key: %{x}")

    @pytest.mark.parametrize(
        "text",
        ["a<br>b", "<b>x</b> <i>y</i> <sub>1</sub>", "%{y}<extra></extra>", "1 < 2"],
        ids=["break", "styles", "extra", "comparison"],
    )
    def test_accepts_styling_tags(self, text):
        check_plotly_text({"layout": {"title": {"text": text}}})

    @pytest.mark.parametrize(
        ("text", "tag"),
        [
            ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
            ('<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">'),
            ("</script>", "</script>"),
            ('<span onclick="x">', '<span onclick="x">'),
        ],
        ids=["image", "link", "script-end", "span-handler"],
    )
    def test_refuses_other_tags_naming_where(self, text, tag):
        with pytest.raises(ValueError, match="layout.title.text holds the markup"):
            check_plotly_text({"layout": {"title": {"text": text}}}, "figure 'f'")
        with pytest.raises(ValueError, match=re.escape(f"'{tag}'")):
            check_plotly_text({"layout": {"title": {"text": text}}}, "figure 'f'")


def test_256_token_map_fits_with_a_warning(project):  # noqa: F811
    add_module(project, "big", BIG_MODULE)
    result = run(project)
    size = (project / "figures" / "big-map.json").stat().st_size
    assert result.returncode == 0, result.stderr
    assert "scripts/figures/big.py: figure 'big-map' is" in result.stderr
    assert "over the 200000-byte warning size" in result.stderr
    assert 200_000 < size < 1_000_000


def test_clean_runs_write_identical_bytes(project):  # noqa: F811
    def clean_run(seed):
        shutil.rmtree(project / "figures", ignore_errors=True)
        result = subprocess.run(
            [sys.executable, str(project / "scripts" / "build_figures.py")],
            capture_output=True,
            text=True,
            cwd=project,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return snapshot(project)

    assert clean_run("1") == clean_run("2")
