"""Write in the HTML what Material's script would add to it after loading.

Material's script wraps every Markdown table in two ``div`` elements (a
sideways scroller and a padded box) once the page has loaded. The wrappers
change the table's spacing by a few pixels, so everything below the table
moved: a layout shift on every page with a table. This hook writes the same
wrappers at build time, so the page is laid out once. Material's script still
wraps the table again inside them; ``assets/stylesheets/reading.css`` gives
that inner pair no margin or padding, so it changes nothing.

Only tables without attributes are wrapped: Python-Markdown writes its tables
as a bare ``<table>``, and Material wraps only tables without a class.
"""

import re

TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
WRAPPED = (
    '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
    "<table>{}</table></div></div>"
)


def wrap_tables(html):
    """Return ``html`` with each bare ``<table>`` inside Material's wrappers.

    Parameters
    ----------
    html : str
        A page's content, as Python-Markdown rendered it.

    Returns
    -------
    str
    """
    return TABLE.sub(lambda match: WRAPPED.format(match.group(1)), html)


def on_page_content(html, page, config, files):
    """Wrap the page's tables (MkDocs event ``on_page_content``)."""
    return wrap_tables(html)
