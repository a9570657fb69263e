r"""Facts behind part 1's figures, the notebook figure boxes, and posts' numbers.

The last group scans every post for numbers typed into the prose: a decimal
number or a percentage there must come from the figure modules, written
``[[value: module.name]]``, so that it cannot drift from what the core computes.
Code (fenced or inline), math (``$...$``, ``$$...$$``, ``\(...\)``,
``\[...\]``), link targets and HTML comments are not prose. A line that quotes
a number from elsewhere (a paper's result, an arXiv id) is exempt when it
carries the marker ``<!-- cited -->``.
"""

import html
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import _common  # noqa: E402 (hooks/ is put on sys.path above)

from scripts import figkit, notebook  # noqa: E402
from scripts.figures import _part1_inputs as inputs  # noqa: E402
from scripts.figures import part1  # noqa: E402

POSTS = sorted((ROOT / "docs" / "blog" / "posts").glob("*.md"))
CITED = "<!-- cited -->"


# -- the library search ---------------------------------------------------


def test_library_weights_sum_to_one():
    _, weights = inputs.library_search()
    np.testing.assert_allclose(weights.sum(), 1.0, rtol=1e-12, atol=1e-12)


def test_top_library_weight_belongs_to_an_ai_title():
    _, weights = inputs.library_search()
    assert inputs.TITLES[int(np.argmax(weights))] in inputs.AI_TITLES


def test_ai_titles_outweigh_the_rest():
    _, weights = inputs.library_search()
    ai = [inputs.TITLES.index(title) for title in inputs.AI_TITLES]
    others = [i for i in range(len(inputs.TITLES)) if i not in ai]
    assert weights[ai].min() > weights[others].max()


def test_every_title_gets_some_weight():
    _, weights = inputs.library_search()
    assert weights.min() > 0


def test_library_output_is_the_weighted_mix_of_values():
    out, weights = inputs.library_search()
    out_ref = sum(w * v for w, v in zip(weights, inputs.VALUES, strict=True))
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_library_weights_match_the_formula_written_out():
    _, weights = inputs.library_search()
    scores = inputs.KEYS @ inputs.QUERY / np.sqrt(inputs.QUERY.size)
    weights_ref = np.exp(scores) / np.exp(scores).sum()
    np.testing.assert_allclose(weights, weights_ref, rtol=1e-10, atol=1e-12)


def test_exact_match_finds_no_title_for_the_query():
    assert inputs.exact_match().tolist() == [0.0] * len(inputs.TITLES)


def test_exact_match_finds_an_equal_title_ignoring_case():
    exact = inputs.exact_match("deep learning")
    assert exact.tolist() == [float(t == "Deep Learning") for t in inputs.TITLES]


# -- the scaling experiment -------------------------------------------------


@pytest.fixture(scope="module")
def scaling():
    return {d_k: inputs.scaling_experiment(d_k) for d_k in inputs.D_KS}


@pytest.mark.parametrize("d_k", inputs.D_KS, ids=lambda d: f"d_k={d}")
def test_scaled_spread_stays_near_one(scaling, d_k):
    assert abs(scaling[d_k]["spread_scaled"] - 1.0) < 0.1


@pytest.mark.parametrize("d_k", inputs.D_KS, ids=lambda d: f"d_k={d}")
def test_unscaled_spread_grows_like_sqrt_dk(scaling, d_k):
    assert abs(scaling[d_k]["spread"] / np.sqrt(d_k) - 1.0) < 0.1


@pytest.mark.parametrize("d_k", inputs.D_KS, ids=lambda d: f"d_k={d}")
def test_scaling_weights_sum_to_one(scaling, d_k):
    for key in ("weights", "weights_scaled"):
        sums = scaling[d_k][key].sum(axis=-1)
        np.testing.assert_allclose(sums, 1.0, rtol=1e-10, atol=1e-12)


def test_unscaled_softmax_saturates_at_the_largest_width(scaling):
    result = scaling[inputs.D_KS[-1]]
    assert result["weights"].max(axis=-1).mean() > 0.9
    assert result["weights_scaled"].max(axis=-1).mean() < 0.5


def test_scaling_experiment_is_reproducible():
    first = inputs.scaling_experiment(16)
    again = inputs.scaling_experiment(16)
    np.testing.assert_array_equal(first["weights"], again["weights"])


# -- self-attention and cost --------------------------------------------------


def test_self_attention_rows_sum_to_one():
    weights = inputs.self_attention_weights()
    n = len(inputs.TOKENS)
    assert weights.shape == (n, n)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-10, atol=1e-12)


def test_repeated_tokens_get_identical_rows():
    weights = inputs.self_attention_weights()
    first, second = [i for i, t in enumerate(inputs.TOKENS) if t == "the"]
    np.testing.assert_array_equal(weights[first], weights[second])


def test_verb_attends_most_to_the_animate_noun():
    weights = inputs.self_attention_weights()
    row = weights[inputs.TOKENS.index("sat")]
    assert inputs.TOKENS[int(np.argmax(row))] == "cat"


def test_weight_matrix_grows_fourfold_per_doubling():
    sizes = [inputs.weight_matrix_mib(n) for n in inputs.COST_NS[:3]]
    assert sizes[1] / sizes[0] == 4 and sizes[2] / sizes[1] == 4


# -- figures and values -------------------------------------------------------


@pytest.mark.parametrize("spec", part1.FIGURES, ids=lambda s: s.id)
def test_figure_builds_to_identical_json_twice(spec):
    first = figkit.to_json(figkit.figure_dict(spec, spec.build()), spec.id)
    again = figkit.to_json(figkit.figure_dict(spec, spec.build()), spec.id)
    assert first == again


def test_post_places_every_part1_figure():
    text = (ROOT / "docs/blog/posts/what-is-attention.md").read_text("utf-8")
    placed = set(re.findall(r"^\[\[figure: ([a-z0-9-]+)\]\]$", text, re.MULTILINE))
    assert placed == {spec.id for spec in part1.FIGURES}


def test_library_weights_text_quotes_the_top_weight():
    _, weights = inputs.library_search()
    built = part1.build_library_weights()
    top = inputs.TITLES[int(np.argmax(weights))]
    assert f"{top} {weights.max():.2f}" in built.text[0]


def test_scaling_slider_restyles_existing_traces():
    figure = part1.build_scaling_saturation().figure
    steps = figure.layout.sliders[0].steps
    assert [step.label for step in steps] == [str(d) for d in inputs.D_KS]
    for step in steps:
        assert step.method == "restyle"
        assert max(step.args[1]) < len(figure.data)


def test_values_have_kebab_names_and_notes():
    for value in part1.values():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value.name), value.name
        assert value.note, value.name


def test_top_weight_value_is_the_largest_library_weight():
    _, weights = inputs.library_search()
    values = {value.name: value.number for value in part1.values()}
    assert values["top-weight"] == pytest.approx(weights.max(), abs=1e-12)


# -- notebook figure boxes ------------------------------------------------------


def test_notebook_box_carries_the_figure_json_inline():
    spec = notebook.find_spec("library-weights")
    box = notebook.figure_box(spec, spec.build())
    match = re.search(r'data-figure-json="([^"]*)"', box)
    data = json.loads(html.unescape(match.group(1)))
    assert data["meta"]["id"] == "library-weights"
    assert 'id="figure-library-weights"' in box
    assert "data-figure-src" not in box


def test_notebook_box_is_the_same_every_time():
    spec = notebook.find_spec("self-attention-heatmap")
    assert notebook.figure_box(spec, spec.build()) == notebook.figure_box(
        spec, spec.build()
    )


def test_notebook_rejects_an_unknown_figure_id():
    with pytest.raises(ValueError, match="library-weights"):
        notebook.find_spec("library-weight")


# -- numbers in posts' prose ------------------------------------------------------

MATH = re.compile(
    r"\$\$.*?\$\$|\\\[.*?\\\]|\\\(.*?\\\)|(?<![\\$])\$[^$\n]+?\$", re.DOTALL
)
NOT_PROSE = [
    re.compile(r"\[\[(?:value|figure):[^\]\n]*\]\]"),
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"\]\([^)\n]*\)"),  # link targets
    re.compile(r"<https?://[^>\n]*>"),
    re.compile(r"^[ \t]*-{1,}8<-{1,}.*$", re.MULTILINE),  # snippet includes
    _common.MASKED,
]
NUMBER = re.compile(
    r"\d+(?:\.\d+)?[ \t]*(?:%|percent\b)"  # a percentage
    r"|(?<![\w.])\d*\.\d+(?!\w|\.\d)"  # a decimal number, not a version
)


def _blank(match):
    """Replace a match by spaces, keeping its newlines for line numbers."""
    return re.sub(r"[^\n]", " ", match.group())


def typed_numbers(markdown):
    """List the decimal numbers and percentages typed into Markdown prose.

    Parameters
    ----------
    markdown : str
        A page, front matter included.

    Returns
    -------
    list of (int, str)
        1-based line number and the number as written.
    """
    body = _common.parse_front_matter(markdown).body
    offset = markdown[: len(markdown) - len(body)].count("\n")
    lines = [" " * len(line) if CITED in line else line for line in body.split("\n")]
    prose = []
    for is_code, chunk in _common.split_fences("\n".join(lines)):
        if is_code:
            prose.append(re.sub(r"[^\n]", " ", chunk))
            continue
        text = _common.mask_code_spans(chunk).text
        for pattern in [MATH, *NOT_PROSE]:
            text = pattern.sub(_blank, text)
        prose.append(text)
    text = "".join(prose)
    return [
        (offset + text.count("\n", 0, m.start()) + 1, m.group().strip())
        for m in NUMBER.finditer(text)
    ]


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("The top weight is 0.32.\n", [(1, "0.32")]),
        ("About 79% of it.\n", [(1, "79%")]),
        ("Nearly 80 percent.\n", [(1, "80 percent")]),
        ("A weight of .5 here.\n", [(1, ".5")]),
        ("Six books, part 2, d_k = 1024.\n", []),
        ("Top: [[value: part1.top-weight]] and [[value: part1.x | .0%]].\n", []),
        ("Code `w = 0.5` and $\\sqrt{0.5}$ and \\(0.25\\).\n", []),
        ("$$\nx = 0.5\n$$\n", []),
        ("```python\nx = 0.5\n```\n", []),
        ("Vaswani et al. report 28.4 BLEU. <!-- cited -->\n", []),
        ("See [arXiv](https://arxiv.org/abs/1706.03762).\n", []),
        ('--8<-- "attention/attention.py:sdpa"\n', []),
        ("---\ntitle: x\n---\n\nText.\n\nIt is 0.5.\n", [(7, "0.5")]),
        ("Version 1.2.3 of a tool.\n", []),
    ],
    ids=[
        "decimal",
        "percent-sign",
        "percent-word",
        "leading-dot",
        "integers",
        "value-syntax",
        "inline-code-and-math",
        "display-math",
        "fenced-code",
        "cited-line",
        "link-target",
        "snippet",
        "line-after-front-matter",
        "version-is-not-a-decimal",
    ],
)
def test_typed_numbers_finds_only_prose_numbers(markdown, found):
    assert typed_numbers(markdown) == found


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.name)
def test_post_prose_quotes_computed_numbers_through_values(post):
    found = typed_numbers(post.read_text(encoding="utf-8"))
    assert not found, (
        f"{post.relative_to(ROOT)}: numbers typed into the prose at "
        + ", ".join(f"line {line} ({number})" for line, number in found)
        + "; quote them with [[value: module.name]], move them into math or "
        f"code, or end a line that cites a source with {CITED}"
    )


def test_library_bar_labels_match_the_quoted_format():
    _, weights = inputs.library_search()
    bars = part1.build_library_weights().figure.data[0]
    assert list(bars.text) == [f"{weight:.2f}" for weight in weights]
