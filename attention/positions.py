"""Position information: sinusoidal encodings and rotary embeddings."""

# Shapes: "..." = any leading batch axes, n_q = number of queries,
# n_k = number of keys, d_model = model width, d_k = query/key width,
# d_v = value width, n_heads = number of heads, d_head = d_model // n_heads.
# Here n = sequence length and d = width of the rotated vectors.

import numpy as np

from attention._checks import (
    as_float_array,
    check_count,
    check_finite,
    check_ndim,
    check_real_scalar,
)


def sinusoidal_positions(n, d_model):
    """Encode positions 0..n-1 as sines and cosines of falling frequency.

    Position p in dimension 2i holds ``sin(p / 10000**(2i / d_model))`` and in
    dimension 2i + 1 ``cos(p / 10000**(2i / d_model))``.

    Parameters
    ----------
    n : int
        Number of positions, >= 0.
    d_model : int
        Width of each encoding, >= 1. If odd, the last dimension is a sine
        without its cosine partner.

    Returns
    -------
    ndarray of float64, shape (n, d_model)
        Values in [-1, 1]; cast with ``.astype`` to match float32 inputs.

    Raises
    ------
    TypeError
        If `n` or `d_model` is not an int.
    ValueError
        If `n` < 0 or `d_model` < 1.
    """
    check_count(n, "n", "sinusoidal_positions")
    check_count(d_model, "d_model", "sinusoidal_positions", minimum=1)
    position = np.arange(n, dtype=np.float64)[:, np.newaxis]  # (n, 1)
    dim = np.arange(d_model)
    pair_start = dim - dim % 2  # 2i for both dimension 2i and 2i + 1

    # One frequency per pair of dimensions, from 1 down to about 1/10000.
    frequency = 10000.0 ** (-pair_start / d_model)
    angle = position * frequency  # (n, d_model)
    return np.where(dim % 2 == 0, np.sin(angle), np.cos(angle))


def rotary_embedding(x, positions, base=10000.0):
    """Rotate each pair of features by an angle proportional to the position.

    Dimensions (2i, 2i + 1) of the vector at position p are rotated by the
    angle ``p * base**(-2i / d)``. Applied to both queries and keys, this makes
    ``q . k`` depend on the positions only through their difference.

    Parameters
    ----------
    x : array_like of float, shape (..., n, d)
        Vectors to rotate, e.g. queries or keys; d must be even.
    positions : array_like of int or float, broadcastable to (..., n)
        Position of each vector, e.g. ``np.arange(n)``.
    base : float
        Sets the slowest frequency, ``base**(-(d - 2) / d)``; > 0.

    Returns
    -------
    ndarray, same shape and dtype as x
        Each pair keeps its length, so every vector keeps its norm. float32 in
        gives float32 out; the angles are computed in float64 first.

    Raises
    ------
    TypeError
        If `x` is not a float array, `positions` is not numeric, or `base` is
        not a real number.
    ValueError
        If d is odd, `x` has fewer than 2 axes, `positions` does not broadcast
        to (..., n), `base` <= 0, or `x` or `positions` is not finite.
    """
    caller = "rotary_embedding"
    x = as_float_array(x, "x", caller)
    check_ndim(x, "x", 2, "(..., n, d)", caller)
    d = x.shape[-1]
    if d % 2 != 0:
        raise ValueError(
            f"{caller}: x has shape {x.shape} with odd d={d}; expected an even "
            f"last axis (features are rotated in pairs)"
        )
    positions = np.asarray(positions)
    is_real = np.issubdtype(positions.dtype, np.integer) or np.issubdtype(
        positions.dtype, np.floating
    )
    if not is_real:
        raise TypeError(
            f"{caller}: positions has dtype {positions.dtype}; expected ints or floats"
        )
    try:
        fits = np.broadcast_shapes(positions.shape, x.shape[:-1]) == x.shape[:-1]
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{caller}: positions has shape {positions.shape}, which does not "
            f"broadcast to {x.shape[:-1]} (..., n) of x"
        )
    check_real_scalar(base, "base", caller)
    if base <= 0:
        raise ValueError(f"{caller}: base={base}; expected a number > 0")
    check_finite(x, "x", caller)
    check_finite(positions, "positions", caller)

    # One angle per pair, in float64 so that large positions stay exact
    # enough, then cast to x's dtype so that float32 stays float32.
    frequency = float(base) ** (-np.arange(0, d, 2) / d)
    angle = positions.astype(np.float64)[..., np.newaxis] * frequency  # (..., n, d/2)
    cos = np.cos(angle).astype(x.dtype)
    sin = np.sin(angle).astype(x.dtype)

    # Rotate (x_2i, x_2i+1) by the angle, as a point in the plane.
    x_even = x[..., 0::2]
    x_odd = x[..., 1::2]
    rotated = np.empty_like(x)
    rotated[..., 0::2] = x_even * cos - x_odd * sin
    rotated[..., 1::2] = x_even * sin + x_odd * cos
    return rotated
