"""Unit tests of hooks/_math_font.py: which glyphs a formula draws, and the cut."""

import os
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.hook_loader import load_hook

ROOT = Path(__file__).resolve().parents[1]
_math_font = load_hook("_math_font.py")
_common = load_hook("_common.py")

FONT = ROOT / "node_modules" / _math_font.PACKAGE / _math_font.SOURCE
needs_font = pytest.mark.skipif(
    not FONT.is_file(), reason="needs the math font in node_modules (npm ci)"
)

# What KaTeX writes for \sqrt{d_k} \cdot \text{std}, inline.
FORMULA = (
    '<span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML">'
    "<semantics><mrow><msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt>"
    "<mo>&#x22C5;</mo><mtext>std</mtext></mrow>"
    '<annotation encoding="application/x-tex">\\sqrt{d_k} \\cdot \\text{std}'
    "</annotation></semantics></math></span>"
)


class TestDrawnCharacters:
    def test_text_italic_letters_and_radical(self):
        drawn = _math_font.drawn_characters(f"<p>Prose {FORMULA} prose.</p>")

        assert drawn == set("dkst\u22c5") | {
            "\U0001d451",  # italic d
            "\U0001d458",  # italic k
            "\U0001d460",  # italic s
            "\U0001d461",  # italic t
            "\u221a",
        }

    def test_annotation_and_prose_are_not_drawn(self):
        drawn = _math_font.drawn_characters(f"<p>Zebra {FORMULA}</p>")
        assert not {"Z", "\\", "{", "q"} & drawn

    def test_page_without_math_draws_nothing(self):
        assert _math_font.drawn_characters("<p>x<sub>2</sub> and \u221a</p>") == set()

    def test_entities_are_decoded(self):
        markup = "<math><mo>&lt;</mo><mo>&#x2211;</mo></math>"
        drawn = _math_font.drawn_characters(markup)
        assert {"<", "\u2211"} <= drawn and "&" not in drawn

    @pytest.mark.parametrize(
        ("letter", "italic"),
        [
            ("A", "\U0001d434"),
            ("z", "\U0001d467"),
            ("h", "\u210e"),  # the hole in the italic block
            ("\u03b1", "\U0001d6fc"),  # alpha
            ("\u03a9", "\U0001d6fa"),  # capital omega, after the theta symbol
            ("\u2202", "\U0001d715"),  # partial
            ("\u03d6", "\U0001d71b"),  # pi symbol, the block's last
        ],
    )
    def test_italic_forms_follow_the_unicode_block(self, letter, italic):
        assert _math_font.ITALIC[letter] == italic


@needs_font
class TestSubset:
    CHARACTERS = set("(=)1k") | {"\U0001d458", "\u2211", "\u221a"}

    def test_keeps_every_wanted_character_and_the_math_table(self, tmp_path):
        data = _math_font.subset(FONT, self.CHARACTERS)
        (tmp_path / "cut.woff2").write_bytes(data)

        font = TTFont(tmp_path / "cut.woff2")

        assert font.flavor == "woff2"
        assert set(map(chr, font.getBestCmap())) == self.CHARACTERS
        assert "MATH" in font
        # The stretchy parenthesis keeps its larger sizes.
        variants = font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs
        assert font.getBestCmap()[ord("(")] in variants

    def test_is_small_and_the_same_every_time(self):
        first = _math_font.subset(FONT, self.CHARACTERS)
        second = _math_font.subset(FONT, self.CHARACTERS)

        assert first == second
        assert len(first) < FONT.stat().st_size / 20

    def test_cache_is_filled_then_used(self, tmp_path):
        first = _math_font.subset(FONT, self.CHARACTERS, cache_dir=tmp_path)
        (cached,) = tmp_path.glob("*.woff2")
        cached.write_bytes(b"from the cache")

        again = _math_font.subset(FONT, self.CHARACTERS, cache_dir=tmp_path)
        other = _math_font.subset(FONT, self.CHARACTERS | {"x"}, cache_dir=tmp_path)

        assert first != b"from the cache"
        assert again == b"from the cache"
        assert other != b"from the cache"


class TestWriteAtomically:
    def test_writes_a_readable_file_and_leaves_no_temporary(self, tmp_path):
        target = tmp_path / "deep" / "math.woff2"

        _common.write_atomically(target, b"font")

        assert target.read_bytes() == b"font"
        assert os.stat(target).st_mode & 0o777 == 0o644
        assert [p.name for p in target.parent.iterdir()] == ["math.woff2"]

    def test_failed_write_keeps_the_old_file(self, tmp_path, monkeypatch):
        target = tmp_path / "math.woff2"
        target.write_bytes(b"old")

        def broken(*args):
            raise OSError("disk full")

        monkeypatch.setattr(_common.os, "replace", broken)
        with pytest.raises(OSError, match="disk full"):
            _common.write_atomically(target, b"new")

        assert target.read_bytes() == b"old"
        assert [p.name for p in tmp_path.iterdir()] == ["math.woff2"]
