"""Show figures in companion notebooks as the same figure boxes the posts use.

Plotly's own notebook output does not survive the site build (mkdocs-jupyter
drops its MIME type, and its HTML renderers embed or fetch plotly.js and a
random uuid). Instead a notebook cell returns the figure box HTML of the posts,
with the figure JSON inline in ``data-figure-json``; the site's figures.js draws
it like any other figure. Ids are fixed, so an executed notebook renders the
same bytes every time.
"""

import importlib
import json
from dataclasses import replace

from hooks.figure_box import figure_box as box_html
from scripts import figkit
from scripts.build_figures import module_names


def find_spec(figure_id):
    """Return the `FigureSpec` with this id from the figure modules.

    Parameters
    ----------
    figure_id : str

    Returns
    -------
    figkit.FigureSpec

    Raises
    ------
    ValueError
        If no module under ``scripts/figures/`` declares the id.
    """
    known = []
    for name in module_names():
        module = importlib.import_module(f"scripts.figures.{name}")
        for spec in module.FIGURES:
            if spec.id == figure_id:
                return spec
            known.append(spec.id)
    raise ValueError(
        f"notebook.find_spec: no figure '{figure_id}' in scripts/figures/; "
        f"known ids: {', '.join(known)}"
    )


def figure_box(spec, built):
    """Return the figure box HTML of a built figure, its data inline.

    Parameters
    ----------
    spec : figkit.FigureSpec
        Title, caption, alt text, height and the id; the box's HTML id is
        ``figure-<id>``, so give each figure shown on one page its own id.
    built : figkit.Built

    Returns
    -------
    str
        The ``<figure class="ua-figure">`` element the posts use, with
        ``data-figure-json`` in place of ``data-figure-src``.

    Raises
    ------
    ValueError
        If the figure holds NaN, infinity or numpy arrays.
    TypeError
        If `built` is not a `figkit.Built`.
    """
    data = figkit.figure_dict(spec, built)
    # to_json refuses NaN and arrays; the attribute then gets the compact form.
    checked = json.loads(figkit.to_json(data, f"notebook figure '{spec.id}'"))
    compact = json.dumps(
        checked, sort_keys=True, allow_nan=False, separators=(",", ":")
    )
    return box_html(checked["meta"], "data-figure-json", compact)


def show_built(spec, built, **changes):
    """Display a figure built in the notebook, such as one for a new query.

    Parameters
    ----------
    spec : figkit.FigureSpec
        The record to take title, caption, alt text and height from.
    built : figkit.Built
    **changes
        Fields of `spec` to replace, such as ``id``, ``title`` or ``caption``;
        a new ``id`` keeps two boxes on one page apart.

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    return HTML(figure_box(replace(spec, **changes), built))


def show(figure):
    """Display a figure of the posts by id, built fresh from the core.

    Parameters
    ----------
    figure : str or figkit.FigureSpec
        A figure id such as ``"library-weights"``, or the record itself.

    Returns
    -------
    IPython.display.HTML
    """
    spec = find_spec(figure) if isinstance(figure, str) else figure
    return show_built(spec, spec.build())
