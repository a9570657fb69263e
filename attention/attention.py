"""Scaled dot-product attention, the core of every attention layer."""

# Shapes: "..." = any leading batch axes, n_q = number of queries,
# n_k = number of keys, d_model = model width, d_k = query/key width,
# d_v = value width, n_heads = number of heads, d_head = d_model // n_heads.

import math

import numpy as np

from attention._checks import (
    as_float_array,
    broadcast_batch,
    broadcast_mask,
    check_finite,
    check_ndim,
    check_real_scalar,
    check_same_dtype,
)
from attention.softmax import softmax_inplace


def _check_inputs(q, k, v, mask, scale, caller):
    """Validate the arguments of `scaled_dot_product_attention`.

    Parameters
    ----------
    q : array_like of float, shape (..., n_q, d_k)
    k : array_like of float, shape (..., n_k, d_k)
    v : array_like of float, shape (..., n_k, d_v)
    mask : array_like of bool or None, broadcastable to (..., n_q, n_k)
        True where a query may attend to a key.
    scale : float or None
    caller : str
        Public function name used in the error messages.

    Returns
    -------
    q, k, v : ndarray
        The inputs as float arrays of one dtype.
    mask : ndarray of bool or None
    scale : float
        The given scale, or ``1 / sqrt(d_k)``.
    scores_shape : tuple of int
        (..., n_q, n_k), with the batch axes of q, k, v and mask broadcast.

    Raises
    ------
    TypeError, ValueError
        As listed for `scaled_dot_product_attention`.
    """
    q = as_float_array(q, "q", caller)
    k = as_float_array(k, "k", caller)
    v = as_float_array(v, "v", caller)
    check_same_dtype(caller, q=q, k=k, v=v)
    check_ndim(q, "q", 2, "(..., n_q, d_k)", caller)
    check_ndim(k, "k", 2, "(..., n_k, d_k)", caller)
    check_ndim(v, "v", 2, "(..., n_k, d_v)", caller)
    n_q, d_k = q.shape[-2:]
    n_k, d_v = v.shape[-2:]
    if k.shape[-1] != d_k:
        raise ValueError(
            f"{caller}: q has d_k={d_k} (shape {q.shape}) but k has "
            f"d_k={k.shape[-1]} (shape {k.shape}); expected equal last axes"
        )
    if d_k == 0:
        raise ValueError(f"{caller}: q has shape {q.shape}; expected d_k >= 1")
    if k.shape[-2] != n_k:
        raise ValueError(
            f"{caller}: k has n_k={k.shape[-2]} (shape {k.shape}) but v has "
            f"n_k={n_k} (shape {v.shape}); expected one value per key"
        )
    batch = broadcast_batch(caller, q=q, k=k, v=v)
    check_finite(q, "q", caller)
    check_finite(k, "k", caller)
    check_finite(v, "v", caller)
    scores_shape = (*batch, n_q, n_k)
    if mask is not None:
        mask, scores_shape = broadcast_mask(mask, scores_shape, caller)
    if scale is None:
        scale = 1 / math.sqrt(d_k)
    check_real_scalar(scale, "scale", caller)
    return q, k, v, mask, scale, scores_shape


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    """Mix the values, weighting each by how well its key matches the query.

    Computes ``softmax(q @ k^T * scale) @ v`` over the keys.

    Parameters
    ----------
    q : array_like of float, shape (..., n_q, d_k)
        Queries.
    k : array_like of float, shape (..., n_k, d_k)
        Keys.
    v : array_like of float, shape (..., n_k, d_v)
        Values.
    mask : array_like of bool, optional, broadcastable to (..., n_q, n_k)
        True where a query may attend to a key. Default: every key is allowed.
    scale : float, optional
        Multiplies the scores. Default: ``1 / sqrt(d_k)``.

    Returns
    -------
    out : ndarray, shape (..., n_q, d_v)
        Weighted averages of the values.
    weights : ndarray, shape (..., n_q, n_k)
        Attention weights: non-negative, each row sums to 1, exactly 0 where
        the mask is False.

    Notes
    -----
    The batch axes of q, k, v and mask broadcast together like numpy's.
    The result has the inputs' dtype (float16, float32 or float64): the scale
    is cast to it, so float32 in gives float32 out. Scores as large as 1e4 in
    magnitude give finite, correct weights, because the row max is subtracted
    before exp. A query whose keys are all masked gets zero weights and a zero
    output (not NaN).

    Raises
    ------
    TypeError
        If q, k or v is not a float array, they differ in dtype, the mask is
        not boolean, or the scale is not a real number.
    ValueError
        If an input has fewer than 2 axes, d_k is 0 or differs between q and
        k, n_k differs between k and v, the batch axes or the mask do not
        broadcast, q, k, v or the scale are not finite, or a score overflows.
    """
    caller = "scaled_dot_product_attention"
    q, k, v, mask, scale, scores_shape = _check_inputs(q, k, v, mask, scale, caller)

    # --8<-- [start:attend]
    # Scaling q (n_q * d_k numbers) is cheaper than scaling the scores
    # (n_q * n_k). Casting the scale keeps float32 input float32: a float64
    # scale would promote the product.
    q_scaled = q * q.dtype.type(scale)

    # (1) scores = q k^T / sqrt(d_k), written straight into the array that
    # becomes the weights: every later step works in place, so the only
    # n_q x n_k array alive per batch entry is the one returned. A float16
    # overflow is reported as an error by the softmax, so numpy's warning
    # would only repeat it.
    weights = np.empty(scores_shape, dtype=q.dtype)
    with np.errstate(over="ignore"):
        np.matmul(q_scaled, k.swapaxes(-1, -2), out=weights)

    # (2) A key that may not be attended to gets score -inf, so weight 0.
    if mask is not None:
        np.copyto(weights, -np.inf, where=~mask)

    # (3) weights = softmax(scores) over the keys, in place.
    softmax_inplace(
        weights,
        -1,
        "scores",
        caller,
        hint=f"; a score overflowed {weights.dtype}: use a wider dtype",
    )

    # (4) out = weights v: each output is a weighted average of the values.
    out = np.matmul(weights, v)
    return out, weights
    # --8<-- [end:attend]
