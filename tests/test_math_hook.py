"""Unit tests of hooks/math.py, which typesets formulas with KaTeX under Node."""

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from fontTools.ttLib import TTFont
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
MATHML = "http://www.w3.org/1998/Math/MathML"
BROKEN = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'


def typeset(page_html):
    return math_hook.typeset(page_html, PAGE, KATEX)


class TestTypeset:
    @pytest.mark.parametrize(
        ("source", "marker"),
        [
            (INLINE, f'<math xmlns="{MATHML}">'),
            (DISPLAY, f'<math xmlns="{MATHML}" display="block">'),
            (ENVIRONMENT, f'<math xmlns="{MATHML}" display="block">'),
        ],
        ids=["inline", "display", "environment"],
    )
    def test_formula_becomes_mathml_in_its_wrapper(self, source, marker):
        out = typeset(source)
        assert marker in out
        assert 'class="arithmatex"' in out
        assert "katex-error" not in out
        assert "\\(" not in out and "\\[" not in out

    def test_no_katex_html_layer_is_written(self):
        # The visual layer of KaTeX's default output needs its stylesheet and
        # fonts, which the site no longer serves.
        out = typeset(INLINE + DISPLAY)
        assert "katex-html" not in out and "katex-mathml" not in out
        assert out.count("<math ") == 2

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


class TestFont:
    PAGE_HTML = "<html><head><title>t</title></head><body>{}</body></html>"

    def test_page_with_math_preloads_the_font_relative_to_itself(self):
        page_html = self.PAGE_HTML.format(typeset(INLINE))

        out = math_hook.preload_font(page_html, "blog/part-1/")

        head = out[: out.index("</head>")]
        assert (
            '<link rel="preload" href="../../assets/vendor/stix-two-math/math.woff2" '
            'as="font" type="font/woff2" crossorigin>'
        ) in head

    def test_page_without_math_gets_no_preload(self):
        page_html = self.PAGE_HTML.format("<p>No formulas.</p>")
        assert math_hook.preload_font(page_html, "notation/") is page_html

    def test_build_writes_the_font_cut_to_what_the_pages_drew(self, tmp_path):
        config = SimpleNamespace(
            config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path)
        )
        page = SimpleNamespace(file=SimpleNamespace(src_uri=PAGE), url="blog/part-1/")
        math_hook.on_pre_build(config)
        math_hook.on_post_page(self.PAGE_HTML.format(DISPLAY), page, config)

        math_hook.on_post_build(config)

        font = TTFont(tmp_path / math_hook.FONT_URI)
        covered = set(map(chr, font.getBestCmap()))
        # QK^T / sqrt(d_k): upright capitals in the source, italic on screen.
        assert {"\U0001d444", "\U0001d43e", "\U0001d447", "\u221a"} <= covered
        assert "Z" not in covered and "\U0001d44d" not in covered
        assert "MATH" in font

    def test_build_without_math_writes_no_font(self, tmp_path):
        config = SimpleNamespace(
            config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path)
        )
        page = SimpleNamespace(file=SimpleNamespace(src_uri=PAGE), url="blog/part-1/")
        math_hook.on_pre_build(config)
        math_hook.on_post_page(self.PAGE_HTML.format("<p>Prose.</p>"), page, config)

        math_hook.on_post_build(config)

        assert not (tmp_path / math_hook.FONT_URI).exists()


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

    def test_missing_font_asks_for_npm_ci(self, tmp_path):
        katex = tmp_path / "node_modules" / "katex" / "dist" / "katex.js"
        katex.parent.mkdir(parents=True)
        katex.write_text("")
        config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
        with pytest.raises(PluginError, match="math font is not installed.*npm ci"):
            math_hook.on_config(config)
