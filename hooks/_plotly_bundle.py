"""The site's plotly.js: a bundle of only the trace types its figures draw.

plotly.js ships prebuilt bundles, of which the smallest with a heatmap (the
cartesian one) also carries box, violin, histogram, contour, image, pie and
more: 484 KiB gzipped. The site's figures draw heatmaps, bars and scatter
lines, so this module bundles plotly.js's own sources (npm ``plotly.js``)
with its core (scatter, axes, legends, colour bars, sliders, menus, the mode
bar) and those traces only, with esbuild (npm ``esbuild``), both at the
versions pinned in ``package-lock.json``. The list of traces is
``plotlyBundle.traces`` in ``package.json``; ``scripts/figkit.py`` refuses a
figure with any other trace type, so no figure can need a trace the bundle
lacks.

The bundle defines ``window.Plotly`` as plotly.js's prebuilt bundles do. It is
the same bytes for the same inputs (esbuild is deterministic), kept in a
cache keyed by them, since ``mkdocs serve`` rebuilds often.

Nothing here logs or knows about MkDocs but `PluginError`: ``hooks/vendor.py``
calls it.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from _common import write_atomically
from mkdocs.exceptions import PluginError

# Run by node with: esbuild's folder, plotly.js's folder, the traces as JSON.
# Writes the bundle to stdout.
#
# Every attribute in plotly.js's sources carries its documentation, a
# description, which only plotly.js's schema for its own docs reads (its
# prebuilt bundles leave them out too): a string, strings joined by +, or an
# array of strings joined; each becomes "". `global` is Node's name for the
# global object, which one of plotly.js's dependencies reads; plotly.js's map
# traces import a stylesheet, which no trace bundled here needs.
BUILD_JS = r"""
const fs = require("fs");
const [esbuildDir, plotlyDir, tracesJson] = process.argv.slice(1);
const esbuild = require(esbuildDir);
const names = JSON.parse(tracesJson);
const version = require(`${plotlyDir}/package.json`).version;

const entry = [
  "var Plotly = require('./lib/core');",
  "Plotly.register([" +
    names.filter((name) => name !== "scatter")
      .map((name) => `require('./lib/${name}')`).join(", ") + "]);",
  "module.exports = Plotly;",
].join("\n");

const STRING = `(?:'(?:[^'\\\\\\n]|\\\\.)*'|"(?:[^"\\\\\\n]|\\\\.)*")`;
const JOINED = `\\[\\s*(?:${STRING}\\s*,?\\s*)*\\]\\s*\\.join\\(\\s*${STRING}\\s*\\)`;
const DESCRIPTION = new RegExp(
  `\\bdescription:\\s*(?:${JOINED}|${STRING}(?:\\s*\\+\\s*${STRING})*)(?=\\s*[,}])`,
  "g",
);
let stripped = 0;
const withoutDescriptions = {
  name: "without-descriptions",
  setup(build) {
    build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => {
      const source = fs.readFileSync(args.path, "utf8");
      const contents = source.replace(DESCRIPTION, () => {
        stripped += 1;
        return 'description: ""';
      });
      return { contents, loader: "js" };
    });
  },
};

esbuild.build({
  stdin: { contents: entry, resolveDir: plotlyDir, sourcefile: "ua-plotly.js" },
  plugins: [withoutDescriptions],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },
  banner: {
    js: `/* plotly.js v${version} (${names.join(", ")}), built for ` +
      "Understanding Attention | MIT License | Copyright 2012-2026, Plotly, Inc. */",
  },
  legalComments: "eof",
  logLevel: "silent",
  write: false,
}).then((result) => {
  if (stripped === 0) {
    throw new Error("found no attribute description: plotly.js changed its sources");
  }
  process.stderr.write(`stripped ${stripped} descriptions\n`);
  process.stdout.write(result.outputFiles[0].contents);
}).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
"""

# Where the packages' sources live under node_modules.
PLOTLY = "plotly.js"
ESBUILD = "esbuild"


def traces(root):
    """Return the trace types the bundle holds, from ``package.json``.

    Parameters
    ----------
    root : Path
        The project root.

    Returns
    -------
    list of str

    Raises
    ------
    PluginError
        If ``package.json`` has no ``plotlyBundle.traces`` list of names.
    """
    manifest = json.loads((Path(root) / "package.json").read_text(encoding="utf-8"))
    names = manifest.get("plotlyBundle", {}).get("traces")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise PluginError(
            f"hooks/_plotly_bundle.py: package.json has plotlyBundle.traces = "
            f"{names!r}; expected a list of plotly.js trace names such as "
            '["bar", "heatmap", "scatter"]'
        )
    return sorted(names)


def _version(package_dir):
    return json.loads((package_dir / "package.json").read_text("utf-8"))["version"]


def bundle(root, cache_dir):
    """Return the bytes of the site's plotly.js bundle, building it if needed.

    Parameters
    ----------
    root : Path
        The project root, which holds ``package.json`` and ``node_modules``.
    cache_dir : Path
        Where built bundles are kept, keyed by the versions of plotly.js and
        esbuild, the traces and `BUILD_JS`.

    Returns
    -------
    bytes

    Raises
    ------
    PluginError
        If ``node`` or a package is missing, a trace name is unknown to
        plotly.js, or esbuild fails; the message says which.
    """
    modules = Path(root) / "node_modules"
    plotly_dir, esbuild_dir = modules / PLOTLY, modules / ESBUILD
    for package in (plotly_dir, esbuild_dir):
        if not (package / "package.json").is_file():
            raise PluginError(
                f"hooks/_plotly_bundle.py: npm package '{package.name}' is not "
                f"installed in {modules}; run `npm ci` (or `make serve`) first"
            )
    names = traces(root)
    unknown = [n for n in names if not (plotly_dir / "lib" / f"{n}.js").is_file()]
    if unknown:
        raise PluginError(
            f"hooks/_plotly_bundle.py: package.json's plotlyBundle.traces names "
            f"{unknown}, which plotly.js {_version(plotly_dir)} does not have; "
            f"expected names of files in {plotly_dir / 'lib'}"
        )

    inputs = [_version(plotly_dir), _version(esbuild_dir), *names, BUILD_JS]
    key = hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:32]
    cached = Path(cache_dir) / f"plotly-{key}.min.js"
    if cached.is_file():
        return cached.read_bytes()

    if shutil.which("node") is None:
        raise PluginError(
            "hooks/_plotly_bundle.py: `node` is not on PATH; the site's plotly.js "
            "is bundled at build time: install Node.js 20 or newer"
        )
    process = subprocess.run(
        ["node", "-e", BUILD_JS, str(esbuild_dir), str(plotly_dir), json.dumps(names)],
        capture_output=True,
        check=False,
    )
    if process.returncode != 0 or not process.stdout:
        error = process.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise PluginError(
            f"hooks/_plotly_bundle.py: esbuild could not bundle plotly.js with "
            f"traces {names} (node exited with {process.returncode}): {error}"
        )
    write_atomically(cached, process.stdout)
    return process.stdout
