"""Shared pieces for figure modules: records, the house template, serialisation.

A figure module under `scripts/figures/` declares what a post shows:

- ``FIGURES``: a list of `FigureSpec` records (id, title, caption, alt text and
  the function that builds the figure and its text alternative);
- ``values()``: a function returning the `Value` records the post quotes.

`scripts/build_figures.py` imports the modules, builds the records and writes
``figures/<id>.json`` (`figure_dict`, then `to_json`) and ``figures/values.json``.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from scripts.figjson import check_plotly_text
from scripts.figjson import dumps as to_json  # noqa: F401 (re-exported)

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Limitation: heatmap axes label at most 64 tokens; no post needs more. Thin the
# labels here if one ever does.
MAX_LABELLED_TOKENS = 64

# Transparent backgrounds and no hard-coded text colour: the page script sets
# font and grid colours from the reader's palette when it draws the figure.
TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=dict(l=60, r=20, t=30, b=50),
        hoverlabel=dict(align="left"),
        colorway=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"],
    )
)

# The site serves plotly.js bundled with only these trace types
# (hooks/_plotly_bundle.py); package.json lists them.
PACKAGE_JSON = Path(__file__).resolve().parents[1] / "package.json"


@cache
def bundled_traces():
    """Return the plotly.js trace types the site's bundle holds.

    Returns
    -------
    tuple of str
        ``plotlyBundle.traces`` in ``package.json``, sorted.
    """
    manifest = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    return tuple(sorted(manifest["plotlyBundle"]["traces"]))


# A sequential scale that colour-blind readers can tell apart (cividis).
HEATMAP_COLORSCALE = "Cividis"


@dataclass(frozen=True)
class Built:
    """What a figure builder returns.

    Attributes
    ----------
    figure : plotly.graph_objects.Figure
    text : list of str
        The text alternative, one line per item, made from the same numbers as
        the figure (for an attention map: each query's strongest keys).
    """

    figure: go.Figure
    text: list[str]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of a post.

    Attributes
    ----------
    id : str
        Lowercase kebab-case, unique across the site, stable once published.
    title : str
    caption : str
        What to notice, and where the numbers come from.
    alt : str
        A short description for readers who cannot see the plot.
    build : callable
        Takes no arguments and returns a `Built`.
    height : int
        Height of the plot in CSS pixels; the page reserves it before drawing.
    """

    id: str
    title: str
    caption: str
    alt: str
    build: Callable[[], Built]
    height: int = 420


@dataclass(frozen=True)
class Value:
    """A number quoted in a post's prose as ``[[value: module.name]]``.

    Attributes
    ----------
    name : str
        Kebab-case; the module name is prefixed when values are written.
    number : float
    format : str
        Default format spec for `format`, such as ``".2f"`` or ``".0%"``.
    note : str
        Where the number comes from.
    """

    name: str
    number: float
    format: str = ".2f"
    note: str = field(default="")


def plotly_text(text):
    """Escape a literal string for plotly.js, which reads its text as markup.

    plotly.js draws ``<b>``, ``<br>``, ``<a href>`` and entities in titles,
    tick labels and hover text; escaped, a token such as ``<br>`` or ``a&amp;b``
    is drawn as written.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rounded(array, decimals=3):
    """Round an array and return nested Python lists for the figure JSON.

    Parameters
    ----------
    array : array_like, any shape
    decimals : int

    Returns
    -------
    list
        Nested lists of floats; Plotly would store an ndarray as base64.
    """
    out = np.round(np.asarray(array, dtype=np.float64), decimals)
    return (out + 0.0).tolist()  # + 0.0 turns -0.0 into 0.0


def attention_heatmap(weights, query_tokens, key_tokens, decimals=3, **kwargs):
    """Make a heatmap trace of attention weights with token hover text.

    Parameters
    ----------
    weights : ndarray, shape (n_q, n_k)
    query_tokens : sequence of str, length n_q
    key_tokens : sequence of str, length n_k
    decimals : int
    **kwargs
        Extra heatmap attributes, such as ``showscale``.

    Returns
    -------
    plotly.graph_objects.Heatmap

    Raises
    ------
    ValueError
        If the token counts do not match the weights' shape.
    """
    weights = np.asarray(weights)
    n_q, n_k = weights.shape
    if len(query_tokens) != n_q or len(key_tokens) != n_k:
        raise ValueError(
            f"attention_heatmap: weights of shape {weights.shape} need {n_q} query "
            f"and {n_k} key tokens; got {len(query_tokens)} and {len(key_tokens)}"
        )
    # Positions keep repeated tokens (two "the"s) apart on the axes.
    trace = dict(
        z=rounded(weights, decimals),
        x=list(range(n_k)),
        y=list(range(n_q)),
        colorscale=HEATMAP_COLORSCALE,
        zmin=0,
        zmax=1,
        hovertemplate=(
            "query: %{y}<br>key: %{x}"
            f"<br>weight: %{{z:.{decimals}f}}<extra></extra>"
        ),
        colorbar=dict(title=dict(text="weight"), thickness=12),
    )
    # Token names per cell cost n_q * n_k pairs (2 MB for a 256 x 256 map), so
    # hover names tokens only where the axes do; larger maps give positions.
    if max(n_q, n_k) <= MAX_LABELLED_TOKENS:
        trace["customdata"] = [
            [[plotly_text(q), plotly_text(k)] for k in key_tokens] for q in query_tokens
        ]
        trace["hovertemplate"] = (
            "query: %{customdata[0]}<br>key: %{customdata[1]}"
            f"<br>weight: %{{z:.{decimals}f}}<extra></extra>"
        )
    trace.update(kwargs)
    return go.Heatmap(**trace)


def _relative_luminance(rgb):
    """WCAG 2 relative luminance of sRGB colours, channels 0-255, shape (..., 3)."""
    channel = np.asarray(rgb, dtype=float) / 255
    linear = np.where(
        channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4
    )
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def _rgb(colour):
    """Return the channels (0-255) of ``#rrggbb`` or ``rgb(r, g, b)``."""
    text = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", text):
        return [int(text[i : i + 2], 16) for i in (1, 3, 5)]
    found = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", text)
    if found:
        return [int(channel) for channel in found.groups()]
    raise ValueError(f"colour scale stop {colour!r}: expected #rrggbb or rgb(r, g, b)")


def scale_colours(colorscale, fractions):
    """Return the colours a scale gives ``fractions`` (0 to 1), as plotly.js does.

    Parameters
    ----------
    colorscale : sequence of (float, str)
        Stops as plotly.py writes a named scale: positions rising from 0 to 1
        and ``#rrggbb`` or ``rgb(r, g, b)`` colours.
    fractions : array_like
        Where to read the scale; values outside 0-1 are clipped.

    Returns
    -------
    numpy.ndarray
        ``fractions.shape + (3,)`` channels, 0-255, interpolated linearly in
        RGB between stops.

    Raises
    ------
    ValueError
        If a stop's colour is in another form (a name, ``hsl``, ``rgba``).
    """
    positions = [position for position, _ in colorscale]
    stops = np.array([_rgb(colour) for _, colour in colorscale], dtype=float)
    where = np.clip(np.asarray(fractions, dtype=float), 0, 1)
    return np.stack(
        [np.interp(where, positions, stops[:, i]) for i in range(3)], axis=-1
    )


def heatmap_labels(heatmap, labels):
    """Return a text trace that prints ``labels`` on the cells of ``heatmap``.

    plotly.js prints a heatmap's own text in #444 or in white, and on the
    middle of a scale such as cividis neither reaches the 4.5:1 contrast that
    WCAG asks of small text. This trace prints each label in black or in
    white, whichever contrasts more with its cell's colour; one of the two
    always reaches 4.58:1. It takes no hover, so the heatmap's hover shows.

    Parameters
    ----------
    heatmap : plotly.graph_objects.Heatmap
        With ``z``, ``x``, ``y``, ``zmin``, ``zmax`` and a colour scale of
        explicit stops (plotly.py expands a named scale into them).
    labels : sequence of sequence of str
        One label per cell, shaped as ``z``; a cell whose ``z`` is None (an
        empty cell) gets none.

    Returns
    -------
    plotly.graph_objects.Scatter
        Add it to the same subplot as ``heatmap``, after it.

    Raises
    ------
    ValueError
        If ``labels`` is not shaped as ``z``, or the heatmap lacks x, y,
        zmin or zmax.
    """
    z = np.asarray(heatmap.z, dtype=float)
    labels = np.asarray(labels, dtype=object)
    if labels.shape != z.shape:
        raise ValueError(
            f"heatmap_labels: {labels.shape} labels for z of shape {z.shape}; "
            "expected one label per cell"
        )
    missing = [name for name in ("x", "y", "zmin", "zmax") if heatmap[name] is None]
    if missing:
        raise ValueError(
            f"heatmap_labels: the heatmap has no {', '.join(missing)}; "
            "expected explicit cell positions and colour range"
        )
    fractions = (z - heatmap.zmin) / (heatmap.zmax - heatmap.zmin)
    luminance = _relative_luminance(scale_colours(heatmap.colorscale, fractions))
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    colours = np.where(on_black >= on_white, "#000000", "#ffffff")
    rows, cols = np.nonzero(np.isfinite(z))
    return go.Scatter(
        x=[heatmap.x[j] for j in cols],
        y=[heatmap.y[i] for i in rows],
        text=[plotly_text(str(label)) for label in labels[rows, cols]],
        mode="text",
        textfont=dict(color=colours[rows, cols].tolist()),
        hoverinfo="skip",
        showlegend=False,
    )


def token_axes(query_tokens, key_tokens):
    """Return layout axes that label heatmap positions with their tokens.

    Parameters
    ----------
    query_tokens : sequence of str
    key_tokens : sequence of str

    Returns
    -------
    dict
        ``xaxis`` and ``yaxis`` settings for ``fig.update_layout``; queries
        run top to bottom as in the weight matrix.
    """
    labelled = max(len(query_tokens), len(key_tokens)) <= MAX_LABELLED_TOKENS
    xaxis = dict(title=dict(text="key"), side="bottom", fixedrange=True)
    yaxis = dict(title=dict(text="query"), autorange="reversed", fixedrange=True)
    if labelled:
        xaxis.update(
            tickmode="array",
            tickvals=list(range(len(key_tokens))),
            ticktext=[plotly_text(token) for token in key_tokens],
        )
        yaxis.update(
            tickmode="array",
            tickvals=list(range(len(query_tokens))),
            ticktext=[plotly_text(token) for token in query_tokens],
        )
    return dict(xaxis=xaxis, yaxis=yaxis)


def strongest_keys_text(weights, query_tokens, key_tokens, top=3, decimals=2):
    """Describe an attention map as each query's strongest keys.

    Parameters
    ----------
    weights : ndarray, shape (n_q, n_k)
    query_tokens : sequence of str, length n_q
    key_tokens : sequence of str, length n_k
    top : int
        How many keys to name per query.
    decimals : int

    Returns
    -------
    list of str
        One line per query, such as ``'"cat" attends to "sat" 0.41, ...'``.
    """
    weights = np.asarray(weights)
    lines = []
    for i, query in enumerate(query_tokens):
        # Stable sort: ties keep the key order of the sentence.
        order = np.argsort(-weights[i], kind="stable")[:top]
        parts = [f'"{key_tokens[j]}" {weights[i, j]:.{decimals}f}' for j in order]
        lines.append(f'"{query}" attends most to ' + ", ".join(parts))
    return lines


def figure_dict(spec, built):
    """Return the plain dict that is written as ``figures/<id>.json``.

    Parameters
    ----------
    spec : FigureSpec
    built : Built

    Returns
    -------
    dict
        Keys ``data`` and ``layout`` (for plotly.js) and ``meta`` (the record).

    Raises
    ------
    TypeError
        If the builder did not return a `Built` holding a plotly Figure.
    ValueError
        If text in the figure holds markup plotly.js would not draw as written
        (see `figjson.check_plotly_text`), a trace has a type the site's
        plotly.js bundle lacks (see `bundled_traces`), or a heatmap prints
        its own cell text (see `heatmap_labels`).
    """
    if not isinstance(built, Built) or not isinstance(built.figure, go.Figure):
        raise TypeError(
            f"figure '{spec.id}': the builder returned {type(built).__name__}; "
            "expected figkit.Built(figure=plotly Figure, text=list of str)"
        )
    if not built.text or not all(isinstance(line, str) for line in built.text):
        raise TypeError(
            f"figure '{spec.id}': the text alternative is {built.text!r}; "
            "expected a non-empty list of str"
        )
    figure = go.Figure(built.figure)
    figure.update_layout(template=TEMPLATE, height=spec.height, autosize=True)
    plain = figure.to_plotly_json()
    for index, trace in enumerate(plain["data"]):
        if trace.get("type", "scatter") not in bundled_traces():
            raise ValueError(
                f"figure '{spec.id}': trace {index} has type '{trace.get('type')}'; "
                f"the site's plotly.js holds only {', '.join(bundled_traces())} "
                "(plotlyBundle.traces in package.json, bundled by "
                "hooks/_plotly_bundle.py): add the type there or draw with these"
            )
        if trace.get("type") == "heatmap" and trace.get("texttemplate"):
            raise ValueError(
                f"figure '{spec.id}': trace {index} is a heatmap with texttemplate "
                f"{trace['texttemplate']!r}; plotly.js prints cell text in #444 or "
                "white, under 4.5:1 contrast on a scale's middle: print it with "
                "figkit.heatmap_labels instead"
            )
    check_plotly_text(
        {"data": plain["data"], "layout": plain["layout"]}, f"figure '{spec.id}'"
    )
    return {
        "data": plain["data"],
        "layout": plain["layout"],
        "meta": {
            "id": spec.id,
            "title": spec.title,
            "caption": spec.caption,
            "alt": spec.alt,
            "height": spec.height,
            "text": list(built.text),
        },
    }
