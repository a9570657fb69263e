"""Property tests: invariants of attention that hold for any input.

Hypothesis draws the shapes, the values (over several orders of magnitude)
and the masks; each test states one invariant.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention import (
    causal_mask,
    multi_head_attention,
    rotary_embedding,
    scaled_dot_product_attention,
    softmax,
)

FAST = settings(max_examples=80, deadline=None)

batch_shapes = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)
sizes = st.integers(min_value=1, max_value=6)
magnitudes = st.sampled_from([1e-3, 1.0, 10.0, 100.0])


def float_arrays(shape, magnitude=1.0):
    """Return a strategy for float64 arrays with entries in [-magnitude, magnitude]."""
    elements = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False)
    return hnp.arrays(np.float64, shape, elements=elements).map(lambda x: x * magnitude)


@st.composite
def attention_inputs(draw, with_mask=True):
    """Draw q, k, v and a mask (or None) of compatible shapes."""
    batch = draw(batch_shapes)
    n_q, n_k, d_k, d_v = (draw(sizes) for _ in range(4))
    magnitude = draw(magnitudes)
    q = draw(float_arrays((*batch, n_q, d_k), magnitude))
    k = draw(float_arrays((*batch, n_k, d_k), magnitude))
    v = draw(float_arrays((*batch, n_k, d_v)))
    mask = None
    if with_mask and draw(st.booleans()):
        mask = draw(hnp.arrays(bool, (n_q, n_k)))
    return q, k, v, mask


@FAST
@given(attention_inputs())
def test_weights_are_nonnegative_and_rows_sum_to_one(inputs):
    q, k, v, mask = inputs

    _, weights = scaled_dot_product_attention(q, k, v, mask=mask)

    assert (weights >= 0).all()
    row_sums = weights.sum(axis=-1)
    has_key = np.ones(row_sums.shape, bool) if mask is None else mask.any(axis=-1)
    np.testing.assert_allclose(row_sums[..., has_key], 1.0, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(row_sums[..., ~has_key], 0.0)


@FAST
@given(attention_inputs(), st.randoms(use_true_random=False))
def test_permuting_keys_and_values_together_leaves_output_unchanged(inputs, random):
    q, k, v, mask = inputs
    order = np.array(random.sample(range(k.shape[-2]), k.shape[-2]))
    mask_permuted = None if mask is None else mask[:, order]

    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    out_permuted, weights_permuted = scaled_dot_product_attention(
        q, k[..., order, :], v[..., order, :], mask=mask_permuted
    )

    np.testing.assert_allclose(out_permuted, out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        weights_permuted, weights[..., order], rtol=1e-10, atol=1e-12
    )


@FAST
@given(attention_inputs(), st.randoms(use_true_random=False))
def test_permuting_queries_permutes_outputs(inputs, random):
    q, k, v, mask = inputs
    order = np.array(random.sample(range(q.shape[-2]), q.shape[-2]))
    mask_permuted = None if mask is None else mask[order]

    out, _ = scaled_dot_product_attention(q, k, v, mask=mask)
    out_permuted, _ = scaled_dot_product_attention(
        q[..., order, :], k, v, mask=mask_permuted
    )

    np.testing.assert_allclose(out_permuted, out[..., order, :], rtol=1e-10, atol=1e-12)


@st.composite
def causal_inputs(draw):
    """Draw self-attention q, k, v, a cut position t and replacement values."""
    batch = draw(batch_shapes)
    n, d = draw(st.integers(2, 7)), draw(sizes)
    q, k, v, q_new, k_new, v_new = (
        draw(float_arrays((*batch, n, d), 3.0)) for _ in range(6)
    )
    t = draw(st.integers(1, n - 1))
    return (q, k, v), (q_new, k_new, v_new), t


@FAST
@given(causal_inputs())
def test_causal_outputs_ignore_later_positions(inputs):
    (q, k, v), (q_new, k_new, v_new), t = inputs
    n = q.shape[-2]
    q_changed, k_changed, v_changed = q.copy(), k.copy(), v.copy()
    q_changed[..., t:, :] = q_new[..., t:, :]
    k_changed[..., t:, :] = k_new[..., t:, :]
    v_changed[..., t:, :] = v_new[..., t:, :]

    out, _ = scaled_dot_product_attention(q, k, v, mask=causal_mask(n))
    out_changed, _ = scaled_dot_product_attention(
        q_changed, k_changed, v_changed, mask=causal_mask(n)
    )

    np.testing.assert_allclose(
        out_changed[..., :t, :], out[..., :t, :], rtol=1e-12, atol=1e-14
    )


@FAST
@given(attention_inputs(), st.floats(0.1, 10.0))
def test_scaling_q_equals_scaling_the_scale(inputs, c):
    q, k, v, mask = inputs
    scale = 1 / np.sqrt(q.shape[-1])

    out_scaled_q, _ = scaled_dot_product_attention(c * q, k, v, mask=mask)
    out_scaled_scale, _ = scaled_dot_product_attention(
        q, k, v, mask=mask, scale=scale * c
    )

    np.testing.assert_allclose(out_scaled_q, out_scaled_scale, rtol=1e-9, atol=1e-11)


@FAST
@given(
    st.sampled_from([np.float16, np.float32, np.float64]),
    attention_inputs(),
)
def test_output_dtype_is_input_dtype(dtype, inputs):
    q, k, v, mask = inputs

    out, weights = scaled_dot_product_attention(
        q.astype(dtype), k.astype(dtype), v.astype(dtype), mask=mask
    )

    assert out.dtype == dtype
    assert weights.dtype == dtype


@FAST
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
        elements=st.floats(-1e4, 1e4),
    ),
    st.floats(-1e3, 1e3),
)
def test_softmax_ignores_a_shared_shift(x, shift):
    np.testing.assert_allclose(softmax(x + shift), softmax(x), rtol=1e-9, atol=1e-12)


@st.composite
def rotary_inputs(draw):
    """Draw one batch of queries and keys with even width, and integer positions."""
    n, half_d = draw(sizes), draw(st.integers(1, 4))
    x = draw(float_arrays((2, n, 2 * half_d), 5.0))
    positions = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 500)))
    return x, positions


@FAST
@given(rotary_inputs())
def test_rotary_preserves_norms(inputs):
    x, positions = inputs

    rotated = rotary_embedding(x, positions)

    np.testing.assert_allclose(
        np.linalg.norm(rotated, axis=-1),
        np.linalg.norm(x, axis=-1),
        rtol=1e-10,
        atol=1e-12,
    )


@FAST
@given(rotary_inputs(), st.integers(-200, 200))
def test_rotary_dot_product_depends_only_on_position_difference(inputs, shift):
    x, positions = inputs
    q, k = x[0], x[1]
    positions = positions + 200  # keep shifted positions non-negative

    dots = rotary_embedding(q, positions) @ rotary_embedding(k, positions).T
    dots_shifted = (
        rotary_embedding(q, positions + shift)
        @ rotary_embedding(k, positions + shift).T
    )

    np.testing.assert_allclose(dots_shifted, dots, rtol=1e-9, atol=1e-9)


@FAST
@given(st.integers(1, 3), st.integers(1, 5), st.integers(1, 5), st.data())
def test_multi_head_weights_rows_sum_to_one(n_heads, d_head, n, data):
    d_model = n_heads * d_head
    x = data.draw(float_arrays((n, d_model), 2.0))
    w_q, w_k, w_v, w_o = (data.draw(float_arrays((d_model, d_model))) for _ in range(4))

    out, weights = multi_head_attention(x, x, w_q, w_k, w_v, w_o, n_heads)

    assert out.shape == (n, d_model)
    assert weights.shape == (n_heads, n, n)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12, atol=1e-12)
