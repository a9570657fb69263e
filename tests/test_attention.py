"""Tests for attention.scaled_dot_product_attention."""

import math

import numpy as np
import pytest

from attention import causal_mask, padding_mask, scaled_dot_product_attention
from tests.reference import attention_ref

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
DTYPE_IDS = ["float16", "float32", "float64"]


def random_qkv(q_shape, k_shape, v_shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return tuple(
        rng.standard_normal(shape).astype(dtype)
        for shape in (q_shape, k_shape, v_shape)
    )


# (q shape, k shape, v shape, mask or None)
REFERENCE_CASES = {
    "single-query": ((1, 4), (1, 4), (1, 4), None),
    "square": ((5, 4), (5, 4), (5, 4), None),
    "n_q-ne-n_k": ((3, 4), (7, 4), (7, 4), None),
    "d_k-ne-d_v": ((5, 3), (6, 3), (6, 8), None),
    "batch-axis": ((2, 5, 4), (2, 6, 4), (2, 6, 3), None),
    "two-batch-axes": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 2), None),
    "shared-keys": ((2, 3, 4, 5), (6, 5), (6, 2), None),
    "broadcast-batch": ((2, 1, 4, 5), (1, 3, 6, 5), (3, 6, 2), None),
    "causal": ((6, 4), (6, 4), (6, 3), causal_mask(6)),
    "causal-cache": ((2, 2, 3, 4), (2, 2, 7, 4), (2, 2, 7, 4), causal_mask(3, 7)),
    "random-mask": (
        (2, 5, 4),
        (2, 6, 4),
        (2, 6, 3),
        np.random.default_rng(1).random((2, 5, 6)) < 0.6,
    ),
    "padding": ((3, 5, 4), (3, 5, 4), (3, 5, 4), padding_mask([5, 2, 1], 5)),
    "padding-and-causal": (
        (3, 5, 4),
        (3, 5, 4),
        (3, 5, 4),
        padding_mask([5, 2, 3], 5) & causal_mask(5),
    ),
    "mask-adds-batch": ((4, 3), (5, 3), (5, 2), padding_mask([5, 1], 5)),
    "all-masked-row": (
        (4, 3),
        (5, 3),
        (5, 2),
        np.array(
            [[1, 1, 0, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool
        ),
    ),
    "key-mask-1d": ((4, 3), (5, 3), (5, 2), np.array([1, 0, 1, 1, 0], bool)),
}


@pytest.mark.parametrize(
    ("q_shape", "k_shape", "v_shape", "mask"),
    list(REFERENCE_CASES.values()),
    ids=list(REFERENCE_CASES),
)
def test_matches_loop_reference(q_shape, k_shape, v_shape, mask):
    q, k, v = random_qkv(q_shape, k_shape, v_shape)
    out_ref, weights_ref = attention_ref(q, k, v, mask)

    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)

    assert out.shape == out_ref.shape
    assert weights.shape == weights_ref.shape
    np.testing.assert_allclose(weights, weights_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_weights_sum_to_one_over_keys():
    q, k, v = random_qkv((2, 5, 4), (2, 9, 4), (2, 9, 3))

    _, weights = scaled_dot_product_attention(q, k, v)

    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12, atol=1e-12)


def test_default_scale_is_one_over_sqrt_d_k():
    q, k, v = random_qkv((5, 16), (6, 16), (6, 3))

    out_default, _ = scaled_dot_product_attention(q, k, v)
    out_explicit, _ = scaled_dot_product_attention(q, k, v, scale=0.25)

    np.testing.assert_allclose(out_default, out_explicit, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "scale", [None, 0.5, np.float64(0.5)], ids=["default", "float", "np-float64"]
)
def test_output_keeps_input_dtype(dtype, scale):
    # A float64 scale would promote float32 scores under numpy 2's rules.
    q, k, v = random_qkv((2, 5, 8), (2, 6, 8), (2, 6, 3), dtype=dtype)

    out, weights = scaled_dot_product_attention(q, k, v, causal_mask(5, 6), scale)

    assert out.dtype == dtype
    assert weights.dtype == dtype


@pytest.mark.parametrize(
    ("dtype", "rtol", "atol"),
    [(np.float16, 2e-2, 2e-2), (np.float32, 1e-5, 1e-5), (np.float64, 1e-10, 1e-12)],
    ids=DTYPE_IDS,
)
def test_low_precision_matches_float64(dtype, rtol, atol):
    q, k, v = random_qkv((2, 5, 8), (2, 6, 8), (2, 6, 3))
    out_ref, weights_ref = scaled_dot_product_attention(q, k, v)

    out, weights = scaled_dot_product_attention(
        q.astype(dtype), k.astype(dtype), v.astype(dtype)
    )

    np.testing.assert_allclose(weights, weights_ref, rtol=rtol, atol=atol)
    np.testing.assert_allclose(out, out_ref, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["positive", "negative"])
def test_scores_of_1e4_give_finite_correct_weights(dtype, sign):
    # d_k = 1 and scale 1, so the scores are q * k = +-1e4, +-(1e4 - gap), -+1e4,
    # all exact in the dtype (float16 is spaced 8 apart near 1e4).
    gap = 8.0 if dtype == np.float16 else 1.0
    q = np.array([[128.0]], dtype=dtype)
    k = sign * np.array([[1e4], [1e4 - gap], [-1e4]], dtype=dtype) / dtype(128)
    v = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]], dtype=dtype)
    e = np.exp(-gap)
    weights_ref = np.array([1, e, 0]) / (1 + e) if sign > 0 else np.array([0, 0, 1])
    rtol, atol = (1e-3, 1e-4) if dtype == np.float16 else (1e-6, 1e-7)

    out, weights = scaled_dot_product_attention(q, k, v, scale=1.0)

    assert np.isfinite(weights).all()
    np.testing.assert_allclose(weights[0], weights_ref, rtol=rtol, atol=atol)
    np.testing.assert_allclose(out[0], weights_ref @ v, rtol=rtol, atol=atol)


def test_fully_masked_query_gets_zero_weights_and_zero_output():
    q, k, v = random_qkv((3, 4), (5, 4), (5, 2))
    mask = np.ones((3, 5), bool)
    mask[1] = False

    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)

    np.testing.assert_array_equal(weights[1], np.zeros(5))
    np.testing.assert_array_equal(out[1], np.zeros(2))
    np.testing.assert_allclose(weights[[0, 2]].sum(-1), 1.0, rtol=1e-12, atol=1e-12)


def test_masked_keys_get_exactly_zero_weight():
    q, k, v = random_qkv((6, 4), (6, 4), (6, 2))

    _, weights = scaled_dot_product_attention(q, k, v, mask=causal_mask(6))

    assert (weights[~causal_mask(6)] == 0).all()


def test_accepts_nested_lists():
    out, weights = scaled_dot_product_attention([[1.0, 0.0]], [[1.0, 0.0]], [[2.0]])

    np.testing.assert_allclose(out, [[2.0]], rtol=1e-12, atol=0)
    np.testing.assert_allclose(weights, [[1.0]], rtol=1e-12, atol=0)


def test_leaves_inputs_unchanged():
    q, k, v = random_qkv((3, 4), (5, 4), (5, 2))
    before = [a.copy() for a in (q, k, v)]

    scaled_dot_product_attention(q, k, v, mask=causal_mask(3, 5))

    for array, array_before in zip((q, k, v), before, strict=True):
        np.testing.assert_array_equal(array, array_before)


def test_float16_score_overflow_is_reported():
    # Guards against NaN weights when q @ k^T exceeds float16's max of 65504.
    q = np.full((1, 4), 200.0, dtype=np.float16)

    with pytest.raises(ValueError, match="overflowed float16: use a wider dtype"):
        scaled_dot_product_attention(q, q, q, scale=1.0)


ERROR_CASES = {
    "mismatched-d_k": (
        dict(q=np.ones((3, 4)), k=np.ones((5, 3)), v=np.ones((5, 2))),
        ValueError,
        r"q has d_k=4 \(shape \(3, 4\)\) but k has d_k=3 \(shape \(5, 3\)\)",
    ),
    "mismatched-n_k": (
        dict(q=np.ones((3, 4)), k=np.ones((5, 4)), v=np.ones((6, 2))),
        ValueError,
        r"k has n_k=5 \(shape \(5, 4\)\) but v has n_k=6 \(shape \(6, 2\)\)",
    ),
    "zero-d_k": (
        dict(q=np.ones((3, 0)), k=np.ones((5, 0)), v=np.ones((5, 2))),
        ValueError,
        r"q has shape \(3, 0\); expected d_k >= 1",
    ),
    "q-1d": (
        dict(q=np.ones(4), k=np.ones((5, 4)), v=np.ones((5, 2))),
        ValueError,
        r"q has shape \(4,\); expected at least 2 axes \(\.\.\., n_q, d_k\)",
    ),
    "batch-not-broadcasting": (
        dict(q=np.ones((2, 3, 4)), k=np.ones((3, 5, 4)), v=np.ones((3, 5, 2))),
        ValueError,
        r"batch axes .* must broadcast .* q \(2, 3, 4\), k \(3, 5, 4\)",
    ),
    "mask-not-broadcasting": (
        dict(
            q=np.ones((3, 4)),
            k=np.ones((5, 4)),
            v=np.ones((5, 2)),
            mask=np.ones((3, 4), bool),
        ),
        ValueError,
        r"mask has shape \(3, 4\), which does not broadcast .* \(3, 5\)",
    ),
    "mask-grows-query-axis": (
        dict(
            q=np.ones((1, 4)),
            k=np.ones((5, 4)),
            v=np.ones((5, 2)),
            mask=np.ones((3, 5), bool),
        ),
        ValueError,
        r"mask has shape \(3, 5\).* \(\.\.\., n_q=1, n_k=5\)",
    ),
    "int-mask": (
        dict(
            q=np.ones((3, 4)),
            k=np.ones((5, 4)),
            v=np.ones((5, 2)),
            mask=np.ones((3, 5), int),
        ),
        TypeError,
        "mask has dtype int64; expected a bool mask",
    ),
    "int-q": (
        dict(q=np.ones((3, 4), int), k=np.ones((5, 4)), v=np.ones((5, 2))),
        TypeError,
        "q has dtype int64; expected a real float dtype",
    ),
    "object-v": (
        dict(q=np.ones((3, 4)), k=np.ones((5, 4)), v=np.ones((5, 2), object)),
        TypeError,
        "v has dtype object; expected a real float dtype",
    ),
    "complex-k": (
        dict(q=np.ones((3, 4)), k=np.ones((5, 4), complex), v=np.ones((5, 2))),
        TypeError,
        "k has dtype complex128",
    ),
    "mixed-dtypes": (
        dict(q=np.ones((3, 4), np.float32), k=np.ones((5, 4)), v=np.ones((5, 2))),
        TypeError,
        "share one float dtype .* q float32, k float64, v float64",
    ),
    "nan-in-q": (
        dict(q=np.array([[np.nan, 1.0]]), k=np.ones((5, 2)), v=np.ones((5, 2))),
        ValueError,
        r"q \(shape \(1, 2\)\) contains 1 non-finite value",
    ),
    "inf-in-k": (
        dict(q=np.ones((3, 2)), k=np.full((5, 2), np.inf), v=np.ones((5, 2))),
        ValueError,
        r"k \(shape \(5, 2\)\) contains 10 non-finite value",
    ),
    "inf-in-v": (
        dict(q=np.ones((3, 2)), k=np.ones((5, 2)), v=np.array([[-np.inf, 0.0]] * 5)),
        ValueError,
        r"v \(shape \(5, 2\)\) contains 5 non-finite",
    ),
    "nan-scale": (
        dict(q=np.ones((3, 2)), k=np.ones((5, 2)), v=np.ones((5, 2)), scale=np.nan),
        ValueError,
        "scale=nan; expected a finite number",
    ),
    "array-scale": (
        dict(q=np.ones((3, 2)), k=np.ones((5, 2)), v=np.ones((5, 2)), scale=np.ones(2)),
        TypeError,
        "scale=.* has type ndarray; expected a real number",
    ),
}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"), list(ERROR_CASES.values()), ids=list(ERROR_CASES)
)
def test_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=f"scaled_dot_product_attention: .*{match}"):
        scaled_dot_product_attention(**kwargs)


def test_scale_is_not_assumed_positive():
    q, k, v = random_qkv((3, 4), (5, 4), (5, 2))

    out_negative, _ = scaled_dot_product_attention(q, k, v, scale=-1 / math.sqrt(4))
    out_flipped, _ = scaled_dot_product_attention(-q, k, v)

    np.testing.assert_allclose(out_negative, out_flipped, rtol=1e-12, atol=1e-15)
