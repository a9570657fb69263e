"""Make two builds of the same commit write the same bytes.

Two sources of difference remain once ``SOURCE_DATE_EPOCH`` fixes the dates
(the Makefile sets it from the last commit):

- notebook pages: jupytext gives every cell a random id when it reads a
  percent-format ``.py`` file, and nbconvert writes it as ``id="cell-id=..."``;
  the kernel also splits one cell's printed text into several outputs at
  moments that depend on timing, and each becomes its own ``<pre>`` block;
- the feed: mkdocs-rss-plugin 1.17 writes ``<image><url>None</url>...`` when no
  feed image is configured, which is not a valid RSS image.

Limitation: the two notebook fixes match the HTML that nbconvert 7's lab
template writes. If a new template writes other markup, the reproducibility
test in ``tests/test_publishing.py`` names the page that differs.
"""

import logging
import re
from itertools import count
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.attention_reproducible")

CELL_ID = re.compile(r'id="cell-id=[^"]*"')

# The end of one printed-text output and the start of the next one: what
# nbconvert writes between two consecutive outputs of the same stream.
STREAM_SEAM = re.compile(
    r"</pre>\s*</div>\s*</div>\s*"
    r'<div class="jp-OutputArea-child">\s*'
    r'<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\s*'
    r'<div class="jp-RenderedText jp-OutputArea-output" '
    r'data-mime-type="(?P<mime>[^"]+)" tabindex="0">\s*<pre>'
)
STREAM_OPENING = re.compile(r'data-mime-type="(?P<mime>[^"]+)" tabindex="0">\s*<pre>')

NO_FEED_IMAGE = re.compile(r"<image>\s*<url>None</url>.*?</image>\s*", re.DOTALL)


def _join_streams(html):
    """Return ``html`` with consecutive outputs of one stream joined into one."""

    def join(seam):
        before = html[: seam.start()]
        opening = list(STREAM_OPENING.finditer(before))
        if opening and opening[-1].group("mime") == seam.group("mime"):
            return ""
        return seam.group(0)

    return STREAM_SEAM.sub(join, html)


def on_page_content(html, page, config, files):
    """Give notebook cells stable ids and join split outputs (``on_page_content``).

    Runs before the search plugin reads the page, so the search index is stable
    too. Pages without notebook cells are returned unchanged.

    Returns
    -------
    str
        The page's HTML.
    """
    if 'id="cell-id=' not in html:
        return html
    numbers = count(1)
    html = CELL_ID.sub(lambda _: f'id="cell-id={next(numbers)}"', html)
    html = _join_streams(html)
    log.debug(f"{page.file.src_uri}: numbered notebook cell ids")
    return html


def on_post_build(config):
    """Drop the feed's empty image element (MkDocs event ``on_post_build``).

    Rewrites each ``feed_rss_*.xml`` in ``site_dir`` that has one.
    """
    for feed in sorted(Path(config.site_dir).glob("feed_rss_*.xml")):
        text = feed.read_text(encoding="utf-8")
        fixed = NO_FEED_IMAGE.sub("", text)
        if fixed != text:
            feed.write_text(fixed, encoding="utf-8")
            log.debug(f"{feed.name}: removed the image element without a URL")
