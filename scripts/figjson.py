"""Deterministic JSON for generated files, without importing Plotly.

Also refuses text that plotly.js would read as markup (`check_plotly_text`).

`scripts/build_figures.py` writes the values and the manifest with this even
when no figure module is imported; `scripts/figkit.py` uses it for figures.
"""

import json
import math
import re

# plotly.js reads its text as a small subset of HTML. These tags only style it;
# <extra> is hovertemplate syntax. Any other tag (<a href>, which plotly.js
# turns into a link, or <img>, which it shows as text) means that data reached
# a figure unescaped.
TEXT_TAG = re.compile(r"<[^<>]*>")
STYLING_TAG = re.compile(
    r"</?(?:b|i|em|sub|sup|br|extra|span)\s*/?>"
    r"|<span\s+style=(?:\"[^\"<>]*\"|'[^'<>]*')\s*>",
    re.IGNORECASE,
)


def _first_problem(node, path):
    """Return the path and a description of the first value JSON cannot hold."""
    if isinstance(node, float) and not math.isfinite(node):
        return path, f"non-finite number {node}"
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            # Plotly encodes a numpy array it was given as a base64 typed array.
            return path, f"a base64 {node['dtype']} array (a numpy array)"
        for key in sorted(node):
            found = _first_problem(node[key], f"{path}.{key}" if path else key)
            if found:
                return found
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            found = _first_problem(item, f"{path}[{index}]")
            if found:
                return found
    elif not isinstance(node, (str, int, float, bool, type(None))):
        # numpy arrays and scalars: Plotly would write them as base64 blobs.
        return path, f"a {type(node).__name__}"
    return None


def dumps(obj, where="figures"):
    """Serialise plain JSON data deterministically.

    Parameters
    ----------
    obj : dict
        Plain JSON data: dicts, lists, str, int, float, bool, None.
    where : str
        Names the figure or file in error messages.

    Returns
    -------
    str
        Sorted keys, one-space indent, trailing newline.

    Raises
    ------
    ValueError
        If the data holds NaN or infinity (Plotly's own encoder writes null),
        or a numpy array or scalar instead of plain numbers and lists.
    """
    found = _first_problem(obj, "")
    if found:
        path, problem = found
        raise ValueError(
            f"{where}: {problem} at {path or 'the top level'}; expected finite "
            "numbers in plain lists (use figkit.rounded for arrays)"
        )
    return json.dumps(obj, sort_keys=True, allow_nan=False, indent=1) + "\n"


def _strings(node, path):
    """Yield the path and value of every string in plain JSON data."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key in sorted(node):
            yield from _strings(node[key], f"{path}.{key}" if path else key)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from _strings(item, f"{path}[{index}]")


def check_plotly_text(obj, where="figure"):
    """Refuse text that plotly.js would read as markup other than styling.

    Parameters
    ----------
    obj : dict
        A figure's ``data`` and ``layout`` as plain JSON data.
    where : str
        Names the figure in the error message.

    Raises
    ------
    ValueError
        If a string holds a tag other than ``<b>``, ``<i>``, ``<em>``,
        ``<sub>``, ``<sup>``, ``<br>``, ``<span style>`` and ``<extra>``.
    """
    for path, text in _strings(obj, ""):
        for tag in TEXT_TAG.findall(text):
            if not STYLING_TAG.fullmatch(tag):
                raise ValueError(
                    f"{where}: {path} holds the markup {tag!r}; expected plain "
                    "text (escape data with figkit.plotly_text) or only the "
                    "tags b, i, em, sub, sup, br, span style and extra"
                )
