"""Regenerate ``figures/`` from the figure modules, only where inputs changed.

Usage::

    python scripts/build_figures.py            # write what is stale
    python scripts/build_figures.py --check    # fail if anything is stale
    python scripts/build_figures.py --force    # rebuild every module

A module's inputs are the core (``attention/``), ``scripts/figkit.py``, shared
helpers ``scripts/figures/_*.py``, the module's own source and the exact numpy
and plotly versions. Their hash is kept in ``figures/manifest.json`` with the
hash of every file written, so a module is rebuilt when an input changed or an
output was edited by hand. When nothing changed, no figure module (and so not
Plotly) is imported.

Everything is built in memory first; files are written only if every builder
succeeded, each through a temporary file and an atomic rename, the manifest
last. A killed run leaves every file either old or new, and the next run
repairs the rest.
"""

import argparse
import hashlib
import importlib
import json
import os
import re
import sys
import tempfile
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.figjson import dumps  # noqa: E402 (needs ROOT on sys.path)

FIGURES_DIR = ROOT / "figures"
MODULES_DIR = ROOT / "scripts" / "figures"
MANIFEST = "manifest.json"
VALUES = "values.json"
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WARN_BYTES = 200_000
MAX_BYTES = 1_000_000


class FigureError(Exception):
    """A figure module or builder produced something unusable."""


def _relative(path):
    return path.relative_to(ROOT).as_posix()


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def module_names():
    """Return the figure modules' names, sorted (``part1``, ``part2``, ...)."""
    return sorted(
        path.stem for path in MODULES_DIR.glob("*.py") if not path.stem.startswith("_")
    )


def _package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def input_hash(name):
    """Hash everything module `name` depends on, without importing it.

    Parameters
    ----------
    name : str
        Module name under ``scripts/figures/``.

    Returns
    -------
    str
        Hex sha256 of the sources and the numpy and plotly versions.
    """
    sources = sorted((ROOT / "attention").rglob("*.py"))
    sources += [ROOT / "scripts" / f for f in ("figkit.py", "figjson.py")]
    sources.append(ROOT / "scripts" / "build_figures.py")
    sources += sorted(MODULES_DIR.glob("_*.py"))
    sources.append(MODULES_DIR / f"{name}.py")
    digest = hashlib.sha256()
    for path in sources:
        digest.update(_relative(path).encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("numpy", "plotly"):
        digest.update(f"{package}=={_package_version(package)}\0".encode())
    return digest.hexdigest()


def _read_json(path):
    """Return parsed JSON, or None when the file is missing or not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _check_value(module, value):
    from scripts import figkit

    where = f"scripts/figures/{module}.py: value '{getattr(value, 'name', value)}'"
    if not isinstance(value, figkit.Value):
        raise FigureError(f"{where} is a {type(value).__name__}; expected figkit.Value")
    if not NAME_PATTERN.match(value.name):
        raise FigureError(f"{where}: the name is not kebab-case (a-z, 0-9 and -)")
    try:
        number = float(value.number)
    except (TypeError, ValueError):
        raise FigureError(
            f"{where}: the number is {value.number!r}; expected a real number"
        ) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FigureError(f"{where}: the number is {number}; expected a finite number")
    try:
        format(number, value.format)
    except ValueError as error:
        raise FigureError(
            f"{where}: format spec {value.format!r} does not apply to a number "
            f"({error})"
        ) from None
    return {"value": number, "format": value.format, "note": value.note}


def _check_spec(module, spec):
    from scripts import figkit

    where = f"scripts/figures/{module}.py"
    if not isinstance(spec, figkit.FigureSpec):
        raise FigureError(
            f"{where}: FIGURES holds a {type(spec).__name__}; expected "
            "figkit.FigureSpec"
        )
    if not isinstance(spec.id, str) or not NAME_PATTERN.match(spec.id):
        raise FigureError(
            f"{where}: figure id {spec.id!r} is not lowercase kebab-case "
            "(a-z, 0-9 and single dashes)"
        )
    for field in ("title", "caption", "alt"):
        text = getattr(spec, field)
        if not isinstance(text, str) or not text.strip():
            raise FigureError(
                f"{where}: figure '{spec.id}' has {field}={text!r}; expected "
                "a non-empty string"
            )
    if not isinstance(spec.height, int) or not 120 <= spec.height <= 2000:
        raise FigureError(
            f"{where}: figure '{spec.id}' has height={spec.height!r}; expected "
            "an int of CSS pixels from 120 to 2000"
        )


def build_module(name):
    """Import a figure module and build its figures and values in memory.

    Parameters
    ----------
    name : str

    Returns
    -------
    figures : dict of str to str
        Figure id to the JSON text of ``figures/<id>.json``.
    values : dict of str to dict
        ``"<module>.<name>"`` to ``{"value", "format", "note"}``.

    Raises
    ------
    FigureError
        Naming the module file, the figure id and the builder's error.
    """
    from scripts import figkit

    where = f"scripts/figures/{name}.py"
    try:
        module = importlib.import_module(f"scripts.figures.{name}")
    except Exception as error:
        raise FigureError(
            f"{where}: importing the module failed: {type(error).__name__}: "
            f"{error}\n{traceback.format_exc()}"
        ) from error
    specs = getattr(module, "FIGURES", None)
    if not isinstance(specs, list):
        raise FigureError(
            f"{where}: FIGURES is {type(specs).__name__}; expected a list of "
            "figkit.FigureSpec"
        )
    figures = {}
    for spec in specs:
        _check_spec(name, spec)
        if spec.id in figures:
            raise FigureError(f"{where}: figure id '{spec.id}' is declared twice")
        try:
            built = spec.build()
            text = figkit.to_json(
                figkit.figure_dict(spec, built), f"{where}: figure '{spec.id}'"
            )
        except Exception as error:
            raise FigureError(
                f"{where}: figure '{spec.id}' failed: {type(error).__name__}: "
                f"{error}\n{traceback.format_exc()}"
            ) from error
        figures[spec.id] = text
    make_values = getattr(module, "values", None)
    values = {}
    if make_values is not None:
        try:
            declared = make_values()
        except Exception as error:
            raise FigureError(
                f"{where}: values() failed: {type(error).__name__}: {error}\n"
                f"{traceback.format_exc()}"
            ) from error
        for value in declared:
            record = _check_value(name, value)
            key = f"{name}.{value.name}"
            if key in values:
                raise FigureError(f"{where}: value '{value.name}' is declared twice")
            values[key] = record
    return figures, values


def _atomic_write(path, text):
    """Write `text` to `path` through a temporary file and an atomic rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp creates files readable by owner only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def plan(check=False, force=False, warn_bytes=WARN_BYTES, max_bytes=MAX_BYTES):
    """Work out the files ``figures/`` should hold.

    Parameters
    ----------
    check : bool
        Rebuild every module regardless of the manifest.
    force : bool
        Same as `check`, for writing.
    warn_bytes, max_bytes : int
        A figure file over `warn_bytes` gets a warning; over `max_bytes`, an
        error.

    Returns
    -------
    outputs : dict of str to str
        File name under ``figures/`` to its full text.
    rebuilt : list of str
        Names of the modules that were built.
    warnings : list of str

    Raises
    ------
    FigureError
        If a module fails, two modules declare the same id, or a file is too
        big. Messages of every failing module are joined.
    """
    manifest = _read_json(FIGURES_DIR / MANIFEST)
    manifest = manifest if isinstance(manifest, dict) else {}
    # A hand-edited manifest of any shape only means that everything is rebuilt.
    old_modules, old_files = manifest.get("modules"), manifest.get("files")
    old_modules = old_modules if isinstance(old_modules, dict) else {}
    old_files = old_files if isinstance(old_files, dict) else {}
    old_values = _read_json(FIGURES_DIR / VALUES)
    values_intact = isinstance(old_values, dict) and old_files.get(VALUES) == _sha256(
        (FIGURES_DIR / VALUES).read_bytes()
    )

    def intact(name, entry):
        return all(
            (FIGURES_DIR / file).is_file()
            and old_files.get(file) == _sha256((FIGURES_DIR / file).read_bytes())
            for file in [f"{fig}.json" for fig in entry.get("figures", [])]
        )

    figures, values, modules, errors, rebuilt, warnings = {}, {}, {}, [], [], []
    owner = {}
    for name in module_names():
        digest = input_hash(name)
        entry = old_modules.get(name)
        reuse = (
            not (check or force)
            and values_intact
            and isinstance(entry, dict)
            and entry.get("hash") == digest
            and intact(name, entry)
        )
        if reuse:
            module_figures = {
                fig: (FIGURES_DIR / f"{fig}.json").read_text(encoding="utf-8")
                for fig in entry["figures"]
            }
            module_values = {key: old_values[key] for key in entry.get("values", [])}
        else:
            try:
                module_figures, module_values = build_module(name)
            except FigureError as error:
                errors.append(str(error))
                continue
            rebuilt.append(name)
        for fig, text in module_figures.items():
            if fig in owner:
                errors.append(
                    f"scripts/figures/{name}.py: figure id '{fig}' is already "
                    f"declared by scripts/figures/{owner[fig]}.py; ids must be "
                    "unique across the site"
                )
                continue
            size = len(text.encode("utf-8"))
            if size > max_bytes:
                errors.append(
                    f"scripts/figures/{name}.py: figure '{fig}' is {size} bytes; "
                    f"expected at most {max_bytes} (round or subsample its data)"
                )
            elif size > warn_bytes:
                warnings.append(
                    f"scripts/figures/{name}.py: figure '{fig}' is {size} bytes, "
                    f"over the {warn_bytes}-byte warning size"
                )
            owner[fig] = name
            figures[fig] = text
        values.update(module_values)
        modules[name] = {
            "hash": digest,
            "figures": sorted(module_figures),
            "values": sorted(module_values),
        }
    if errors:
        raise FigureError("\n".join(errors))

    outputs = {f"{fig}.json": text for fig, text in figures.items()}
    outputs[VALUES] = dumps(values)
    files = {file: _sha256(text.encode("utf-8")) for file, text in outputs.items()}
    outputs[MANIFEST] = dumps({"modules": modules, "files": files})
    return outputs, rebuilt, warnings


def main(argv=None):
    """Run the command; return its exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in memory and fail if figures/ differs from the result",
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild every module, not just stale"
    )
    parser.add_argument("--warn-bytes", type=int, default=WARN_BYTES)
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    args = parser.parse_args(argv)

    FIGURES_DIR.mkdir(exist_ok=True)
    try:
        outputs, rebuilt, warnings = plan(
            check=args.check,
            force=args.force,
            warn_bytes=args.warn_bytes,
            max_bytes=args.max_bytes,
        )
    except FigureError as error:
        print(f"build_figures: {error}", file=sys.stderr)
        print("build_figures: nothing was written", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"build_figures: warning: {warning}", file=sys.stderr)

    # Bytes, not text: a hand-edited file need not even be UTF-8.
    on_disk = {path.name: path.read_bytes() for path in FIGURES_DIR.glob("*.json")}
    stale = sorted(
        f for f in outputs if f in on_disk and on_disk[f] != outputs[f].encode()
    )
    missing = sorted(f for f in outputs if f not in on_disk)
    orphaned = sorted(f for f in on_disk if f not in outputs)

    if args.check:
        problems = (
            [f"stale: figures/{f}" for f in stale]
            + [f"missing: figures/{f}" for f in missing]
            + [
                f"orphaned: figures/{f} (no figure module declares it)"
                for f in orphaned
            ]
        )
        if problems:
            print("build_figures --check: figures/ is out of date:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            print("run `make figures` and commit the result", file=sys.stderr)
            return 1
        print(f"build_figures --check: {len(outputs)} files up to date")
        return 0

    for leftover in FIGURES_DIR.glob(".*.json.*"):
        leftover.unlink()  # temporary files of a run that was killed
    # The manifest goes last: until it is written, a killed run is detected.
    for file in sorted(stale + missing, key=lambda f: f == MANIFEST):
        _atomic_write(FIGURES_DIR / file, outputs[file])
    for file in orphaned:
        (FIGURES_DIR / file).unlink()
    print(
        f"build_figures: rebuilt {len(rebuilt)} of {len(module_names())} modules; "
        f"wrote {len(stale) + len(missing)} files, removed {len(orphaned)}, "
        f"{len(outputs) - len(stale) - len(missing)} unchanged"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
