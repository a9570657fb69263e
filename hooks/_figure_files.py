"""Read ``figures/``: figure metadata and quoted values (used by hooks/figures.py).

The hooks folder is on ``sys.path`` while MkDocs loads a hook, so the hook
imports this module by its plain name. Every problem raises `PluginError`
naming the file and what was expected: without its figures the hook cannot
work at all.
"""

import json
import logging

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.attention_figures")

NOT_FIGURES = frozenset({"values.json", "manifest.json"})
META_STRINGS = ("id", "title", "caption", "alt")


def _read_json(path, label):
    """Parse one JSON file; PluginError naming `label` if it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PluginError(
            f"{label}: cannot be read ({error.strerror}); expected "
            "a file written by scripts/build_figures.py"
        ) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PluginError(
            f"{label}: is not valid JSON ({error}); expected a file "
            "written by scripts/build_figures.py (run it again)"
        ) from error


def load_figure(path, label):
    """Read the metadata of one figure file.

    Parameters
    ----------
    path : pathlib.Path
        ``figures/<id>.json``.
    label : str
        How messages name the file, such as ``figures/library-weights.json``.

    Returns
    -------
    dict
        ``id``, ``title``, ``caption``, ``alt`` (str), ``height`` (int) and
        ``text`` (list of str).

    Raises
    ------
    PluginError
        If the file is not JSON or its ``meta`` does not follow the contract.
    """
    data = _read_json(path, label)
    meta = data.get("meta") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        raise PluginError(
            f"{label}: has no 'meta' object; expected "
            '{"data": [...], "layout": {...}, "meta": {...}}'
        )

    def bad(key, expected):
        found = meta.get(key, "nothing")
        return PluginError(
            f"{label}: meta field '{key}' is {found!r}; expected {expected}"
        )

    for key in META_STRINGS:
        if not isinstance(meta.get(key), str):
            raise bad(key, "a string")
    if meta["id"] != path.stem:
        raise bad("id", f"'{path.stem}', the file's name")
    height = meta.get("height")
    if isinstance(height, bool) or not isinstance(height, int) or height <= 0:
        raise bad("height", "a positive integer (CSS pixels)")
    text = meta.get("text")
    if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
        raise bad("text", "a list of strings")
    return {key: meta[key] for key in (*META_STRINGS, "height", "text")}


def load_values(path, label):
    """Read the named numbers of ``figures/values.json``.

    Parameters
    ----------
    path : pathlib.Path
    label : str
        How messages name the file.

    Returns
    -------
    dict
        Name to ``{"value": number, "format": spec}``.

    Raises
    ------
    PluginError
        If the file is not JSON, an entry has no number, or its default
        format spec does not apply to its number.
    """
    data = _read_json(path, label)
    if not isinstance(data, dict):
        raise PluginError(
            f"{label}: is a {type(data).__name__}; expected an "
            'object such as {"part1.top-weight": {"value": 0.41, '
            '"format": ".2f"}}'
        )
    values = {}
    for name, entry in data.items():
        number = entry.get("value") if isinstance(entry, dict) else None
        spec = entry.get("format", "") if isinstance(entry, dict) else None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise PluginError(
                f"{label}: entry '{name}' has value {number!r}; expected a number"
            )
        try:
            format(number, spec)
        except (TypeError, ValueError) as error:
            raise PluginError(
                f"{label}: entry '{name}' has format {spec!r}, "
                f"which does not apply to {number!r} ({error}); "
                "expected a spec such as '.2f' or '.0%'"
            ) from error
        values[name] = {"value": number, "format": spec}
    return values


def load_folder(folder):
    """Load every figure's metadata and the values from the figures folder.

    Parameters
    ----------
    folder : pathlib.Path

    Returns
    -------
    figures : dict
        Figure id to metadata and ``path`` (where the JSON file is).
    values : dict
        See `load_values`.

    Raises
    ------
    PluginError
        If the folder or ``values.json`` is missing, or a file is unreadable.
    """
    if not folder.is_dir():
        raise PluginError(
            f"{folder}: no figures folder; expected the folder "
            "that scripts/build_figures.py writes, beside mkdocs.yml"
        )
    figures = {}
    for path in sorted(folder.glob("*.json")):
        if path.name in NOT_FIGURES:
            continue
        meta = load_figure(path, f"figures/{path.name}")
        figures[meta["id"]] = {**meta, "path": path}
        log.debug(f"Loaded figure '{meta['id']}' from {path}")
    values_path = folder / "values.json"
    if not values_path.is_file():
        raise PluginError(
            f"{values_path}: missing; expected the values file "
            "that scripts/build_figures.py writes"
        )
    return figures, load_values(values_path, "figures/values.json")
