"""The site's math font: STIX Two Math, cut down to the glyphs its formulas draw.

``hooks/math.py`` typesets every formula as MathML, which the reader's browser
lays out with an OpenType math font: one with a ``MATH`` table, which gives the
sizes of fraction bars, radicals, scripts and the larger variants of
stretchy parentheses and big operators. Few systems ship a good one (a Linux
desktop often has none, and the browser then falls back to a text font whose
sums and radicals do not stretch), so the site serves its own.

The whole STIX Two Math font is 400 KB as woff2. A page of formulas uses a few
dozen characters, so the hook keeps only those: every character in the MathML
text, the italic forms that single-letter identifiers are drawn with, and the
radical sign that ``<msqrt>`` draws without naming it. fontTools keeps the
glyph variants and assemblies that the ``MATH`` table lists for them.

Nothing here logs or knows about MkDocs: ``hooks/math.py`` calls it.
"""

import hashlib
import html
import re
import tempfile
from pathlib import Path

from _common import write_atomically

# The npm package and file the font comes from (pinned in package-lock.json).
PACKAGE = "@fontsource/stix-two-math"
SOURCE = "files/stix-two-math-latin-400-normal.woff2"

# MathML Core draws a single-character <mi> in italic by mapping the letter to
# the Mathematical Alphanumeric Symbols block. Unicode leaves holes in that
# block where an older character already existed (italic h is U+210E).
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_GREEK_CAPITALS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ∇"
_GREEK_SMALL = "αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ"
ITALIC = {
    **{letter: chr(0x1D434 + i) for i, letter in enumerate(_LATIN)},
    "h": "\u210e",
    "ı": "\U0001d6a4",
    "ȷ": "\U0001d6a5",
    **{letter: chr(0x1D6E2 + i) for i, letter in enumerate(_GREEK_CAPITALS)},
    **{letter: chr(0x1D6FC + i) for i, letter in enumerate(_GREEK_SMALL)},
}

# Drawn by the browser without appearing in the markup: the radical of
# <msqrt> and <mroot>.
ALWAYS = "\u221a"

TAG = re.compile(r"<[^>]*>")
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.DOTALL)
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)


def drawn_characters(markup):
    """Return the characters a browser draws for the MathML in ``markup``.

    Parameters
    ----------
    markup : str
        HTML holding any number of ``<math>`` elements; text outside them is
        ignored, and so are their TeX annotations, which are never shown.

    Returns
    -------
    set of str
        Every character of the formulas' text, the italic form of every
        letter among them, and the radical sign. Empty if there is no math.
    """
    characters = set()
    for formula in MATH.findall(markup):
        text = html.unescape(TAG.sub("", ANNOTATION.sub("", formula)))
        characters.update(text)
    if not characters:
        return set()
    characters.update(ITALIC[c] for c in list(characters) if c in ITALIC)
    characters.update(ALWAYS)
    return characters


def subset(source, characters, cache_dir=None):
    """Return the woff2 bytes of ``source`` cut down to ``characters``.

    Parameters
    ----------
    source : Path
        An OpenType math font (any format fontTools reads).
    characters : iterable of str
    cache_dir : Path, optional
        Where to keep results, keyed by the font's bytes, the characters and
        the fontTools version: cutting takes about two seconds, and
        ``mkdocs serve`` rebuilds often with the same formulas.

    Returns
    -------
    bytes
        The same bytes for the same inputs: fontTools keeps the font's own
        timestamps, and brotli is deterministic.
    """
    import fontTools
    from fontTools import subset as fontsubset

    data = Path(source).read_bytes()
    wanted = "".join(sorted(set(characters)))
    key = hashlib.sha256(
        b"\0".join([data, wanted.encode("utf-8"), fontTools.version.encode()])
    ).hexdigest()[:32]
    cached = Path(cache_dir) / f"{key}.woff2" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()

    options = fontsubset.Options()
    options.layout_features = ["*"]  # ssty, the script-size variants
    options.hinting = False  # browsers render these sizes well without it
    options.flavor = "woff2"
    font = fontsubset.load_font(str(source), options)
    cutter = fontsubset.Subsetter(options)
    cutter.populate(text=wanted)
    cutter.subset(font)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "font.woff2"
        fontsubset.save_font(font, str(path), options)
        result = path.read_bytes()
    if cached is not None:
        write_atomically(cached, result)
    return result
