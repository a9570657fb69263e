"""Add the third-party browser code from ``node_modules/`` to the site.

plotly.js, KaTeX and the STIX Two Math font come from the npm registry at the
exact versions in ``package-lock.json`` (``npm ci`` installs them) and are
never committed. This hook adds them to the build as generated files under
``assets/vendor/``, beside their licences, so the site makes no request to a
CDN:

- ``assets/vendor/plotly/plotly.min.js``, plotly.js bundled with only the
  trace types the figures draw (``hooks/_plotly_bundle.py``), loaded lazily
  by ``assets/javascripts/figures.js``;
- ``assets/vendor/katex/katex.min.js``, which ``assets/javascripts/math.js``
  loads only for math left in TeX (``hooks/math.py`` typesets the rest at
  build time, as MathML that needs no KaTeX stylesheet or fonts);
- ``assets/vendor/stix-two-math/LICENSE.txt``: the font's licence; the font
  itself, cut to the glyphs the site draws, is written by ``hooks/math.py``.
"""

import json
import logging

import _common
import _plotly_bundle
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.attention_vendor")

SITE_FOLDER = "assets/vendor"
PLOTLY_BUNDLE = "plotly/plotly.min.js"

# (npm package, glob inside the package, folder under SITE_FOLDER).
COPIED = (("katex", "dist/katex.min.js", "katex"),)

# What the plotly.js bundle is built with, besides plotly.js itself: esbuild,
# and the one module plotly.js imports without declaring it.
BUILT_WITH = ("esbuild", "events")

# Each package's licence travels with it, renamed so browsers show it as text.
LICENCES = (
    ("plotly.js", "plotly"),
    ("katex", "katex"),
    ("@fontsource/stix-two-math", "stix-two-math"),
)


def _installed_package(modules, name, locked):
    """Return the folder of one installed npm package, checked against the lock.

    Parameters
    ----------
    modules : Path
        The project's ``node_modules`` folder.
    name : str
        The npm package name.
    locked : dict
        The ``packages`` table of ``package-lock.json``.

    Returns
    -------
    Path

    Raises
    ------
    PluginError
        If the package is missing, or its installed version is not the locked one.
    """
    folder = modules / name
    manifest = folder / "package.json"
    if not manifest.is_file():
        raise PluginError(
            f"hooks/vendor.py: npm package '{name}' is not installed in {modules}; "
            "run `npm ci` (or `make serve`) in the project root"
        )
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    wanted = locked.get(f"node_modules/{name}", {}).get("version")
    if wanted is not None and installed != wanted:
        raise PluginError(
            f"hooks/vendor.py: node_modules has {name} {installed} but "
            f"package-lock.json pins {wanted}; run `npm ci` to reinstall"
        )
    return folder


def _vendored_sources(root):
    """List every file to copy as (path under SITE_FOLDER, absolute source).

    Parameters
    ----------
    root : Path
        The project root, which holds ``package-lock.json`` and ``node_modules``.

    Returns
    -------
    list of (str, Path)

    Raises
    ------
    PluginError
        If ``node_modules`` or a package is missing or stale, or a file that
        should be in a package is not.
    """
    modules = root / "node_modules"
    if not modules.is_dir():
        raise PluginError(
            f"hooks/vendor.py: no node_modules folder in {root}; plotly.js, "
            "KaTeX and the math font come from npm: run `npm ci` (or `make serve`) "
            "there first"
        )
    lock_path = root / "package-lock.json"
    locked = {}
    if lock_path.is_file():
        locked = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]

    sources = []
    for package, pattern, folder in COPIED:
        package_dir = _installed_package(modules, package, locked)
        matches = sorted(package_dir.glob(pattern))
        if not matches:
            raise PluginError(
                f"hooks/vendor.py: '{pattern}' matches nothing in {package_dir}; "
                "expected the layout of the version pinned in package-lock.json"
            )
        sources += [(f"{folder}/{path.name}", path) for path in matches]
    for package, folder in LICENCES:
        licence = _installed_package(modules, package, locked) / "LICENSE"
        sources.append((f"{folder}/LICENSE.txt", licence))
    # The plotly.js bundle is built from these: they must be the locked ones too.
    for package in BUILT_WITH:
        _installed_package(modules, package, locked)
    return sources


def _add(files, config, src_uri, **source):
    """Append one generated file, replacing a committed copy with a warning."""
    committed = files.get_file_from_path(src_uri)
    if committed is not None:
        log.warning(
            f"docs/{src_uri} is generated from node_modules at build time; "
            "delete the committed copy"
        )
        files.remove(committed)
    files.append(File.generated(config, src_uri, **source))


def on_files(files, config):
    """Add plotly.js, KaTeX and licences to the site (MkDocs event ``on_files``).

    Appends one generated file per vendored source to ``files``, so ``mkdocs
    build`` and ``mkdocs serve`` write them to ``site/assets/vendor/``: the
    plotly.js bundle (built, or taken from ``.cache/plotly/``) and copies of
    the other files. A copy committed under ``docs/assets/vendor/`` is
    replaced, with a warning.

    Parameters
    ----------
    files : mkdocs.structure.files.Files
    config : mkdocs.config.defaults.MkDocsConfig

    Returns
    -------
    mkdocs.structure.files.Files

    Raises
    ------
    PluginError
        If ``node_modules`` is missing or does not match ``package-lock.json``,
        or the plotly.js bundle cannot be built.
    """
    root = _common.project_root(config)
    sources = _vendored_sources(root)
    bundle = _plotly_bundle.bundle(root, root / ".cache" / "plotly")
    _add(files, config, f"{SITE_FOLDER}/{PLOTLY_BUNDLE}", content=bundle)
    for relative, source in sources:
        _add(files, config, f"{SITE_FOLDER}/{relative}", abs_src_path=str(source))
        log.debug(f"vendored {SITE_FOLDER}/{relative} from {source}")
    return files
