# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Part 1 notebook: the library search
#
# This notebook goes with [part 1, "What is attention?"](../../blog/what-is-attention/).
# It runs the post's library search with the project's numpy core, so you can
# change the query and watch the weights move.
# The site executes it on every build, so the numbers below always match the core.
#
# To run it yourself, [download the notebook](part1.py) and follow the steps on the
# [notebooks page](../).

# %% [markdown]
# ## Setting up
#
# The notebook imports two things from the project: the core package `attention`
# and the figure code in `scripts`.
# Jupyter starts the kernel in the notebook's own folder (`docs/notebooks/`), which
# is not where those packages live, so the first cell walks up from the current
# folder until it finds the project root (the folder holding both `attention/` and
# `scripts/figkit.py`) and puts it first on `sys.path`.
# Run the notebook from anywhere inside the project and the imports work.
#
# The examples' inputs (the library ratings, the sentence) and the calls to the
# core live in `scripts/figures/_part1_inputs.py`; the figures are drawn by
# `scripts/figures/_part1_plots.py`, the same code that draws the post's figures,
# and `scripts/figures/part1.py` lists them with their captions.

# %%
import sys
from pathlib import Path


def find_project_root(start):
    """Return the nearest folder at or above `start` holding the project."""
    for folder in [start, *start.parents]:
        has_core = (folder / "attention").is_dir()
        if has_core and (folder / "scripts" / "figkit.py").is_file():
            return folder
    raise FileNotFoundError(
        f"no folder at or above {start} holds attention/ and scripts/figkit.py; "
        "open this notebook from inside the project's repository"
    )


ROOT = find_project_root(Path.cwd().resolve())
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# %%
import numpy as np

from attention import scaled_dot_product_attention, softmax
from scripts.figures import _part1_inputs as inputs
from scripts.figures import _part1_plots as plots
from scripts.notebook import find_spec, show, show_built

np.set_printoptions(precision=3, suppress=True)

# %% [markdown]
# ## The library
#
# Six books, each with a key (what its catalogue card says it is about) and a value
# (what a reader takes home from it).
# The ratings, from 0 to 3, were chosen by hand for this illustration.

# %%
print("key features:  ", inputs.KEY_FEATURES)
print("value features:", inputs.VALUE_FEATURES)
for title, key, value in zip(inputs.TITLES, inputs.KEYS, inputs.VALUES, strict=True):
    print(f"{title:16} key {key}  value {value}")
print(f"query '{inputs.QUERY_TEXT}': {inputs.QUERY}")

# %% [markdown]
# ## The search
#
# `library_search` is one call to `scaled_dot_product_attention` with a single
# query.
# It returns the output (a mix of the values) and one weight per book.

# %%
out, weights = inputs.library_search()
for i in np.argsort(-weights, kind="stable"):
    print(f"{inputs.TITLES[i]:16} {weights[i]:.3f}")
print("sum of the weights:", weights.sum())
print("output:", dict(zip(inputs.VALUE_FEATURES, out.round(2), strict=True)))

# %%
show("library-weights")

# %% [markdown]
# ## The same numbers by hand
#
# The core's result is the formula from the post, softmax of q·K divided by the
# square root of d_k, then multiplied by V.
# Written out with plain numpy it gives the same weights and the same output.

# %%
d_k = inputs.QUERY.size
scores = inputs.KEYS @ inputs.QUERY / np.sqrt(d_k)
by_hand = np.exp(scores) / np.exp(scores).sum()
print("scores: ", scores)
print("weights:", by_hand)
print("same weights as the core:", np.allclose(by_hand, weights, rtol=1e-12, atol=0))
print("same output as the core: ", np.allclose(by_hand @ inputs.VALUES, out))

# %% [markdown]
# ## Your own query
#
# A query is five numbers, one per key feature: about AI, about programming, about
# food, fiction, introductory.
# Change `my_query` below, for example to ask for a gentle introduction to cooking,
# and run the cell again.

# %%
my_query = np.array([0.0, 0.0, 1.0, 0.0, 0.5])
my_text = "easy cooking"

my_out, my_weights = inputs.library_search(my_query)
for title, weight in zip(inputs.TITLES, my_weights, strict=True):
    print(f"{title:16} {weight:.3f}")

spec = find_spec("library-weights")
show_built(
    spec,
    plots.build_library_weights(my_query, my_text),
    id="library-weights-yours",
    title=f"Your query: '{my_text}'",
    caption=f"Weights for the query {my_query.tolist()} against the same six books.",
)

# %%
show_built(
    find_spec("library-mix"),
    plots.build_library_mix(my_query),
    id="library-mix-yours",
    title=f"What '{my_text}' returns",
    caption="Each bar stacks weight × value for every book, for your query.",
)

# %% [markdown]
# ## A sharper or a softer search
#
# Multiplying the query by a number leaves its direction alone but scales every
# score.
# A longer query makes the softmax pickier (the best match takes more of the
# weight); a shorter one spreads the weight more evenly.
# This is the same effect that the division by the square root of d_k keeps in
# check.

# %%
for factor in [0.25, 0.5, 1, 2, 4, 8]:
    _, w = inputs.library_search(factor * inputs.QUERY)
    top = int(np.argmax(w))
    print(f"query × {factor:<5} largest weight {w[top]:.3f} ({inputs.TITLES[top]})")

# %% [markdown]
# ## Scores grow with the width
#
# For random queries and keys with unit-variance entries, the spread of the raw dot
# products grows like the square root of d_k, and the average largest weight
# approaches 1 unless the scores are scaled.

# %%
for d_k in inputs.D_KS:
    result = inputs.scaling_experiment(d_k)
    print(
        f"d_k = {d_k:5}: spread {result['spread']:6.2f} raw, "
        f"{result['spread_scaled']:.2f} scaled; largest weight "
        f"{result['weights'].max(axis=-1).mean():.2f} raw, "
        f"{result['weights_scaled'].max(axis=-1).mean():.2f} scaled"
    )

# %%
show("scaling-saturation")

# %% [markdown]
# ## Softmax on its own
#
# `softmax` is exported by the core too.
# Try a list of scores of your own: adding the same number to every score changes
# nothing, while multiplying them all by a large number approaches a hard choice.

# %%
my_scores = np.array([2.0, 1.0, 0.5, -1.0])
print(softmax(my_scores))
print(softmax(my_scores + 100))
print(softmax(10 * my_scores))

# %% [markdown]
# The core's attention function also takes several queries at once; the
# self-attention example from the post is one such call.

# %%
q = inputs.TOKEN_X @ inputs.W_Q
k = inputs.TOKEN_X @ inputs.W_K
_, sentence_weights = scaled_dot_product_attention(q, k, inputs.TOKEN_X)
print(sentence_weights.round(2))
show("self-attention-heatmap")
