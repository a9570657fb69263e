"""Attention in numpy, written to be read: the core behind the site's figures.

Every function takes and returns plain ndarrays and keeps the input's float
dtype. Boolean masks are True where a query may attend to a key.
"""

from attention.attention import scaled_dot_product_attention
from attention.masks import causal_mask, padding_mask
from attention.multi_head import merge_heads, multi_head_attention, split_heads
from attention.positions import rotary_embedding, sinusoidal_positions
from attention.softmax import softmax

__all__ = [
    "causal_mask",
    "merge_heads",
    "multi_head_attention",
    "padding_mask",
    "rotary_embedding",
    "scaled_dot_product_attention",
    "sinusoidal_positions",
    "softmax",
    "split_heads",
]
