"""Unit tests of hooks/math.py, which typesets formulas with KaTeX under Node."""

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tests.hook_loader import load_hook

ROOT = Path(__file__).resolve().parents[1]
KATEX = ROOT / "node_modules" / "katex" / "dist" / "katex.js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not KATEX.is_file(),
    reason="needs node and node_modules/katex (npm ci)",
)


math_hook = load_hook("math.py")

PAGE = "blog/posts/part-1.md"
INLINE = '<p>Scores <span class="arithmatex">\\(q \\cdot k &lt; 1\\)</span>.</p>'
DISPLAY = '<div class="arithmatex">\\[\n\\frac{QK^T}{\\sqrt{d_k}}\n\\]</div>'
ENVIRONMENT = (
    '<div class="arithmatex">\\begin{aligned} a &amp;= b \\\\ c &amp;= d'
    "\\end{aligned}</div>"
)
BROKEN = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'


def typeset(page_html):
    return math_hook.typeset(page_html, PAGE, KATEX)


class TestTypeset:
    @pytest.mark.parametrize(
        ("source", "marker"),
        [
            (INLINE, '<span class="katex">'),
            (DISPLAY, '<span class="katex-display">'),
            (ENVIRONMENT, '<span class="katex-display">'),
        ],
        ids=["inline", "display", "environment"],
    )
    def test_formula_becomes_katex_html_in_its_wrapper(self, source, marker):
        out = typeset(source)
        assert marker in out
        assert 'class="arithmatex"' in out
        assert "katex-error" not in out
        assert "\\(" not in out and "\\[" not in out

    def test_escaped_tex_reaches_katex_unescaped(self):
        out = typeset(INLINE)
        assert '<annotation encoding="application/x-tex">q \\cdot k &lt; 1' in out

    def test_page_without_math_is_returned_unchanged(self):
        page_html = "<p>No formulas, only \\( in prose.</p>"
        assert typeset(page_html) is page_html

    def test_same_page_typesets_to_the_same_bytes(self):
        page_html = INLINE + DISPLAY + ENVIRONMENT
        assert typeset(page_html) == typeset(page_html)

    def test_bad_formula_warns_with_page_and_formula(self, caplog):
        with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention_math"):
            out = typeset(INLINE + BROKEN)
        (record,) = caplog.records
        assert record.levelno == logging.WARNING
        assert record.getMessage().startswith(f"{PAGE}: KaTeX cannot typeset ")
        assert "'\\frac{1}{'" in record.getMessage()
        assert "KaTeX parse error" in record.getMessage()
        assert "katex-error" in out


class TestSetup:
    def test_missing_katex_asks_for_npm_ci(self, tmp_path):
        config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
        with pytest.raises(PluginError, match="npm ci"):
            math_hook.on_config(config)

    def test_missing_node_asks_for_npm_ci(self, monkeypatch):
        monkeypatch.setattr(math_hook.shutil, "which", lambda name: None)
        config = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"))
        with pytest.raises(PluginError, match="npm ci"):
            math_hook.on_config(config)
