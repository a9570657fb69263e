"""Tests for attention.multi_head: split_heads, merge_heads, multi_head_attention."""

import numpy as np
import pytest

from attention import (
    causal_mask,
    merge_heads,
    multi_head_attention,
    padding_mask,
    scaled_dot_product_attention,
    split_heads,
)
from tests.reference import multi_head_attention_ref


def random_inputs(q_shape, kv_shape, d_model, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    x_q = rng.standard_normal(q_shape).astype(dtype)
    x_kv = rng.standard_normal(kv_shape).astype(dtype)
    weights = [
        (rng.standard_normal((d_model, d_model)) / np.sqrt(d_model)).astype(dtype)
        for _ in range(4)
    ]
    return x_q, x_kv, weights


@pytest.mark.parametrize(
    ("shape", "n_heads"),
    [((5, 8), 2), ((3, 5, 12), 4), ((2, 3, 4, 6), 6), ((4, 6), 1)],
    ids=["no-batch", "batch", "two-batch-axes", "one-head"],
)
def test_merge_heads_undoes_split_heads(shape, n_heads):
    x = np.random.default_rng(0).standard_normal(shape)

    x_heads = split_heads(x, n_heads)

    assert x_heads.shape == (*shape[:-2], n_heads, shape[-2], shape[-1] // n_heads)
    np.testing.assert_array_equal(merge_heads(x_heads), x)


def test_split_heads_gives_each_head_a_slice_of_features():
    x = np.arange(2 * 3 * 6).reshape(2, 3, 6)

    x_heads = split_heads(x, 3)

    np.testing.assert_array_equal(x_heads[:, 1], x[..., 2:4])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: split_heads(np.ones((4, 6)), 4),
            ValueError,
            "d_model=6 must be divisible by n_heads=4",
        ),
        (
            lambda: split_heads(np.ones(6), 2),
            ValueError,
            r"x has shape \(6,\); expected at least 2 axes",
        ),
        (
            lambda: split_heads(np.ones((4, 6)), 0),
            ValueError,
            "n_heads=0; expected an int >= 1",
        ),
        (
            lambda: split_heads(np.ones((4, 6)), 2.0),
            TypeError,
            "n_heads=2.0 has type float",
        ),
        (
            lambda: merge_heads(np.ones((4, 6))),
            ValueError,
            r"x has shape \(4, 6\); expected at least 3 axes",
        ),
    ],
    ids=["indivisible", "split-1d", "zero-heads", "float-heads", "merge-2d"],
)
def test_head_reshapes_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# (x_q shape, x_kv shape, d_model, n_heads, mask or None); x_q is x_kv when equal.
REFERENCE_CASES = {
    "self-one-head": ((5, 4), (5, 4), 4, 1, None),
    "self": ((5, 8), (5, 8), 8, 2, None),
    "self-causal": ((2, 6, 8), (2, 6, 8), 8, 4, causal_mask(6)),
    "cross": ((2, 3, 12), (2, 7, 12), 12, 3, None),
    "cross-shared-memory": ((2, 3, 12), (7, 12), 12, 3, None),
    "padding-and-causal": (
        (3, 5, 6),
        (3, 5, 6),
        6,
        2,
        padding_mask([5, 2, 0], 5) & causal_mask(5),
    ),
    "cross-padding": ((3, 4, 6), (3, 5, 6), 6, 3, padding_mask([5, 1, 3], 5)),
}


@pytest.mark.parametrize(
    ("q_shape", "kv_shape", "d_model", "n_heads", "mask"),
    list(REFERENCE_CASES.values()),
    ids=list(REFERENCE_CASES),
)
def test_matches_loop_reference(q_shape, kv_shape, d_model, n_heads, mask):
    x_q, x_kv, weights = random_inputs(q_shape, kv_shape, d_model)
    if q_shape == kv_shape:
        x_kv = x_q
    out_ref, weights_ref = multi_head_attention_ref(x_q, x_kv, *weights, n_heads, mask)

    out, head_weights = multi_head_attention(x_q, x_kv, *weights, n_heads, mask)

    assert out.shape == (*out_ref.shape[:-2], q_shape[-2], d_model)
    assert head_weights.shape == weights_ref.shape
    np.testing.assert_allclose(head_weights, weights_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_one_head_with_identity_weights_is_plain_attention():
    x_q, x_kv, _ = random_inputs((4, 6), (5, 6), 6)
    identity = np.eye(6)

    out, weights = multi_head_attention(x_q, x_kv, *[identity] * 4, n_heads=1)
    out_ref, weights_ref = scaled_dot_product_attention(x_q, x_kv, x_kv)

    np.testing.assert_allclose(out, out_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(weights[0], weights_ref, rtol=1e-12, atol=1e-14)


def test_empty_sequence_gives_zero_output():
    x_q, x_kv, weights = random_inputs((2, 4, 6), (2, 4, 6), 6)

    out, head_weights = multi_head_attention(
        x_q, x_kv, *weights, n_heads=2, mask=padding_mask([4, 0], 4)
    )

    np.testing.assert_array_equal(out[1], np.zeros((4, 6)))
    np.testing.assert_array_equal(head_weights[1], np.zeros((2, 4, 4)))


@pytest.mark.parametrize(
    "dtype", [np.float16, np.float32, np.float64], ids=["float16", "float32", "float64"]
)
def test_output_keeps_input_dtype(dtype):
    x_q, x_kv, weights = random_inputs((2, 4, 8), (2, 5, 8), 8, dtype=dtype)

    out, head_weights = multi_head_attention(x_q, x_kv, *weights, n_heads=2)

    assert out.dtype == dtype
    assert head_weights.dtype == dtype


def error_case(change, error, match):
    """Return valid keyword arguments updated by `change`, with the expected error."""
    x_q, x_kv, (w_q, w_k, w_v, w_o) = random_inputs((2, 4, 6), (2, 5, 6), 6)
    kwargs = dict(x_q=x_q, x_kv=x_kv, w_q=w_q, w_k=w_k, w_v=w_v, w_o=w_o, n_heads=2)
    return kwargs | change, error, match


ERROR_CASES = {
    "indivisible-heads": error_case(
        {"n_heads": 4}, ValueError, "d_model=6 must be divisible by n_heads=4"
    ),
    "float-heads": error_case(
        {"n_heads": 2.0}, TypeError, "n_heads=2.0 has type float; expected an int"
    ),
    "x_kv-width": error_case(
        {"x_kv": np.ones((2, 5, 4))},
        ValueError,
        r"x_q has d_model=6 \(shape \(2, 4, 6\)\) but x_kv has d_model=4",
    ),
    "w_o-shape": error_case(
        {"w_o": np.ones((6, 4))},
        ValueError,
        r"w_o has shape \(6, 4\); expected \(d_model, d_model\) = \(6, 6\)",
    ),
    "batch-not-broadcasting": error_case(
        {"x_kv": np.ones((3, 5, 6))},
        ValueError,
        r"x_q \(2, 4, 6\), x_kv \(3, 5, 6\)",
    ),
    "mask-not-broadcasting": error_case(
        {"mask": np.ones((4, 4), bool)},
        ValueError,
        r"mask has shape \(4, 4\), which does not broadcast .* \(2, 4, 5\)",
    ),
    "int-x_q": error_case(
        {"x_q": np.ones((2, 4, 6), int)}, TypeError, "x_q has dtype int64"
    ),
    "object-w_k": error_case(
        {"w_k": np.ones((6, 6), object)}, TypeError, "w_k has dtype object"
    ),
    "mixed-dtypes": error_case(
        {"w_v": np.ones((6, 6), np.float32)},
        TypeError,
        "must share one float dtype.*; got .*w_v float32",
    ),
    "nan-in-w_q": error_case(
        {"w_q": np.full((6, 6), np.nan)},
        ValueError,
        r"w_q \(shape \(6, 6\)\) contains 36 non-finite",
    ),
    "inf-in-x_kv": error_case(
        {"x_kv": np.full((2, 5, 6), np.inf)},
        ValueError,
        r"x_kv \(shape \(2, 5, 6\)\) contains 60 non-finite",
    ),
}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"), list(ERROR_CASES.values()), ids=list(ERROR_CASES)
)
def test_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=f"multi_head_attention: .*{match}"):
        multi_head_attention(**kwargs)
