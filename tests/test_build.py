"""Build small fixture sites with `mkdocs build --strict` and the project's hooks.

Each fixture is a Material site with the blog plugin, a figures/ folder that
follows the contract and a few posts. hooks/vendor.py is left out: it copies
from node_modules/, which the fixtures do not need.
"""

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HOOKS = Path(__file__).resolve().parents[1] / "hooks"

CONFIG = f"""\
site_name: Fixture
theme:
  name: material
  font: false
plugins:
  - blog:
      blog_dir: blog
      post_url_format: "{{slug}}"
      draft: false
      draft_on_serve: true
      categories_allowed: [Foundations, Mechanics]
hooks:
  - {HOOKS / "regenerate.py"}
  - {HOOKS / "figures.py"}
  - {HOOKS / "series.py"}
markdown_extensions:
  - pymdownx.superfences
"""

PART_1 = """\
---
title: What is attention?
date: 2025-01-02
description: A soft lookup.
authors: [team]
tags: [attention]
categories: [Foundations]
series: Understanding Attention
part: 1
draft: false
---

# What is attention?

The best title gets [[value: part1.top-weight]] of the weight.

<!-- more -->

[[figure: library-weights]]

```python
weight = "[[value: part1.top-weight]]"
```
"""

PART_2 = """\
---
title: Scaled dot-product attention
date: 2025-02-03
description: Every matrix in turn.
authors: [team]
tags: [attention]
categories: [Foundations]
series: Understanding Attention
part: 2
draft: false
---

# Scaled dot-product attention

Its share is [[value: part1.top-weight | .0%]].
"""

PART_3_DRAFT = """\
---
title: Masks and positions
date: 2025-03-04
description: "PLACEHOLDER: what the post teaches."
authors: [team]
tags: [masks]
categories: [Foundations]
series: Understanding Attention
part: 3
draft: true
---

# Masks and positions

<!-- more -->

[[figure: mask-grid]]
"""

FILES = {
    "docs/index.md": "# Home\n",
    "docs/blog/index.md": "# Blog\n",
    "docs/blog/.authors.yml": (
        "authors:\n  team:\n    name: Team\n    description: T\n    avatar: a.svg\n"
    ),
    "docs/blog/posts/part-1.md": PART_1,
    "docs/blog/posts/part-2.md": PART_2,
    "docs/blog/posts/part-3.md": PART_3_DRAFT,
}


def figure_file(fid):
    """Make the text of a figure file as scripts/build_figures.py writes it."""
    figure = {
        "data": [{"type": "heatmap", "z": [[0.2, 0.8]]}],
        "layout": {},
        "meta": {
            "alt": f"Alt of {fid}",
            "caption": f"Caption of {fid}",
            "height": 300,
            "id": fid,
            "text": ["q1: k2 (0.80)"],
            "title": f"Title of {fid}",
        },
    }
    return json.dumps(figure, sort_keys=True)


def write_site(root, changes=None, figure_ids=("library-weights", "mask-grid")):
    """Write a fixture site into `root`, with some text of its files replaced.

    Parameters
    ----------
    root : pathlib.Path
    changes : dict, optional
        Path of a default file to an ``(old, new)`` replacement in its text.
    figure_ids : tuple of str
    """
    files = dict(FILES)
    for path, (old, new) in (changes or {}).items():
        assert old in files[path], f"fixture has no {old!r} in {path}"
        files[path] = files[path].replace(old, new)
    files["mkdocs.yml"] = CONFIG
    for fid in figure_ids:
        files[f"figures/{fid}.json"] = figure_file(fid)
    values = {"part1.top-weight": {"format": ".2f", "note": "n", "value": 0.412}}
    files["figures/values.json"] = json.dumps(values, sort_keys=True)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def build(root):
    """Run `mkdocs build --strict` in `root`; return the completed process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """Build the good fixture site once; return its root and the build result."""
    root = tmp_path_factory.mktemp("good")
    write_site(root)
    return root, build(root)


def page(root, url):
    """Read the article of the built page at `url`."""
    html = (root / "site" / url / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def resolves(root, page_url, href):
    """Tell whether a relative link on the page at `page_url` reaches a page."""
    target = posixpath.normpath(posixpath.join(page_url, href))
    return (root / "site" / target / "index.html").is_file()


class TestGoodSite:
    def test_builds_without_warnings(self, good_site):
        _, result = good_site
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr

    def test_post_has_the_figure_box_and_the_value(self, good_site):
        root, _ = good_site
        article = page(root, "blog/what-is-attention")
        assert (
            '<figure class="ua-figure" id="figure-library-weights" '
            'data-figure-id="library-weights"' in article
        )
        assert 'data-figure-src="../../assets/figures/library-weights.json"' in article
        assert "gets 0.41 of the weight" in article
        assert (root / "site/assets/figures/library-weights.json").is_file()

    def test_value_in_a_code_block_is_left_alone(self, good_site):
        root, _ = good_site
        assert "[[value: part1.top-weight]]" in page(root, "blog/what-is-attention")

    def test_banner_says_part_1_of_2_and_links_the_series_index(self, good_site):
        root, _ = good_site
        article = page(root, "blog/what-is-attention")
        banner = re.search(r"Part 1 of 2 in the series <a href=\"([^\"]+)\"", article)
        assert banner is not None
        assert banner.group(1) == "../../series/understanding-attention/"
        assert resolves(root, "blog/what-is-attention/", banner.group(1))

    def test_next_and_previous_links_reach_the_other_part(self, good_site):
        root, _ = good_site
        first = page(root, "blog/what-is-attention")
        second = page(root, "blog/scaled-dot-product-attention")
        next_href = re.search(r'Next: <a href="([^"]+)">Part 2: ', first).group(1)
        back_href = re.search(r'Previous: <a href="([^"]+)">Part 1: ', second)
        assert resolves(root, "blog/what-is-attention/", next_href)
        assert resolves(root, "blog/scaled-dot-product-attention/", back_href.group(1))
        assert "Part 2 of 2" in second

    def test_series_index_lists_published_parts_in_order(self, good_site):
        root, _ = good_site
        article = page(root, "series/understanding-attention")
        first = article.index("What is attention?")
        second = article.index("Scaled dot-product attention")
        assert first < article.index("2 January 2025") < second
        assert "A soft lookup." in article
        assert "Masks and positions" not in article

    def test_draft_is_not_built_and_its_figure_is_not_reported(self, good_site):
        root, result = good_site
        assert not (root / "site/blog/masks-and-positions").exists()
        assert not (root / "site/assets/figures/mask-grid.json").exists()
        assert "mask-grid" not in result.stderr


BAD_SITES = {
    "unknown-figure": (
        {"docs/blog/posts/part-1.md": ("library-weights", "library-weight")},
        [
            "blog/posts/part-1.md: unknown figure 'library-weight'; "
            "closest known ids: library-weights"
        ],
    ),
    "unknown-value": (
        {"docs/blog/posts/part-2.md": ("part1.top-weight", "part1.top-weigth")},
        [
            "blog/posts/part-2.md: unknown value 'part1.top-weigth'; "
            "closest known values: part1.top-weight"
        ],
    ),
    "no-title": (
        {"docs/blog/posts/part-2.md": ("title: Scaled dot-product attention\n", "")},
        ["blog/posts/part-2.md: front matter field 'title' is missing"],
    ),
    "no-date": (
        {"docs/blog/posts/part-2.md": ("date: 2025-02-03\n", "")},
        ["blog/posts/part-2.md: front matter field 'date' is missing"],
    ),
    "not-yaml": (
        {"docs/blog/posts/part-2.md": ("part: 2\n", "part: [2\n")},
        ["blog/posts/part-2.md: front matter is not valid YAML at line"],
    ),
    "duplicated-part": (
        {"docs/blog/posts/part-2.md": ("part: 2", "part: 1")},
        [
            "blog/posts/part-2.md: front matter field 'part' is 1, which "
            "blog/posts/part-1.md also has in series 'Understanding Attention'"
        ],
    ),
    "figure-in-excerpt": (
        {
            "docs/blog/posts/part-1.md": (
                "<!-- more -->\n\n[[figure: library-weights]]",
                "[[figure: library-weights]]\n\n<!-- more -->",
            )
        },
        [
            "blog/posts/part-1.md: figure 'library-weights' is above the excerpt "
            "separator"
        ],
    ),
    "unused-figure": (
        {"docs/blog/posts/part-1.md": ("[[figure: library-weights]]", "")},
        ["figures/library-weights.json: no page places figure 'library-weights'"],
    ),
}


# BAD_SITES are built by tests/test_broken_input.py with `make build`, which
# also checks that each failure keeps the last good site/.


def test_missing_figures_folder_stops_the_build(tmp_path):
    write_site(tmp_path, figure_ids=())
    (tmp_path / "figures/values.json").unlink()
    (tmp_path / "figures").rmdir()
    result = build(tmp_path)
    assert result.returncode != 0
    assert "no figures folder" in result.stderr
