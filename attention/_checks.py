"""Input checks shared by the attention functions.

Every check raises ``ValueError`` or ``TypeError`` with a message that names the
calling function, the argument, what was given and what was expected.
"""

import numbers

import numpy as np


def as_float_array(x, name, caller):
    """Return `x` as an ndarray whose dtype is a real floating type.

    Parameters
    ----------
    x : array_like, any shape
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.

    Returns
    -------
    ndarray, same shape as x
        `x` itself when it already is a float ndarray (no copy).

    Raises
    ------
    TypeError
        If the dtype is not float16, float32, float64 or another real float
        (integer, bool, complex and object arrays are refused, not converted).
    """
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.floating):
        raise TypeError(
            f"{caller}: {name} has dtype {arr.dtype}; expected a real float dtype "
            f"(float16, float32 or float64), e.g. {name}.astype(np.float64)"
        )
    return arr


def check_same_dtype(caller, **arrays):
    """Refuse arrays of different dtypes, which numpy would silently promote.

    Parameters
    ----------
    caller : str
        Public function name used in the error message.
    **arrays : ndarray, any shape
        Named arrays that must share one dtype.

    Raises
    ------
    TypeError
        If the arrays do not all have the same dtype.
    """
    dtypes = {name: arr.dtype for name, arr in arrays.items()}
    if len(set(dtypes.values())) > 1:
        given = ", ".join(f"{name} {dtype}" for name, dtype in dtypes.items())
        raise TypeError(
            f"{caller}: inputs must share one float dtype so the result keeps it; "
            f"got {given}"
        )


def check_ndim(x, name, min_ndim, layout, caller):
    """Refuse an array with fewer than `min_ndim` axes.

    Parameters
    ----------
    x : ndarray, any shape
    name : str
        Argument name used in the error message.
    min_ndim : int
        Smallest number of axes accepted.
    layout : str
        Expected shape written with the dimension legend, e.g. "(..., n_q, d_k)".
    caller : str
        Public function name used in the error message.

    Raises
    ------
    ValueError
        If ``x.ndim < min_ndim``.
    """
    if x.ndim < min_ndim:
        raise ValueError(
            f"{caller}: {name} has shape {x.shape}; expected at least {min_ndim} "
            f"axes {layout}"
        )


def check_finite(x, name, caller):
    """Refuse an array that contains NaN or infinity.

    Parameters
    ----------
    x : ndarray, any shape
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.

    Raises
    ------
    ValueError
        If any entry of `x` is NaN, +inf or -inf.
    """
    finite = np.isfinite(x)
    if not finite.all():
        n_bad = finite.size - np.count_nonzero(finite)
        raise ValueError(
            f"{caller}: {name} (shape {x.shape}) contains {n_bad} non-finite "
            f"value(s) (NaN or inf); expected only finite values"
        )


def as_bool_mask(mask, name, caller):
    """Return `mask` as a boolean ndarray.

    Parameters
    ----------
    mask : array_like of bool, any shape
        True where attending is allowed.
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.

    Returns
    -------
    ndarray of bool, same shape as mask

    Raises
    ------
    TypeError
        If the dtype is not bool: a 0/1 integer mask or an additive float mask
        would otherwise be misread.
    """
    arr = np.asarray(mask)
    if arr.dtype != np.bool_:
        raise TypeError(
            f"{caller}: {name} has dtype {arr.dtype}; expected a bool mask, True "
            f"where attending is allowed (e.g. {name}.astype(bool))"
        )
    return arr


def check_count(n, name, caller, minimum=0):
    """Refuse a count that is not an integer of at least `minimum`.

    Parameters
    ----------
    n : int
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.
    minimum : int
        Smallest value accepted.

    Raises
    ------
    TypeError
        If `n` is not an integer (bool is refused too).
    ValueError
        If ``n < minimum``.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(
            f"{caller}: {name}={n!r} has type {type(n).__name__}; expected an int"
        )
    if n < minimum:
        raise ValueError(f"{caller}: {name}={n}; expected an int >= {minimum}")


def check_real_scalar(x, name, caller):
    """Refuse anything but a finite real number.

    Parameters
    ----------
    x : float
    name : str
        Argument name used in the error message.
    caller : str
        Public function name used in the error message.

    Raises
    ------
    TypeError
        If `x` is not a real number (bool, arrays and strings are refused).
    ValueError
        If `x` is NaN or infinite.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{caller}: {name}={x!r} has type {type(x).__name__}; expected a real "
            f"number"
        )
    if not np.isfinite(x):
        raise ValueError(f"{caller}: {name}={x}; expected a finite number")


def broadcast_batch(caller, **arrays):
    """Return the broadcast shape of the batch axes (all but the last two).

    Parameters
    ----------
    caller : str
        Public function name used in the error message.
    **arrays : ndarray, shape (..., a, b)
        Named arrays whose leading axes must broadcast together.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        If the batch axes do not broadcast.
    """
    try:
        return np.broadcast_shapes(*(arr.shape[:-2] for arr in arrays.values()))
    except ValueError:
        given = ", ".join(f"{name} {arr.shape}" for name, arr in arrays.items())
        raise ValueError(
            f"{caller}: the batch axes (all but the last two) must broadcast "
            f"together like numpy's; got shapes {given}"
        ) from None


def broadcast_mask(mask, scores_shape, caller):
    """Check a mask against the scores and return their joint shape.

    Parameters
    ----------
    mask : array_like of bool, broadcastable to (..., n_q, n_k)
        True where attending is allowed.
    scores_shape : tuple of int
        (..., n_q, n_k)
    caller : str
        Public function name used in the error message.

    Returns
    -------
    mask : ndarray of bool, same shape as the input mask
    shape : tuple of int
        Broadcast shape (..., n_q, n_k); batch axes of the mask may add to
        those of the scores.

    Raises
    ------
    TypeError
        If the mask is not boolean.
    ValueError
        If the mask does not broadcast to (..., n_q, n_k).
    """
    mask = as_bool_mask(mask, "mask", caller)
    n_q, n_k = scores_shape[-2:]
    try:
        shape = np.broadcast_shapes(mask.shape, scores_shape)
    except ValueError:
        shape = None
    if shape is None or shape[-2:] != (n_q, n_k):
        raise ValueError(
            f"{caller}: mask has shape {mask.shape}, which does not broadcast to "
            f"the scores' shape {scores_shape} (..., n_q={n_q}, n_k={n_k})"
        )
    return mask, shape
