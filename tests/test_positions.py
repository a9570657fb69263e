"""Tests for attention.positions: sinusoidal_positions and rotary_embedding."""

import numpy as np
import pytest

from attention import rotary_embedding, sinusoidal_positions
from tests.reference import rotary_embedding_ref, sinusoidal_positions_ref


@pytest.mark.parametrize(
    ("n", "d_model"),
    [(1, 2), (10, 8), (50, 16), (7, 5), (0, 4)],
    ids=["one-position", "small", "longer", "odd-width", "empty"],
)
def test_sinusoidal_matches_loop_reference(n, d_model):
    table = sinusoidal_positions(n, d_model)

    assert table.shape == (n, d_model)
    assert table.dtype == np.float64
    np.testing.assert_allclose(
        table, sinusoidal_positions_ref(n, d_model), rtol=1e-10, atol=1e-12
    )


def test_sinusoidal_position_zero_is_sin_zero_cos_one():
    np.testing.assert_array_equal(sinusoidal_positions(3, 6)[0], [0, 1, 0, 1, 0, 1])


def test_sinusoidal_first_pair_has_period_two_pi():
    # Dimension pair 0 has frequency 1, so position p holds (sin p, cos p).
    table = sinusoidal_positions(8, 4)
    p = np.arange(8)

    np.testing.assert_allclose(table[:, 0], np.sin(p), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(table[:, 1], np.cos(p), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1, 4), ValueError, r"sinusoidal_positions: n=-1; expected an int >= 0"),
        ((4, 0), ValueError, r"sinusoidal_positions: d_model=0; expected an int >= 1"),
        ((4.0, 4), TypeError, r"n=4\.0 has type float"),
    ],
    ids=["negative-n", "zero-width", "float-n"],
)
def test_sinusoidal_rejects_bad_sizes(args, error, match):
    with pytest.raises(error, match=match):
        sinusoidal_positions(*args)


@pytest.mark.parametrize(
    ("shape", "positions"),
    [
        ((5, 4), np.arange(5)),
        ((2, 3, 6, 8), np.arange(6)),
        ((3, 6), np.array([0.0, 2.5, 100.0])),
        ((2, 4, 2), np.array([[0, 1, 2, 3], [7, 8, 9, 10]])),
    ],
    ids=["plain", "batch-and-heads", "float-positions", "positions-per-sequence"],
)
def test_rotary_matches_loop_reference(shape, positions):
    x = np.random.default_rng(0).standard_normal(shape)

    rotated = rotary_embedding(x, positions)

    np.testing.assert_allclose(
        rotated, rotary_embedding_ref(x, positions), rtol=1e-10, atol=1e-12
    )


def test_rotary_at_position_zero_changes_nothing():
    x = np.random.default_rng(0).standard_normal((3, 8))

    np.testing.assert_array_equal(rotary_embedding(x, np.zeros(3)), x)


def test_rotary_base_sets_the_frequencies():
    x = np.random.default_rng(0).standard_normal((4, 6))

    rotated = rotary_embedding(x, np.arange(4), base=100.0)

    np.testing.assert_allclose(
        rotated,
        rotary_embedding_ref(x, np.arange(4), base=100.0),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "dtype", [np.float16, np.float32, np.float64], ids=["float16", "float32", "float64"]
)
def test_rotary_keeps_input_dtype(dtype):
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(dtype)

    assert rotary_embedding(x, np.arange(5)).dtype == dtype


ERROR_CASES = {
    "odd-width": (
        dict(x=np.ones((4, 5)), positions=np.arange(4)),
        ValueError,
        r"x has shape \(4, 5\) with odd d=5; expected an even last axis",
    ),
    "x-1d": (
        dict(x=np.ones(4), positions=np.arange(4)),
        ValueError,
        r"x has shape \(4,\); expected at least 2 axes",
    ),
    "int-x": (
        dict(x=np.ones((4, 2), int), positions=np.arange(4)),
        TypeError,
        "x has dtype int64; expected a real float dtype",
    ),
    "positions-wrong-length": (
        dict(x=np.ones((4, 2)), positions=np.arange(5)),
        ValueError,
        r"positions has shape \(5,\), which does not broadcast to \(4,\)",
    ),
    "string-positions": (
        dict(x=np.ones((2, 2)), positions=np.array(["a", "b"])),
        TypeError,
        "positions has dtype <U1; expected ints or floats",
    ),
    "nan-positions": (
        dict(x=np.ones((2, 2)), positions=np.array([0.0, np.nan])),
        ValueError,
        r"positions \(shape \(2,\)\) contains 1 non-finite",
    ),
    "inf-in-x": (
        dict(x=np.full((2, 2), np.inf), positions=np.arange(2)),
        ValueError,
        r"x \(shape \(2, 2\)\) contains 4 non-finite",
    ),
    "zero-base": (
        dict(x=np.ones((2, 2)), positions=np.arange(2), base=0.0),
        ValueError,
        "base=0.0; expected a number > 0",
    ),
    "string-base": (
        dict(x=np.ones((2, 2)), positions=np.arange(2), base="1e4"),
        TypeError,
        "base='1e4' has type str; expected a real number",
    ),
}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"), list(ERROR_CASES.values()), ids=list(ERROR_CASES)
)
def test_rotary_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=f"rotary_embedding: {match}"):
        rotary_embedding(**kwargs)
