"""Boolean masks: True where a query may attend to a key."""

# Shapes: "..." = any leading batch axes, n_q = number of queries,
# n_k = number of keys, d_model = model width, d_k = query/key width,
# d_v = value width, n_heads = number of heads, d_head = d_model // n_heads.

import numpy as np

from attention._checks import check_count


def causal_mask(n_q, n_k=None):
    """Allow each query to see only keys at its own position or earlier.

    The queries are taken to be the last `n_q` of the `n_k` positions (the mask
    is aligned bottom-right), so query i may attend to key j exactly when
    ``j <= i + n_k - n_q``. With ``n_q == n_k`` this is the lower triangle,
    diagonal included. One new query over a cache of `n_k` keys
    (``n_q == 1``) may attend to all of them.

    Parameters
    ----------
    n_q : int
        Number of queries, >= 0.
    n_k : int, optional
        Number of keys, >= 0. Default: `n_q`.

    Returns
    -------
    ndarray of bool, shape (n_q, n_k)
        True where attending is allowed. If ``n_k < n_q``, the first
        ``n_q - n_k`` rows are all False; attention gives those queries zero
        weights and a zero output.

    Raises
    ------
    TypeError
        If `n_q` or `n_k` is not an int.
    ValueError
        If `n_q` or `n_k` is negative.
    """
    check_count(n_q, "n_q", "causal_mask")
    if n_k is None:
        n_k = n_q
    check_count(n_k, "n_k", "causal_mask")

    # np.tri sets [i, j] to True where j <= i + offset.
    return np.tri(n_q, n_k, k=n_k - n_q, dtype=bool)


def padding_mask(lengths, n):
    """Allow attending only to the real tokens of each padded sequence.

    Sequence b holds ``lengths[b]`` real tokens followed by padding up to `n`.

    Parameters
    ----------
    lengths : array_like of int, shape (batch,)
        Number of real tokens per sequence, each in ``0..n``.
    n : int
        Padded length, >= 0.

    Returns
    -------
    ndarray of bool, shape (batch, 1, n)
        True at real tokens (key positions ``j < lengths[b]``). The size-1 axis
        broadcasts over queries, and ``padding_mask(...) & causal_mask(n)``
        gives shape (batch, n, n). A sequence of length 0 has no key to attend
        to: attention gives it zero weights and a zero output.

    Raises
    ------
    TypeError
        If `lengths` is not an integer array, or `n` is not an int.
    ValueError
        If `lengths` is not 1-D, `n` is negative, or a length is outside
        ``0..n``.
    """
    check_count(n, "n", "padding_mask")
    lengths = np.asarray(lengths)
    if not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(
            f"padding_mask: lengths has dtype {lengths.dtype}; expected integers"
        )
    if lengths.ndim != 1:
        raise ValueError(
            f"padding_mask: lengths has shape {lengths.shape}; expected a 1-D "
            f"array (batch,)"
        )
    outside = (lengths < 0) | (lengths > n)
    if outside.any():
        raise ValueError(
            f"padding_mask: lengths {lengths[outside].tolist()} lie outside "
            f"0..n={n}; expected each length between 0 and n"
        )

    is_real = np.arange(n) < lengths[:, np.newaxis]  # (batch, n)
    return is_real[:, np.newaxis, :]  # (batch, 1, n)
