"""Softmax that is stable for large scores and exact about excluded entries."""

import numpy as np

from attention._checks import as_bool_mask, as_float_array


def softmax_inplace(scores, axis, name, caller, hint=""):
    """Overwrite `scores` with its softmax along `axis`.

    An entry equal to -inf gets weight exactly 0. A slice with no entry above
    -inf (all excluded) becomes all zeros.

    Parameters
    ----------
    scores : ndarray of float, any shape
        Overwritten with the weights.
    axis : int
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.
    hint : str
        Extra advice appended to the error message.

    Raises
    ------
    ValueError
        If a slice holds NaN or +inf.
    """
    # --8<-- [start:softmax]
    # softmax(s) = softmax(s - c) for any c, because exp(-c) cancels in the
    # ratio. With c = the slice max every exp is <= 1, so nothing overflows.
    top = np.max(scores, axis=axis, keepdims=True, initial=-np.inf)
    if np.any(np.isnan(top) | np.isposinf(top)):
        raise ValueError(
            f"{caller}: {name} holds NaN or +inf along axis {axis}; expected "
            f"finite values, or -inf for excluded entries{hint}"
        )

    # A slice with nothing allowed has max -inf; subtracting 0 instead keeps its
    # entries at -inf, so exp turns them into 0 rather than into NaN.
    top[np.isneginf(top)] = 0
    np.subtract(scores, top, out=scores)
    np.exp(scores, out=scores)

    # Divide by the slice total. One reciprocal per slice followed by a
    # multiply is cheaper than dividing every entry; a total of 0 (all excluded)
    # keeps reciprocal 0 so the slice stays 0.
    total = np.sum(scores, axis=axis, keepdims=True)
    inverse = np.divide(1, total, out=np.zeros_like(total), where=total > 0)
    np.multiply(scores, inverse, out=scores)
    # --8<-- [end:softmax]


def softmax(x, axis=-1, where=None):
    """Turn scores into probabilities along one axis.

    Parameters
    ----------
    x : array_like of float, shape (..., n)
        Scores. float16, float32 and float64 are kept as they are.
    axis : int
        Axis along which the result sums to 1.
    where : array_like of bool, optional, broadcastable to x.shape
        True where an entry takes part; False entries are excluded and get
        weight exactly 0, whatever their value (even NaN). Default: all take part.

    Returns
    -------
    ndarray, same shape and dtype as x
        Non-negative; each slice along `axis` sums to 1. The slice max is
        subtracted first, so scores as large as 1e4 (or the dtype's max) do not
        overflow. An entry equal to -inf gets weight 0. A slice whose entries
        are all excluded (or all -inf) gives all zeros, not NaN.

    Raises
    ------
    TypeError
        If `x` is not a float array, `where` is not boolean, or `axis` is not
        an int.
    ValueError
        If `axis` is out of range, `where` does not broadcast to ``x.shape``,
        or an included entry is NaN or +inf.
    """
    x = as_float_array(x, "x", "softmax")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"softmax: axis={axis!r}; expected an int")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"softmax: axis={axis} is out of range for x of shape {x.shape}; "
            f"expected -{x.ndim} <= axis < {x.ndim}"
        )
    weights = np.array(x, copy=True)

    if where is not None:
        where = as_bool_mask(where, "where", "softmax")
        try:
            fits = np.broadcast_shapes(where.shape, x.shape) == x.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"softmax: where has shape {where.shape}, which does not "
                f"broadcast to x's shape {x.shape}"
            )
        # Excluded entries become -inf, which the softmax turns into weight 0.
        np.copyto(weights, -np.inf, where=~where)

    softmax_inplace(weights, axis, "x", "softmax")
    return weights
