"""Agreement with PyTorch, an independent implementation, in float64.

PyTorch's boolean masks differ by function: `scaled_dot_product_attention`
takes True = may attend (as here), `MultiheadAttention` takes True = may not.
"""

import numpy as np
import pytest

from attention import (
    causal_mask,
    multi_head_attention,
    padding_mask,
    scaled_dot_product_attention,
)


@pytest.fixture(scope="module")
def torch():
    """Return PyTorch, or skip each test (a failure under CI=true, see conftest)."""
    # Skipping here rather than at import time makes every test report the skip
    # itself, which the suite's conftest can then count as a failure in CI.
    return pytest.importorskip(
        "torch", reason="PyTorch not installed: pip install -e .[reference]"
    )


def random_arrays(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


def torch_sdpa(torch, q, k, v, **kwargs):
    """Run PyTorch's fused attention on numpy arrays and return numpy."""
    with torch.no_grad():
        out = torch.nn.functional.scaled_dot_product_attention(
            *(torch.from_numpy(a) for a in (q, k, v)), **kwargs
        )
    return out.numpy()


SDPA_SHAPES = {
    "no-batch": ((5, 8), (7, 8), (7, 3)),
    "batch-heads": ((2, 3, 6, 16), (2, 3, 9, 16), (2, 3, 9, 4)),
    "square": ((2, 4, 8, 8), (2, 4, 8, 8), (2, 4, 8, 8)),
}


@pytest.mark.parametrize(
    ("q_shape", "k_shape", "v_shape"), list(SDPA_SHAPES.values()), ids=list(SDPA_SHAPES)
)
def test_sdpa_without_mask_matches_torch(torch, q_shape, k_shape, v_shape):
    q, k, v = random_arrays(q_shape, k_shape, v_shape)

    out, _ = scaled_dot_product_attention(q, k, v)

    np.testing.assert_allclose(out, torch_sdpa(torch, q, k, v), rtol=1e-10, atol=1e-12)


def test_sdpa_with_explicit_scale_matches_torch(torch):
    q, k, v = random_arrays((2, 5, 8), (2, 6, 8), (2, 6, 3))

    out, _ = scaled_dot_product_attention(q, k, v, scale=0.7)

    np.testing.assert_allclose(
        out, torch_sdpa(torch, q, k, v, scale=0.7), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize(
    "mask",
    [
        # Every row keeps key 0: PyTorch gives NaN where a row is all masked.
        (np.random.default_rng(1).random((2, 3, 6, 9)) < 0.5) | (np.arange(9) == 0),
        padding_mask([9, 4], 9)[:, np.newaxis],
        causal_mask(6, 9),
    ],
    ids=["random", "padding", "causal-bottom-right"],
)
def test_sdpa_with_boolean_mask_matches_torch(torch, mask):
    q, k, v = random_arrays((2, 3, 6, 16), (2, 3, 9, 16), (2, 3, 9, 4))

    out, _ = scaled_dot_product_attention(q, k, v, mask=mask)

    expected = torch_sdpa(torch, q, k, v, attn_mask=torch.from_numpy(mask))
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


def test_causal_mask_matches_torch_is_causal(torch):
    q, k, v = random_arrays((2, 3, 7, 8), (2, 3, 7, 8), (2, 3, 7, 5))

    out, _ = scaled_dot_product_attention(q, k, v, mask=causal_mask(7))

    np.testing.assert_allclose(
        out, torch_sdpa(torch, q, k, v, is_causal=True), rtol=1e-10, atol=1e-12
    )


def test_causal_mask_matches_torch_lower_right_bias(torch):
    from torch.nn.attention.bias import causal_lower_right

    q, k, v = random_arrays((2, 3, 4, 8), (2, 3, 9, 8), (2, 3, 9, 5))

    out, _ = scaled_dot_product_attention(q, k, v, mask=causal_mask(4, 9))

    expected = torch_sdpa(torch, q, k, v, attn_mask=causal_lower_right(4, 9))
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


def torch_multi_head(torch, x_q, x_kv, w_q, w_k, w_v, w_o, n_heads, **kwargs):
    """Run nn.MultiheadAttention with the given weights; return numpy arrays."""
    d_model = w_q.shape[0]
    layer = torch.nn.MultiheadAttention(
        d_model, n_heads, bias=False, batch_first=True, dtype=torch.float64
    )
    with torch.no_grad():
        # PyTorch computes x @ W^T, so it stores the transpose of our x @ w form.
        layer.in_proj_weight.copy_(
            torch.from_numpy(np.concatenate([w_q.T, w_k.T, w_v.T]))
        )
        layer.out_proj.weight.copy_(torch.from_numpy(w_o.T))
        x_kv_torch = torch.from_numpy(x_kv)
        out, weights = layer(
            torch.from_numpy(x_q),
            x_kv_torch,
            x_kv_torch,
            need_weights=True,
            average_attn_weights=False,
            **kwargs,
        )
    return out.numpy(), weights.numpy()


MHA_CASES = {
    "self": (6, 6, 16, 4),
    "cross": (4, 7, 12, 3),
    "one-head": (5, 5, 8, 1),
}


@pytest.mark.parametrize(
    ("n_q", "n_k", "d_model", "n_heads"), list(MHA_CASES.values()), ids=list(MHA_CASES)
)
def test_multi_head_matches_torch(torch, n_q, n_k, d_model, n_heads):
    x_q, x_kv, *weights = random_arrays(
        (2, n_q, d_model), (2, n_k, d_model), *[(d_model, d_model)] * 4
    )
    if n_q == n_k:
        x_kv = x_q

    out, head_weights = multi_head_attention(x_q, x_kv, *weights, n_heads)

    out_ref, weights_ref = torch_multi_head(torch, x_q, x_kv, *weights, n_heads)
    np.testing.assert_allclose(head_weights, weights_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_multi_head_causal_mask_matches_torch(torch):
    x, *weights = random_arrays((2, 6, 8), *[(8, 8)] * 4)
    mask = causal_mask(6)

    out, head_weights = multi_head_attention(x, x, *weights, 2, mask=mask)

    # nn.MultiheadAttention's boolean attn_mask is True where attending is banned.
    out_ref, weights_ref = torch_multi_head(
        torch, x, x, *weights, 2, attn_mask=torch.from_numpy(~mask)
    )
    np.testing.assert_allclose(head_weights, weights_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_multi_head_padding_mask_matches_torch_key_padding_mask(torch):
    x_q, x_kv, *weights = random_arrays((3, 4, 8), (3, 6, 8), *[(8, 8)] * 4)
    mask = padding_mask([6, 2, 5], 6)

    out, head_weights = multi_head_attention(x_q, x_kv, *weights, 4, mask=mask)

    out_ref, weights_ref = torch_multi_head(
        torch, x_q, x_kv, *weights, 4, key_padding_mask=torch.from_numpy(~mask[:, 0, :])
    )
    np.testing.assert_allclose(head_weights, weights_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out, out_ref, rtol=1e-10, atol=1e-12)


def test_float32_matches_torch_float32(torch):
    q, k, v = (
        a.astype(np.float32) for a in random_arrays((2, 5, 16), (2, 7, 16), (2, 7, 4))
    )

    out, _ = scaled_dot_product_attention(q, k, v, mask=causal_mask(5, 7))

    expected = torch_sdpa(torch, q, k, v, attn_mask=torch.from_numpy(causal_mask(5, 7)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
