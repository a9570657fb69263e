"""The inputs of part 1 and the core calls that turn them into weights.

Everything here is chosen by hand for illustration (the library ratings, the
token features and projections) or drawn from a seeded generator (the scaling
experiment); the weights all come from the core's scaled dot-product attention.
`part1.py` turns these results into figures and quoted values, and the part 1
notebook calls the same functions.
"""

import numpy as np

from attention import scaled_dot_product_attention

# --8<-- [start:library]
# Key features: what a catalogue card says a book is about, rated 0 to 3.
KEY_FEATURES = (
    "about AI",
    "about programming",
    "about food",
    "fiction",
    "introductory",
)
# Value features: what a reader takes home from the book, rated 0 to 3.
VALUE_FEATURES = ("theory", "code", "cooking", "stories")
TITLES = (
    "Neural Networks",
    "Python Basics",
    "Deep Learning",
    "Cooking Recipes",
    "AI Fundamentals",
    "Romance Novels",
)
KEYS = np.array(
    [
        [3, 1, 0, 0, 1],  # Neural Networks
        [0, 3, 0, 0, 3],  # Python Basics
        [3, 2, 0, 0, 0],  # Deep Learning
        [0, 0, 3, 0, 2],  # Cooking Recipes
        [3, 0, 0, 0, 3],  # AI Fundamentals
        [0, 0, 0, 3, 1],  # Romance Novels
    ],
    dtype=np.float64,
)
VALUES = np.array(
    [
        [3, 2, 0, 0],  # Neural Networks
        [0, 3, 0, 0],  # Python Basics
        [3, 2, 0, 0],  # Deep Learning
        [0, 0, 3, 0],  # Cooking Recipes
        [2, 1, 0, 0],  # AI Fundamentals
        [0, 0, 0, 3],  # Romance Novels
    ],
    dtype=np.float64,
)
QUERY_TEXT = "machine learning"
# The query, in the key features: mostly about AI, partly about programming.
QUERY = np.array([1, 0.5, 0, 0, 0], dtype=np.float64)
# --8<-- [end:library]

AI_TITLES = ("Neural Networks", "Deep Learning", "AI Fundamentals")


# --8<-- [start:search]
def library_search(query=QUERY):
    """Weigh every title against one query and mix the titles' values.

    Parameters
    ----------
    query : array_like, shape (d_k,)
        The query in the key features, `KEY_FEATURES`.

    Returns
    -------
    out : ndarray, shape (d_v,)
        The weighted mix of `VALUES`.
    weights : ndarray, shape (n_k,)
        One weight per title; they sum to 1.
    """
    query = np.asarray(query, dtype=np.float64)
    out, weights = scaled_dot_product_attention(query[None, :], KEYS, VALUES)
    return out[0], weights[0]
    # --8<-- [end:search]


def exact_match(query_text=QUERY_TEXT):
    """Return the weights a dictionary lookup gives: 1 for an equal title, else 0.

    Parameters
    ----------
    query_text : str

    Returns
    -------
    ndarray, shape (n_k,)
    """
    return np.array([float(title.lower() == query_text.lower()) for title in TITLES])


# The scaling experiment: unit-variance queries and keys of growing width.
D_KS = (4, 16, 64, 256, 1024)
N_QUERIES = 500  # queries per width, each with its own keys
N_KEYS = 8
SEED = 1


# --8<-- [start:scaling]
def scaling_experiment(d_k, n_queries=N_QUERIES, n_keys=N_KEYS, seed=SEED):
    """Compare raw and scaled scores of random queries and keys of width d_k.

    Parameters
    ----------
    d_k : int
    n_queries : int
    n_keys : int
    seed : int

    Returns
    -------
    dict
        ``spread`` and ``spread_scaled``: standard deviation of the scores
        q . k and q . k / sqrt(d_k); ``weights`` and ``weights_scaled``: the
        softmax weights, shape (n_queries, n_keys), without and with scaling.
    """
    rng = np.random.default_rng([seed, d_k])
    q = rng.standard_normal((n_queries, 1, d_k))
    k = rng.standard_normal((n_queries, n_keys, d_k))
    v = np.zeros((n_queries, n_keys, 1))
    scores = (q @ k.swapaxes(-1, -2))[:, 0, :]  # (n_queries, n_keys)
    _, weights = scaled_dot_product_attention(q, k, v, scale=1.0)
    _, weights_scaled = scaled_dot_product_attention(q, k, v)
    return {
        "spread": float(scores.std()),
        "spread_scaled": float((scores / np.sqrt(d_k)).std()),
        "weights": weights[:, 0, :],
        "weights_scaled": weights_scaled[:, 0, :],
    }
    # --8<-- [end:scaling]


# --8<-- [start:sentence]
# Self-attention over a short sentence with hand-made token features.
TOKENS = ("the", "cat", "sat", "on", "the", "mat")
TOKEN_FEATURES = ("determiner", "noun", "animate", "verb", "preposition")
TOKEN_X = np.array(
    [
        [1, 0, 0, 0, 0],  # the
        [0, 1, 1, 0, 0],  # cat
        [0, 0, 0, 1, 0],  # sat
        [0, 0, 0, 0, 1],  # on
        [1, 0, 0, 0, 0],  # the
        [0, 1, 0, 0, 0],  # mat
    ],
    dtype=np.float64,
)
# Query and key space: "noun", "verb", "function word", "animate".
# A key says what a token is; a query says what the token looks for.
W_K = np.array(
    [
        [0, 0, 1, 0],  # determiner -> function word
        [1, 0, 0, 0],  # noun -> noun
        [0, 0, 0, 1],  # animate -> animate
        [0, 1, 0, 0],  # verb -> verb
        [0, 0, 1, 0],  # preposition -> function word
    ],
    dtype=np.float64,
)
# The factor 4 sets how decided each word is: with 1, every row of weights
# would be close to uniform and the pattern hard to see.
W_Q = 4.0 * np.array(
    [
        [1, 0, 0, 0],  # a determiner looks for a noun
        [0, 1, 0, 0],  # a noun looks for its verb
        [0, 0, 0, 0],  # being animate asks for nothing
        [1, 0, 0, 1],  # a verb looks for an animate noun
        [1, 0, 0, 0],  # a preposition looks for a noun
    ],
    dtype=np.float64,
)


def self_attention_weights():
    """Project the sentence into queries and keys and attend over itself.

    Returns
    -------
    ndarray, shape (n_tokens, n_tokens)
        Row i holds how token i weighs every token of the sentence.
    """
    q = TOKEN_X @ W_Q
    k = TOKEN_X @ W_K
    # The values are the token vectors themselves (W_V is the identity): the
    # figure shows only the weights.
    _, weights = scaled_dot_product_attention(q, k, TOKEN_X)
    return weights
    # --8<-- [end:sentence]


# The cost: the weight matrix the core returns for n tokens of width D_COST.
COST_NS = (128, 256, 512, 1024, 2048)
D_COST = 16


# --8<-- [start:cost]
def weight_matrix_mib(n):
    """Return the size in MiB of the (n, n) weights the core returns.

    Parameters
    ----------
    n : int
        Number of tokens (queries and keys).

    Returns
    -------
    float
    """
    x = np.random.default_rng([SEED, n]).standard_normal((n, D_COST))
    _, weights = scaled_dot_product_attention(x, x, x)
    return weights.nbytes / 2**20
    # --8<-- [end:cost]
