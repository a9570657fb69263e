"""Tests for attention.masks: causal_mask and padding_mask."""

import numpy as np
import pytest

from attention import causal_mask, padding_mask
from tests.reference import causal_mask_ref


@pytest.mark.parametrize(
    ("n_q", "n_k"),
    [(1, 1), (4, 4), (3, 7), (1, 5), (6, 2), (0, 3), (3, 0)],
    ids=["1x1", "square", "fewer-queries", "one-query", "more-queries", "no-q", "no-k"],
)
def test_causal_mask_matches_loop_reference(n_q, n_k):
    mask = causal_mask(n_q, n_k)

    assert mask.shape == (n_q, n_k)
    assert mask.dtype == bool
    np.testing.assert_array_equal(mask, causal_mask_ref(n_q, n_k))


def test_causal_mask_square_is_lower_triangle():
    np.testing.assert_array_equal(causal_mask(5), np.tril(np.ones((5, 5), bool)))


def test_causal_mask_hides_later_keys():
    mask = causal_mask(4)

    assert not mask[np.triu_indices(4, k=1)].any()


def test_one_query_over_a_cache_sees_every_key():
    np.testing.assert_array_equal(causal_mask(1, 9), np.ones((1, 9), bool))


def test_causal_mask_last_queries_see_what_square_mask_gives_them():
    # The last n_q rows of the full n_k x n_k mask: the bottom-right alignment.
    np.testing.assert_array_equal(causal_mask(3, 8), causal_mask(8)[-3:])


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1,), ValueError, r"causal_mask: n_q=-1; expected an int >= 0"),
        ((2, -3), ValueError, r"causal_mask: n_k=-3; expected an int >= 0"),
        ((2.0,), TypeError, r"causal_mask: n_q=2\.0 has type float; expected an int"),
        ((2, True), TypeError, r"n_k=True has type bool"),
    ],
    ids=["negative-n_q", "negative-n_k", "float-n_q", "bool-n_k"],
)
def test_causal_mask_rejects_bad_sizes(args, error, match):
    with pytest.raises(error, match=match):
        causal_mask(*args)


def test_padding_mask_marks_real_tokens():
    mask = padding_mask([3, 0, 5], 5)

    assert mask.shape == (3, 1, 5)
    expected = [[1, 1, 1, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]]
    np.testing.assert_array_equal(mask[:, 0, :], np.array(expected, bool))


def test_padding_mask_combines_with_causal_mask():
    combined = padding_mask([2, 4], 4) & causal_mask(4)

    assert combined.shape == (2, 4, 4)
    np.testing.assert_array_equal(combined[1], causal_mask(4))
    np.testing.assert_array_equal(
        combined[0], causal_mask(4) & np.array([True, True, False, False])
    )


@pytest.mark.parametrize(
    ("lengths", "n", "error", "match"),
    [
        ([1.0, 2.0], 3, TypeError, "lengths has dtype float64; expected integers"),
        ([[1, 2]], 3, ValueError, r"lengths has shape \(1, 2\); expected a 1-D"),
        ([1, 4], 3, ValueError, r"lengths \[4\] lie outside 0\.\.n=3"),
        ([-1, 2], 3, ValueError, r"lengths \[-1\] lie outside"),
        ([1, 2], -1, ValueError, r"padding_mask: n=-1; expected an int >= 0"),
        ([1, 2], 3.5, TypeError, r"padding_mask: n=3\.5 has type float"),
    ],
    ids=[
        "float-lengths",
        "2d-lengths",
        "too-long",
        "negative",
        "negative-n",
        "float-n",
    ],
)
def test_padding_mask_rejects_bad_input(lengths, n, error, match):
    with pytest.raises(error, match=match):
        padding_mask(lengths, n)
