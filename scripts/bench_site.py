"""Measure what a reader downloads and waits for, against the naive embedding.

Not part of the test run: ``python scripts/bench_site.py [--runs 5]``.

Builds two sites and serves both on 127.0.0.1, gzipped with a ten-minute cache
lifetime as GitHub Pages serves them (`scripts/localsite.py`):

- **site**: the real build (``mkdocs build --strict``): figure boxes of fixed
  height, the site's plotly.js bundle (heatmap, bar and scatter only, built by
  ``hooks/_plotly_bundle.py``) loaded once, when the first figure is in the
  window or, once the reader scrolls, within figures.js's look-ahead below
  it, and each figure's JSON fetched likewise.
- **naive**: the same build, where every figure box of a post is replaced by
  what Plotly's Python package writes for the figure,
  ``plotly.io.to_html(fig, include_plotlyjs=True, full_html=False)``: a div and
  a script that holds the whole of plotly.js (the full bundle shipped with the
  Python package) and the figure's data, drawn while the page is parsed. The
  title, caption and text version stay. Its build time is the same ``mkdocs
  build`` plus the time to write the figures' HTML.

For each post (a page under ``blog/`` with figures), in headless Chromium,
medians over ``--runs`` loads:

- bytes on the wire (gzipped bodies, headers left out) by kind: HTML, CSS, JS,
  figure data (figure JSON files), fonts, other; for the page as first shown,
  before any scrolling (the load event, then 1.5 s of quiet), in a 1280 x 800
  window and on a phone (412 x 823, Lighthouse's mobile screen), and after
  scrolling every figure into view in the 1280 x 800 window (``all drawn``).
  Before scrolling counts what a reader downloads before the first figure is
  scrolled into view, plus plotly.js and figure data if the first figure is
  already in the window; ``before plotly.js``
  counts only the requests that started before plotly.js was requested (all
  of them if it never was): what the page costs until a figure nears the
  viewport;
- time from navigation start until the first and until every figure is drawn,
  when the reader scrolls each figure into view in turn as soon as the page's
  HTML is parsed; cold (new browser profile) and warm (the same page visited
  again in the same profile).

Beside them, the size of the site's plotly.js bundle against plotly.js's own
prebuilt cartesian and full bundles (from ``node_modules/plotly.js/dist``).

Then Lighthouse (npm ``lighthouse@12``, Node 20), mobile preset with simulated
throttling, ``--lighthouse-runs`` times on every post of both sites: the
median of each category score and of CLS, LCP and TBT, and the range of the
performance score (its simulation reads a trace of one real load, so it
varies from run to run). Give its command with ``--lighthouse`` (default:
``node_modules/.bin/lighthouse`` or ``lighthouse`` on PATH; skipped if neither
exists).
"""

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.localsite import ROOT, build_site, find_chromium, serving  # noqa: E402

WINDOW = {"width": 1280, "height": 800}
# Lighthouse's mobile preset: a Moto G Power's screen.
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
# The naive page parses plotly.js once per figure: slow on a busy machine.
TIMEOUT_MS = 180_000
QUIET_MS = 1500
KINDS = ("HTML", "CSS", "JS", "figure data", "fonts", "other")
BOX = re.compile(r'<figure class="ua-figure".*?</figure>', re.DOTALL)
PLOT_DIV = re.compile(r'<div class="ua-figure__plot"[^>]*></div>')
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The byte measures of each load, and their labels in the tables.
BYTE_MEASURES = {
    "before": "before scrolling, 1280x800",
    "before, before plotly.js": "before plotly.js is requested, 1280x800",
    "before, phone": "before scrolling, 412x823",
    "before, phone, before plotly.js": "before plotly.js is requested, 412x823",
    "all": "all drawn",
}
# plotly.js's own prebuilt bundles in its npm package, to compare the site's with.
PREBUILT = {
    "plotly.js cartesian (prebuilt)": "plotly-cartesian.min.js",
    "plotly.js full (prebuilt)": "plotly.min.js",
}

# Records, from navigation start, when the first and the last of `expected`
# plots has an SVG drawn in it, for both sites (plotly.js marks its plots).
DRAW_CLOCK = """(() => {
    window.uaClock = {first: null, all: null};
    const expected = EXPECTED;
    const tick = () => {
        const drawn = [...document.querySelectorAll('.js-plotly-plot')]
            .filter(plot => plot.querySelector('.main-svg')).length;
        const now = performance.now();
        if (drawn > 0 && window.uaClock.first === null) window.uaClock.first = now;
        if (drawn >= expected) window.uaClock.all = now;
        else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})();"""


def kind_of(url):
    """Return the kind of a requested URL, one of KINDS."""
    path = url.split("?")[0].split("#")[0]
    if path.endswith("/") or path.endswith(".html"):
        return "HTML"
    if "/assets/figures/" in path and path.endswith(".json"):
        return "figure data"
    suffix = Path(path).suffix
    return {
        ".css": "CSS",
        ".js": "JS",
        ".woff2": "fonts",
        ".woff": "fonts",
        ".ttf": "fonts",
    }.get(suffix, "other")


def posts_with_figures(folder):
    """Return the post pages (under ``blog/``) that hold figure boxes."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in (folder / "blog").rglob("index.html")
        if 'class="ua-figure"' in path.read_text(encoding="utf-8")
    )


def naive_box(match):
    """Return a figure box with its plot replaced by Plotly's own HTML."""
    import plotly.graph_objects as go
    import plotly.io as pio

    box = match.group(0)
    figure_id = re.search(r'data-figure-id="([^"]+)"', box).group(1)
    spec = json.loads((ROOT / "figures" / f"{figure_id}.json").read_text("utf-8"))
    figure = go.Figure(data=spec["data"], layout=spec["layout"])
    html = pio.to_html(
        figure,
        include_plotlyjs=True,
        full_html=False,
        default_height=f"{spec['meta']['height']}px",
        config={"displaylogo": False},
    )
    # Without the ua-figure class, the site's figures.js leaves the box alone.
    box = box.replace('class="ua-figure"', 'class="naive-figure"', 1)
    box = re.sub(r' data-figure-src="[^"]*"', "", box)
    return PLOT_DIV.sub(lambda _: html, box, count=1)


def make_naive(folder, posts):
    """Replace the figure boxes of ``posts`` in ``folder``; return seconds taken."""
    start = time.perf_counter()
    for post in posts:
        path = folder / post
        path.write_text(
            BOX.sub(naive_box, path.read_text(encoding="utf-8")), encoding="utf-8"
        )
    return time.perf_counter() - start


PLOTLY_NAME = re.compile(r"/plotly[^/]*\.js$")


class Recorder:
    """Record the gzipped body size of every response a browser context gets.

    Also notes when each request started, so that the bytes of the requests
    made before plotly.js was first requested can be told apart.
    """

    def __init__(self, context):
        self.sizes = []
        self.starts = {}
        self.plotly_started = None
        context.on("request", self._started)
        context.on("requestfinished", self._finished)

    def _started(self, request):
        now = time.monotonic()
        self.starts[request] = now
        if self.plotly_started is None and PLOTLY_NAME.search(request.url):
            self.plotly_started = now

    def _finished(self, request):
        response = request.response()
        cached = response is not None and response.from_service_worker
        body = 0 if cached else request.sizes()["responseBodySize"]
        started = self.starts.pop(request, time.monotonic())
        self.sizes.append((kind_of(request.url), max(body, 0), started))

    def clear(self):
        """Forget every request recorded so far."""
        self.sizes.clear()
        self.starts.clear()
        self.plotly_started = None

    def by_kind(self, before_plotly=False):
        """Return the bytes recorded so far, summed by kind.

        With ``before_plotly``, only those of requests that started before
        plotly.js was requested (all of them if it never was).
        """
        limit = self.plotly_started if before_plotly else None
        totals = dict.fromkeys(KINDS, 0)
        for kind, size, started in self.sizes:
            if limit is None or started < limit:
                totals[kind] += size
        return totals


def scroll_through(page, expected):
    """Scroll each plot into view in turn until ``expected`` plots are drawn."""
    page.wait_for_function(
        "n => document.querySelectorAll('.ua-figure, .naive-figure').length >= n",
        arg=expected,
    )
    boxes = page.locator(".ua-figure, .naive-figure")
    for index in range(expected):
        box = boxes.nth(index)
        box.scroll_into_view_if_needed()
        box.locator(".main-svg").first.wait_for(state="attached")
    page.wait_for_function("window.uaClock && window.uaClock.all !== null")
    return page.evaluate("[window.uaClock.first, window.uaClock.all]")


def measure_once(browser, url, expected):
    """Load ``url`` three times; return one sample of every measure."""
    sample = {}

    # Before any scrolling, on a laptop and on a phone: load, then a quiet
    # moment for lazy loaders.
    for key, options in (("before", {"viewport": WINDOW}), ("before, phone", PHONE)):
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        recorder = Recorder(context)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_timeout(QUIET_MS)
        sample[key] = recorder.by_kind()
        sample[f"{key}, before plotly.js"] = recorder.by_kind(before_plotly=True)
        context.close()

    # Cold, then warm: scroll to every figure as soon as the HTML is parsed.
    context = browser.new_context(viewport=WINDOW)
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder(context)
    context.add_init_script(DRAW_CLOCK.replace("EXPECTED", str(expected)))
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    sample["cold"] = scroll_through(page, expected)
    page.wait_for_load_state("load")
    sample["all"] = recorder.by_kind()
    recorder.clear()
    page.goto("about:blank")
    page.goto(url, wait_until="domcontentloaded")
    sample["warm"] = scroll_through(page, expected)
    sample["warm bytes"] = sum(size for _, size, _ in recorder.sizes)
    context.close()
    return sample


def median_sample(samples):
    """Return the median of every measure over ``samples``."""
    result = {}
    for key in BYTE_MEASURES:
        result[key] = {
            kind: statistics.median(s[key][kind] for s in samples) for kind in KINDS
        }
    for key in ("cold", "warm"):
        result[key] = [
            statistics.median(s[key][0] for s in samples),
            statistics.median(s[key][1] for s in samples),
        ]
    result["warm bytes"] = statistics.median(s["warm bytes"] for s in samples)
    return result


def lighthouse(command, url, chromium):
    """Run Lighthouse on ``url``; return its category scores and CLS."""
    with tempfile.TemporaryDirectory(prefix="ua-lighthouse-") as folder:
        report = Path(folder) / "report.json"
        args = [
            *command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        env = dict(os.environ, CHROME_PATH=chromium)
        result = subprocess.run(args, capture_output=True, text=True, env=env)
        if result.returncode != 0 or not report.is_file():
            return {"error": result.stderr.strip()[-300:]}
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {
        name: round(100 * (data["categories"][name]["score"] or 0))
        for name in CATEGORIES
    }
    audits = data["audits"]
    scores["CLS"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["LCP ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["TBT ms"] = round(audits["total-blocking-time"]["numericValue"])
    failed = [
        ref["id"]
        for name in CATEGORIES
        for ref in data["categories"][name]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]].get("score") or 0) < 1
    ]
    scores["failed audits"] = failed
    return scores


def median_scores(runs):
    """Return the median of every Lighthouse measure over ``runs``."""
    good = [run for run in runs if "error" not in run]
    if not good:
        return runs[0]
    result = {
        key: statistics.median(run[key] for run in good)
        for key in (*CATEGORIES, "CLS", "LCP ms", "TBT ms")
    }
    performance = [run["performance"] for run in good]
    result["performance range"] = f"{min(performance)}-{max(performance)}"
    result["runs"] = len(good)
    result["failed audits"] = sorted({a for run in good for a in run["failed audits"]})
    return result


def lighthouse_command(given):
    """Return the Lighthouse command as a list, or None if there is none."""
    if given:
        return given.split()
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    if local.is_file():
        return [str(local)]
    found = shutil.which("lighthouse")
    return [found] if found else None


def kib(size):
    """Format a byte count in KiB."""
    return f"{size / 1024:,.1f}"


def bundle_sizes(site_folder):
    """Return the raw and gzipped bytes of the site's plotly.js and the prebuilt.

    Gzipped as `scripts/localsite.py` serves them (level 6).
    """
    paths = {"site's plotly.js": site_folder / "assets/vendor/plotly/plotly.min.js"}
    dist = ROOT / "node_modules" / "plotly.js" / "dist"
    paths.update({name: dist / file for name, file in PREBUILT.items()})
    sizes = {}
    for name, path in paths.items():
        if path.is_file():
            data = path.read_bytes()
            sizes[name] = (len(data), len(gzip.compress(data, 6, mtime=0)))
    return sizes


def print_tables(builds, results, scores, bundles):
    """Print the results as Markdown tables."""
    print("\n## plotly.js bundles (KiB)\n")
    print("| bundle | raw | gzipped | gzipped / site's |")
    print("|---|---:|---:|---:|")
    ours = bundles.get("site's plotly.js", (0, 1))[1]
    for name, (raw, packed) in bundles.items():
        print(f"| {name} | {kib(raw)} | {kib(packed)} | {packed / ours:.2f} |")

    print("\n## Build time (s)\n")
    print("| site | mkdocs build | figures' HTML | total |")
    print("|---|---:|---:|---:|")
    for name, (build, extra) in builds.items():
        print(f"| {name} | {build:.1f} | {extra:.1f} | {build + extra:.1f} |")

    for post, by_site in results.items():
        print(f"\n## {post}: KiB on the wire (gzipped), medians\n")
        header = " | ".join(KINDS)
        print(f"| site | moment | {header} | total |")
        print("|---|---|" + "---:|" * (len(KINDS) + 1))
        for name, result in by_site.items():
            for key, label in BYTE_MEASURES.items():
                row = result[key]
                cells = " | ".join(kib(row[kind]) for kind in KINDS)
                print(f"| {name} | {label} | {cells} | {kib(sum(row.values()))} |")
        print(f"\n## {post}: ms from navigation start, medians\n")
        print(
            "| site | first drawn, cold | all drawn, cold | first drawn, warm "
            "| all drawn, warm | KiB on the wire, warm |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for name, result in by_site.items():
            cold, warm = result["cold"], result["warm"]
            print(
                f"| {name} | {cold[0]:.0f} | {cold[1]:.0f} | {warm[0]:.0f} "
                f"| {warm[1]:.0f} | {kib(result['warm bytes'])} |"
            )
        site, naive = by_site["site"], by_site["naive"]
        ratio = sum(site["all"].values()) / sum(naive["all"].values())
        print(f"\nsite / naive, all drawn: {ratio:.3f}")

    if scores:
        print("\n## Lighthouse 12, mobile preset (simulated throttling), medians\n")
        print(
            "| post | site | runs | performance (range) | accessibility "
            "| best practices | SEO | CLS | LCP ms | TBT ms | audits below 1 |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for (post, name), row in scores.items():
            if "error" in row:
                print(f"| {post} | {name} | error: {row['error']} |")
                continue
            print(
                f"| {post} | {name} | {row['runs']} | {row['performance']:g} "
                f"({row['performance range']}) | {row['accessibility']:g} "
                f"| {row['best-practices']:g} | {row['seo']:g} | {row['CLS']:.3f} "
                f"| {row['LCP ms']:.0f} | {row['TBT ms']:.0f} "
                f"| {', '.join(row['failed audits']) or '-'} |"
            )


def main():
    """Build and serve both sites, measure every post, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="loads per median")
    parser.add_argument("--lighthouse", help="Lighthouse command (default: local)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=5, help="Lighthouse runs per median"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    chromium = find_chromium()
    command = None if args.no_lighthouse else lighthouse_command(args.lighthouse)

    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="ua-bench-") as scratch,
        serving(Path(scratch) / "site") as (_, site_origin),
        serving(Path(scratch) / "naive") as (_, naive_origin),
    ):
        folders = {"site": Path(scratch) / "site", "naive": Path(scratch) / "naive"}
        origins = {"site": site_origin, "naive": naive_origin}
        builds = {}
        for name, folder in folders.items():
            start = time.perf_counter()
            build_site(folder, origins[name])
            builds[name] = [time.perf_counter() - start, 0.0]
        posts = posts_with_figures(folders["site"])
        builds["naive"][1] = make_naive(folders["naive"], posts)

        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox"]
            )
            for post in posts:
                text = (folders["site"] / post).read_text(encoding="utf-8")
                expected = text.count('class="ua-figure"')
                path = post[: -len("index.html")]
                results[post] = {}
                for name in folders:
                    url = origins[name] + path
                    samples = [
                        measure_once(browser, url, expected) for _ in range(args.runs)
                    ]
                    results[post][name] = median_sample(samples)
                    print(f"bench_site.py: measured {name} {post}", file=sys.stderr)
            browser.close()

        scores = {}
        if command is None and not args.no_lighthouse:
            print("bench_site.py: no Lighthouse found; skipped", file=sys.stderr)
        for post in posts if command else []:
            for name in folders:
                url = origins[name] + post[: -len("index.html")]
                runs = [
                    lighthouse(command, url, chromium)
                    for _ in range(args.lighthouse_runs)
                ]
                scores[(post, name)] = median_scores(runs)
                print(f"bench_site.py: Lighthouse {name} {post}", file=sys.stderr)

        bundles = bundle_sizes(folders["site"])

    print_tables(builds, results, scores, bundles)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "builds": builds,
                    "results": results,
                    "lighthouse": {f"{p} {n}": s for (p, n), s in scores.items()},
                    "bundles": bundles,
                },
                indent=1,
                sort_keys=True,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
