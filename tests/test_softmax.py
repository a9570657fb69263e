"""Tests for attention.softmax."""

import numpy as np
import pytest

from attention import softmax
from tests.reference import softmax_ref

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
DTYPE_IDS = ["float16", "float32", "float64"]


@pytest.mark.parametrize(
    "shape", [(5,), (3, 4), (2, 3, 6), (1, 1)], ids=["1d", "2d", "3d", "single"]
)
def test_matches_loop_reference(shape):
    x = np.random.default_rng(0).normal(scale=3.0, size=shape)
    rows = x.reshape(-1, shape[-1])
    out_ref = np.array([softmax_ref(row) for row in rows]).reshape(shape)

    out = softmax(x)

    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -1, -2], ids=["0", "1", "-1", "-2"])
def test_weights_sum_to_one_along_axis(axis):
    x = np.random.default_rng(0).normal(size=(4, 5))

    out = softmax(x, axis=axis)

    np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-10, atol=1e-12)
    assert (out >= 0).all()


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=DTYPE_IDS)
def test_keeps_input_dtype(dtype):
    x = np.random.default_rng(0).normal(size=(3, 4)).astype(dtype)
    where = np.array([True, False, True, True])

    assert softmax(x).dtype == dtype
    assert softmax(x, where=where).dtype == dtype


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=DTYPE_IDS)
def test_large_scores_give_finite_correct_weights(dtype):
    # float16 is spaced 8 apart near 1e4, so its gap must be a multiple of 8.
    gap = 8.0 if dtype == np.float16 else 1.0
    x = np.array([[1e4, 1e4 - gap, -1e4], [-1e4, -1e4, -1e4]], dtype=dtype)
    e = np.exp(-gap)
    out_ref = np.array([[1 / (1 + e), e / (1 + e), 0.0], [1 / 3, 1 / 3, 1 / 3]])
    rtol, atol = (1e-3, 1e-3) if dtype == np.float16 else (1e-6, 1e-7)

    out = softmax(x)

    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, out_ref, rtol=rtol, atol=atol)


def test_adding_a_constant_leaves_weights_unchanged():
    x = np.random.default_rng(0).normal(size=(3, 5))

    np.testing.assert_allclose(softmax(x + 123.0), softmax(x), rtol=1e-10, atol=1e-12)


def test_excluded_entries_get_exactly_zero_weight():
    x = np.random.default_rng(0).normal(size=(3, 4))
    where = np.array([[True, False, True, False]])
    out_ref = np.array([softmax_ref(row, where[0]) for row in x])

    out = softmax(x, where=where)

    assert (out[:, ~where[0]] == 0).all()
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_excluded_nan_is_ignored():
    x = np.array([1.0, np.nan, 2.0])

    out = softmax(x, where=np.array([True, False, True]))

    np.testing.assert_allclose(
        out, softmax_ref([1.0, 0.0, 2.0], [1, 0, 1]), rtol=1e-12, atol=1e-12
    )


def test_all_excluded_slice_gives_zeros_not_nan():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    where = np.array([[True, True], [False, False]])

    out = softmax(x, where=where)

    np.testing.assert_array_equal(out[1], [0.0, 0.0])
    np.testing.assert_allclose(out[0].sum(), 1.0, rtol=1e-12, atol=0)


def test_minus_infinity_gets_zero_weight():
    out = softmax(np.array([0.0, -np.inf, 0.0]))

    np.testing.assert_array_equal(out, [0.5, 0.0, 0.5])


def test_leaves_input_unchanged():
    x = np.array([1.0, 2.0, 3.0])
    x_before = x.copy()

    softmax(x, where=np.array([True, False, True]))

    np.testing.assert_array_equal(x, x_before)


@pytest.mark.parametrize(
    ("x", "where", "kwargs", "error", "match"),
    [
        (np.arange(3), None, {}, TypeError, r"x has dtype int64; expected a real"),
        (np.array(["a"], dtype=object), None, {}, TypeError, "x has dtype object"),
        (
            np.ones(3),
            np.ones(3),
            {},
            TypeError,
            "where has dtype float64; expected a bool",
        ),
        (np.ones((2, 3)), np.ones(2, bool), {}, ValueError, r"where has shape \(2,\)"),
        (
            np.ones((2, 3)),
            np.ones((4, 3), bool),
            {},
            ValueError,
            r"broadcast to x's shape \(2, 3\)",
        ),
        (np.array([1.0, np.nan]), None, {}, ValueError, "x holds NaN or \\+inf"),
        (np.array([1.0, np.inf]), None, {}, ValueError, "x holds NaN or \\+inf"),
        (
            np.ones((2, 3)),
            None,
            {"axis": 2},
            ValueError,
            r"axis=2 is out of range for x of shape \(2, 3\)",
        ),
        (np.ones(3), None, {"axis": 0.0}, TypeError, "axis=0.0; expected an int"),
    ],
    ids=[
        "int-x",
        "object-x",
        "float-where",
        "where-wrong-shape",
        "where-grows-x",
        "nan-included",
        "inf-included",
        "axis-out-of-range",
        "float-axis",
    ],
)
def test_rejects_bad_input(x, where, kwargs, error, match):
    with pytest.raises(error, match=match):
        softmax(x, where=where, **kwargs)
