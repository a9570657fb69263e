"""Write the figure box that figures.js draws into: one writer for every page.

Used by hooks/figures.py (posts: the figure's JSON is a file named in
``data-figure-src``) and by scripts/notebook.py (notebooks: the JSON is inline
in ``data-figure-json``). Standard library only, so a notebook kernel can import
it as ``hooks.figure_box`` without MkDocs.
"""

import html


def figure_box(meta, source_attribute, source):
    """Return the HTML box of one figure, every text HTML-escaped.

    Parameters
    ----------
    meta : dict
        The figure record: ``id``, ``title``, ``caption``, ``alt``,
        ``height`` (CSS pixels) and ``text`` (lines of the text alternative).
    source_attribute : {"data-figure-src", "data-figure-json"}
        Where figures.js finds the figure's data.
    source : str
        The URL of the figure's JSON relative to the page, or the JSON itself.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If `source_attribute` is neither of the two the script reads.
    """
    if source_attribute not in ("data-figure-src", "data-figure-json"):
        raise ValueError(
            f"figure_box: source_attribute={source_attribute!r}; expected "
            "'data-figure-src' or 'data-figure-json'"
        )
    esc = html.escape
    fid = esc(meta["id"])
    items = "".join(f"<li>{esc(line)}</li>" for line in meta["text"])
    return "\n".join(
        [
            f'<figure class="ua-figure" id="figure-{fid}" data-figure-id="{fid}"',
            f'        {source_attribute}="{esc(source)}">',
            f'  <figcaption class="ua-figure__title">{esc(meta["title"])}</figcaption>',
            f'  <div class="ua-figure__plot" role="img" aria-label="{esc(meta["alt"])}"'
            f' style="height: {int(meta["height"])}px"></div>',
            f'  <p class="ua-figure__caption">{esc(meta["caption"])}</p>',
            '  <details class="ua-figure__text"><summary>The figure as text</summary>',
            f"    <ul>{items}</ul></details>",
            "</figure>",
        ]
    )
