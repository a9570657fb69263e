"""Slow loop versions of the core, written to be obviously correct.

Each function works in float64 Python arithmetic, one number at a time, and
follows the textbook definition without any vectorisation or numerical trick
beyond the max subtraction that softmax needs to avoid overflow.
"""

import math

import numpy as np


def softmax_ref(row, allowed=None):
    """Return the softmax of a 1-D sequence, 0 where `allowed` is False."""
    if allowed is None:
        allowed = [True] * len(row)
    kept = [float(x) for x, ok in zip(row, allowed, strict=True) if ok]
    if not kept:
        return [0.0] * len(row)
    top = max(kept)
    total = math.fsum(math.exp(x - top) for x in kept)
    return [
        math.exp(float(x) - top) / total if ok else 0.0
        for x, ok in zip(row, allowed, strict=True)
    ]


def attention_ref(q, k, v, mask=None, scale=None):
    """Return (out, weights) of scaled dot-product attention, by loops."""
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    n_q, d_k = q.shape[-2:]
    n_k, d_v = v.shape[-2:]
    if scale is None:
        scale = 1 / math.sqrt(d_k)
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if mask is None:
        mask = np.ones((n_q, n_k), dtype=bool)
    batch = np.broadcast_shapes(batch, np.shape(mask)[:-2])
    q = np.broadcast_to(q, (*batch, n_q, d_k))
    k = np.broadcast_to(k, (*batch, n_k, d_k))
    v = np.broadcast_to(v, (*batch, n_k, d_v))
    mask = np.broadcast_to(mask, (*batch, n_q, n_k))

    out = np.zeros((*batch, n_q, d_v))
    weights = np.zeros((*batch, n_q, n_k))
    for b in np.ndindex(batch):
        for i in range(n_q):
            scores = [
                scale * math.fsum(q[b][i, t] * k[b][j, t] for t in range(d_k))
                for j in range(n_k)
            ]
            row = softmax_ref(scores, mask[b][i])
            weights[b][i] = row
            for c in range(d_v):
                out[b][i, c] = math.fsum(row[j] * v[b][j, c] for j in range(n_k))
    return out, weights


def multi_head_attention_ref(x_q, x_kv, w_q, w_k, w_v, w_o, n_heads, mask=None):
    """Return (out, weights) of multi-head attention, one head at a time."""
    d_model = w_q.shape[0]
    d_head = d_model // n_heads
    q, k, v = x_q @ w_q, x_kv @ w_k, x_kv @ w_v
    head_outs, head_weights = [], []
    for h in range(n_heads):
        cols = slice(h * d_head, (h + 1) * d_head)
        out_h, weights_h = attention_ref(q[..., cols], k[..., cols], v[..., cols], mask)
        head_outs.append(out_h)
        head_weights.append(weights_h)
    out = np.concatenate(head_outs, axis=-1) @ w_o
    return out, np.stack(head_weights, axis=-3)


def causal_mask_ref(n_q, n_k):
    """Return the bottom-right aligned causal mask, by loops."""
    mask = np.zeros((n_q, n_k), dtype=bool)
    for i in range(n_q):
        position = i + (n_k - n_q)  # absolute position of query i
        for j in range(n_k):
            mask[i, j] = j <= position
    return mask


def sinusoidal_positions_ref(n, d_model):
    """Return the sinusoidal position table, one entry at a time."""
    table = np.zeros((n, d_model))
    for p in range(n):
        for dim in range(d_model):
            i = dim // 2
            angle = p / 10000 ** (2 * i / d_model)
            table[p, dim] = math.sin(angle) if dim % 2 == 0 else math.cos(angle)
    return table


def rotary_embedding_ref(x, positions, base=10000.0):
    """Rotate each pair of features with an explicit 2 x 2 rotation matrix."""
    x = np.asarray(x, dtype=np.float64)
    positions = np.broadcast_to(positions, x.shape[:-1])
    d = x.shape[-1]
    rotated = np.zeros_like(x)
    for index in np.ndindex(x.shape[:-1]):
        for i in range(d // 2):
            angle = float(positions[index]) * base ** (-2 * i / d)
            rotation = np.array(
                [
                    [math.cos(angle), -math.sin(angle)],
                    [math.sin(angle), math.cos(angle)],
                ]
            )
            pair = x[index][2 * i : 2 * i + 2]
            rotated[index][2 * i : 2 * i + 2] = rotation @ pair
    return rotated
