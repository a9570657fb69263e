"""Figures and values for part 1, "What is attention?".

This module is the registry the figure command reads: the records of the
post's figures (id, title, caption, alt text, builder) and the numbers its
prose quotes. The inputs and the calls to the core live in `_part1_inputs.py`,
the plotting in `_part1_plots.py`.
"""

import numpy as np

from scripts import figkit
from scripts.figures._part1_inputs import (
    AI_TITLES,
    COST_NS,
    D_KS,
    KEYS,
    N_KEYS,
    N_QUERIES,
    QUERY,
    TITLES,
    TOKENS,
    library_search,
    scaling_experiment,
    self_attention_weights,
    weight_matrix_mib,
)
from scripts.figures._part1_plots import (
    build_library_features,
    build_library_mix,
    build_library_weights,
    build_quadratic_cost,
    build_scaling_saturation,
    build_self_attention_heatmap,
)

FIGURES = [
    figkit.FigureSpec(
        id="library-features",
        title="The library as vectors",
        caption=(
            "Each title has a key (what its catalogue card says it is about) and a "
            "value (what a reader takes home), rated 0 to 3 by hand for this "
            "illustration; the query 'machine learning' is described in the key "
            "features only (mostly AI, partly programming), because it is matched "
            "against keys and has no value of its own."
        ),
        alt=(
            "Two grids of ratings: the query and six book titles against five key "
            "features, and the six titles against four value features."
        ),
        build=build_library_features,
        height=380,
    ),
    figkit.FigureSpec(
        id="library-weights",
        title="Soft lookup against exact match",
        caption=(
            "Attention gives every title a weight, the largest to the AI books and "
            "a little even to cooking and romance, and the weights sum to 1; an "
            "exact-match lookup finds no title equal to 'machine learning' and "
            "returns nothing (weights from the core's scaled dot-product attention "
            "on the hand-made ratings above)."
        ),
        alt=(
            "Horizontal bars: attention weights for six titles, largest for Deep "
            "Learning, beside an exact-match panel where every bar is zero."
        ),
        build=build_library_weights,
        height=360,
    ),
    figkit.FigureSpec(
        id="library-mix",
        title="The answer is a weighted mix of values",
        caption=(
            "Each bar stacks weight × value for every title, so the output is "
            "mostly theory and code from the AI books, with thin slivers of "
            "cooking and stories that a soft lookup never quite removes."
        ),
        alt=(
            "Stacked bars for theory, code, cooking and stories, each split into "
            "the contributions of the six titles; theory and code are tall."
        ),
        build=build_library_mix,
        height=420,
    ),
    figkit.FigureSpec(
        id="scaling-saturation",
        title="Why divide by √d_k",
        caption=(
            "Move the slider: for random queries and keys with unit-variance "
            "entries (seeded), the spread of q · k grows like √d_k and the "
            "softmax puts almost all weight on one key, while dividing by √d_k "
            "keeps the spread near 1 and the weights spread out at every width."
        ),
        alt=(
            "Left: standard deviation of scores against d_k on log axes, rising "
            "for raw scores and flat for scaled ones. Right: one query's weights "
            "over eight keys, with and without scaling, for the chosen d_k."
        ),
        build=build_scaling_saturation,
        height=460,
    ),
    figkit.FigureSpec(
        id="self-attention-heatmap",
        title="Self-attention over one sentence",
        caption=(
            "Each row is a query token and sums to 1; the token vectors are five "
            "hand-made features (determiner, noun, animate, verb, preposition) and "
            "the query and key projections are chosen by hand so that each word "
            "looks for a grammatical partner, where a trained model would learn "
            "its own; both 'the' rows are identical because nothing here encodes "
            "position."
        ),
        alt=(
            "A six by six heatmap of attention weights for 'the cat sat on the "
            "mat'; 'sat' attends mostly to 'cat', nouns attend to 'sat', and "
            "'the' and 'on' split their weight between 'cat' and 'mat'."
        ),
        build=build_self_attention_heatmap,
        height=420,
    ),
    figkit.FigureSpec(
        id="quadratic-cost",
        title="The weight matrix grows with the square of the length",
        caption=(
            "Each doubling of the number of tokens multiplies the size of the "
            "weight matrix by four; on the log scale (the button above the bars) "
            "that shows as equal steps (measured on the (n, n) float64 weights "
            "the core returns for one head)."
        ),
        alt=(
            "Bars for 128 to 2048 tokens: the memory of the weights is a small "
            "fraction of a MiB at first and reaches tens of MiB, four times as "
            "much at each step; buttons switch the height axis between a linear "
            "and a log scale."
        ),
        build=build_quadratic_cost,
        height=380,
    ),
]


def values():
    """Return the numbers the part 1 post quotes.

    Returns
    -------
    list of figkit.Value
    """
    out, weights = library_search()
    by_title = dict(zip(TITLES, weights, strict=True))
    top = int(np.argmax(weights))
    scores = KEYS @ QUERY  # (n_k,)
    deep = TITLES.index("Deep Learning")
    small = scaling_experiment(D_KS[0])
    large = scaling_experiment(D_KS[-1])
    sentence = self_attention_weights()
    sizes = [weight_matrix_mib(n) for n in COST_NS]
    big = f"at d_k={D_KS[-1]} over {N_QUERIES} queries of {N_KEYS} keys"
    table = [
        ("top-weight", weights[top], ".2f", f"library weight of {TITLES[top]}"),
        (
            "ai-weight",
            sum(by_title[title] for title in AI_TITLES),
            ".0%",
            "summed library weight of " + ", ".join(AI_TITLES),
        ),
        ("romance-weight", by_title["Romance Novels"], ".2f", "weight of Romance"),
        ("python-weight", by_title["Python Basics"], ".2f", "weight of Python Basics"),
        ("dl-score", scores[deep], ".1f", "q . k of the query and Deep Learning"),
        ("sqrt-dk-library", np.sqrt(QUERY.size), ".2f", "sqrt(d_k) for 5 features"),
        (
            "dl-scaled-score",
            scores[deep] / np.sqrt(QUERY.size),
            ".2f",
            "q . k / sqrt(d_k) of the query and Deep Learning",
        ),
        ("output-theory", out[0], ".2f", "'theory' entry of the library output"),
        ("output-cooking", out[2], ".2f", "'cooking' entry of the library output"),
        ("dk-small", D_KS[0], ".0f", "smallest d_k in the scaling figure"),
        ("dk-large", D_KS[-1], ".0f", "largest d_k in the scaling figure"),
        ("n-keys-scaling", N_KEYS, ".0f", "keys per query in the scaling figure"),
        ("spread-small", small["spread"], ".1f", f"std of q . k at d_k={D_KS[0]}"),
        ("spread-large", large["spread"], ".1f", f"std of q . k at d_k={D_KS[-1]}"),
        (
            "spread-scaled-large",
            large["spread_scaled"],
            ".2f",
            f"std of q . k / sqrt(d_k) at d_k={D_KS[-1]}",
        ),
        (
            "max-weight-unscaled",
            large["weights"].max(axis=-1).mean(),
            ".2f",
            f"average largest weight without scaling {big}",
        ),
        (
            "max-weight-scaled",
            large["weights_scaled"].max(axis=-1).mean(),
            ".2f",
            f"average largest weight with scaling {big}",
        ),
        (
            "sat-cat-weight",
            sentence[TOKENS.index("sat"), TOKENS.index("cat")],
            ".2f",
            "self-attention weight of query 'sat' on key 'cat'",
        ),
        (
            "the-cat-weight",
            sentence[TOKENS.index("the"), TOKENS.index("cat")],
            ".2f",
            "weight of query 'the' on key 'cat' (the same as on 'mat')",
        ),
        ("cost-n-large", COST_NS[-1], ".0f", "largest length in the cost figure"),
        (
            "cost-mib-large",
            sizes[-1],
            ".0f",
            f"MiB of the float64 weights for {COST_NS[-1]} tokens",
        ),
        (
            "cost-doubling",
            sizes[-1] / sizes[-2],
            ".0f",
            "growth of the weights' size when the length doubles",
        ),
    ]
    return [
        figkit.Value(name, float(number), fmt, note)
        for name, number, fmt, note in table
    ]
