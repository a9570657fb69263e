"""Unit tests of hooks/layout.py, which writes Material's table wrappers."""

from tests.hook_loader import load_hook

layout = load_hook("layout.py")

TABLE = "<table>\n<thead><tr><th>a</th></tr></thead>\n</table>"
WRAPPER = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'


def test_markdown_table_is_wrapped_as_material_wraps_it():
    out = layout.wrap_tables(f"<p>Before.</p>\n{TABLE}\n<p>After.</p>")

    assert out == f"<p>Before.</p>\n{WRAPPER}{TABLE}</div></div>\n<p>After.</p>"


def test_each_table_gets_its_own_wrappers():
    out = layout.wrap_tables(TABLE + TABLE)

    assert out.count(WRAPPER) == 2
    assert out.endswith("</table></div></div>")


def test_tables_with_attributes_are_left_alone():
    # Material leaves tables with a class alone, and so does the hook.
    page = '<table class="dataframe"><tr><td>1</td></tr></table>'

    assert layout.wrap_tables(page) == page
