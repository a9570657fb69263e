"""Multi-head attention: several attention patterns side by side."""

# Shapes: "..." = any leading batch axes, n_q = number of queries,
# n_k = number of keys, d_model = model width, d_k = query/key width,
# d_v = value width, n_heads = number of heads, d_head = d_model // n_heads.

import numpy as np

from attention._checks import (
    as_float_array,
    broadcast_batch,
    broadcast_mask,
    check_count,
    check_finite,
    check_ndim,
    check_same_dtype,
)
from attention.attention import scaled_dot_product_attention


def _check_heads(d_model, n_heads, caller):
    """Refuse a head count that does not split d_model evenly.

    Parameters
    ----------
    d_model : int
    n_heads : int
    caller : str
        Public function name used in the error message.

    Raises
    ------
    TypeError
        If `n_heads` is not an int.
    ValueError
        If `n_heads` < 1 or does not divide `d_model`.
    """
    check_count(n_heads, "n_heads", caller, minimum=1)
    if d_model % n_heads != 0:
        raise ValueError(
            f"{caller}: d_model={d_model} must be divisible by n_heads={n_heads}"
        )


def split_heads(x, n_heads):
    """Cut the feature axis into `n_heads` equal slices, one per head.

    Parameters
    ----------
    x : array_like, shape (..., n, d_model)
    n_heads : int
        Must divide d_model.

    Returns
    -------
    ndarray, shape (..., n_heads, n, d_head)
        A view of `x` where possible (no copy); any dtype is kept.
        Head h holds features ``h * d_head`` to ``(h + 1) * d_head - 1``.

    Raises
    ------
    TypeError
        If `n_heads` is not an int.
    ValueError
        If `x` has fewer than 2 axes, or `n_heads` < 1 or does not divide
        d_model.
    """
    x = np.asarray(x)
    check_ndim(x, "x", 2, "(..., n, d_model)", "split_heads")
    *lead, n, d_model = x.shape
    _check_heads(d_model, n_heads, "split_heads")
    d_head = d_model // n_heads

    x_split = x.reshape(*lead, n, n_heads, d_head)  # (..., n, n_heads, d_head)
    return x_split.swapaxes(-2, -3)  # (..., n_heads, n, d_head)


def merge_heads(x):
    """Put the heads' slices back side by side on the feature axis.

    The inverse of `split_heads`.

    Parameters
    ----------
    x : array_like, shape (..., n_heads, n, d_head)

    Returns
    -------
    ndarray, shape (..., n, d_model) with d_model = n_heads * d_head
        Any dtype is kept.

    Raises
    ------
    ValueError
        If `x` has fewer than 3 axes.
    """
    x = np.asarray(x)
    check_ndim(x, "x", 3, "(..., n_heads, n, d_head)", "merge_heads")
    *lead, n_heads, n, d_head = x.shape

    x_by_position = x.swapaxes(-2, -3)  # (..., n, n_heads, d_head)
    return x_by_position.reshape(*lead, n, n_heads * d_head)  # (..., n, d_model)


def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, n_heads, mask=None):
    """Attend with `n_heads` heads, each on its own slice of the projections.

    For self-attention pass the same array as `x_q` and `x_kv`; for
    cross-attention pass the queries' sequence and the keys' sequence.

    Parameters
    ----------
    x_q : array_like of float, shape (..., n_q, d_model)
        Sequence the queries come from.
    x_kv : array_like of float, shape (..., n_k, d_model)
        Sequence the keys and values come from.
    w_q, w_k, w_v, w_o : array_like of float, shape (d_model, d_model)
        Projections, applied as ``x @ w`` (PyTorch's Linear stores the
        transpose). No biases.
    n_heads : int
        Number of heads; must divide d_model.
    mask : array_like of bool, optional, broadcastable to (..., n_q, n_k)
        True where a query may attend to a key; the same mask is used by
        every head. Default: every key is allowed.

    Returns
    -------
    out : ndarray, shape (..., n_q, d_model)
    weights : ndarray, shape (..., n_heads, n_q, n_k)
        Each head's attention weights; each row sums to 1, except that a query
        whose keys are all masked gets zero weights and contributes a zero
        vector before the output projection (not NaN).

    Notes
    -----
    Each head uses scale ``1 / sqrt(d_head)``. The result has the inputs'
    dtype (float16, float32 or float64); float32 in gives float32 out.

    Raises
    ------
    TypeError
        If an input is not a float array, the inputs differ in dtype, the mask
        is not boolean, or `n_heads` is not an int.
    ValueError
        If shapes disagree (feature widths, weight shapes, batch axes, mask),
        d_model is not divisible by `n_heads`, or an input is not finite.
    """
    caller = "multi_head_attention"
    arrays = {
        "x_q": x_q,
        "x_kv": x_kv,
        "w_q": w_q,
        "w_k": w_k,
        "w_v": w_v,
        "w_o": w_o,
    }
    arrays = {name: as_float_array(x, name, caller) for name, x in arrays.items()}
    check_same_dtype(caller, **arrays)
    x_q, x_kv, w_q, w_k, w_v, w_o = arrays.values()
    check_ndim(x_q, "x_q", 2, "(..., n_q, d_model)", caller)
    check_ndim(x_kv, "x_kv", 2, "(..., n_k, d_model)", caller)
    n_q, d_model = x_q.shape[-2:]
    n_k = x_kv.shape[-2]
    if x_kv.shape[-1] != d_model:
        raise ValueError(
            f"{caller}: x_q has d_model={d_model} (shape {x_q.shape}) but x_kv "
            f"has d_model={x_kv.shape[-1]} (shape {x_kv.shape}); expected equal "
            f"last axes"
        )
    for name in ("w_q", "w_k", "w_v", "w_o"):
        if arrays[name].shape != (d_model, d_model):
            raise ValueError(
                f"{caller}: {name} has shape {arrays[name].shape}; expected "
                f"(d_model, d_model) = {(d_model, d_model)}"
            )
    _check_heads(d_model, n_heads, caller)
    batch = broadcast_batch(caller, x_q=x_q, x_kv=x_kv)
    for name, x in arrays.items():
        check_finite(x, name, caller)
    if mask is not None:
        mask, _ = broadcast_mask(mask, (*batch, n_q, n_k), caller)

    # Project once to full width, then give each head its own slice.
    q_heads = split_heads(x_q @ w_q, n_heads)  # (..., n_heads, n_q, d_head)
    k_heads = split_heads(x_kv @ w_k, n_heads)  # (..., n_heads, n_k, d_head)
    v_heads = split_heads(x_kv @ w_v, n_heads)  # (..., n_heads, n_k, d_head)

    # A mask with batch axes needs a size-1 heads axis so that it lines up
    # with (..., n_heads, n_q, n_k) and is shared by all heads.
    mask_heads = mask
    if mask is not None and mask.ndim > 2:
        mask_heads = np.expand_dims(mask, -3)  # (..., 1, n_q, n_k)

    # Every head attends independently.
    out_heads, weights = scaled_dot_product_attention(
        q_heads, k_heads, v_heads, mask=mask_heads
    )

    # Concatenate the heads and mix them with w_o.
    out = merge_heads(out_heads) @ w_o  # (..., n_q, d_model)
    return out, weights
