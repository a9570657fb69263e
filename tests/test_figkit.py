"""The figure helpers: rounding, token heatmaps, text alternatives, JSON."""

import numpy as np
import plotly.graph_objects as go
import pytest

from scripts import figkit
from scripts.figjson import dumps


class TestRounded:
    def test_returns_nested_lists(self):
        out = figkit.rounded(np.array([[0.12345, 0.5], [1.0, 2.0]]), 2)
        assert out == [[0.12, 0.5], [1.0, 2.0]]
        assert type(out[0][0]) is float

    def test_negative_zero_becomes_zero(self):
        out = figkit.rounded(np.array([-0.0001]), 2)
        assert str(out[0]) == "0.0"


class TestAttentionHeatmap:
    def test_hover_names_query_key_and_weight(self):
        heatmap = figkit.attention_heatmap(np.eye(2), ["a", "b"], ["c", "d"])
        assert list(heatmap.customdata[0][1]) == ["a", "d"]
        assert "query: %{customdata[0]}" in heatmap.hovertemplate
        assert "key: %{customdata[1]}" in heatmap.hovertemplate

    def test_rejects_mismatched_token_count(self):
        with pytest.raises(ValueError, match=r"need 2 query and 2 key tokens; got 3"):
            figkit.attention_heatmap(np.eye(2), ["a", "b", "c"], ["c", "d"])


class TestStrongestKeysText:
    def test_names_strongest_keys_in_order(self):
        weights = np.array([[0.1, 0.6, 0.3]])
        lines = figkit.strongest_keys_text(weights, ["q"], ["x", "y", "z"], top=2)
        assert lines == ['"q" attends most to "y" 0.60, "z" 0.30']

    def test_ties_keep_sentence_order(self):
        weights = np.array([[0.5, 0.5]])
        lines = figkit.strongest_keys_text(weights, ["q"], ["x", "y"])
        assert lines == ['"q" attends most to "x" 0.50, "y" 0.50']


class TestFigureDict:
    def spec(self):
        return figkit.FigureSpec("a-figure", "Title", "Caption", "Alt", lambda: None)

    def test_applies_house_template_and_height(self):
        built = figkit.Built(go.Figure(go.Bar(y=[1, 2])), ["line"])
        plain = figkit.figure_dict(self.spec(), built)
        assert plain["layout"]["height"] == 420
        assert plain["layout"]["template"]["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
        assert plain["meta"]["text"] == ["line"]

    def test_rejects_a_trace_type_the_site_bundle_lacks(self):
        built = figkit.Built(go.Figure(go.Pie(values=[1, 2])), ["line"])
        with pytest.raises(ValueError, match="trace 0 has type 'pie'"):
            figkit.figure_dict(self.spec(), built)

    def test_every_trace_type_of_the_site_is_in_the_bundle(self):
        assert set(figkit.bundled_traces()) >= {"bar", "heatmap", "scatter"}

    def test_rejects_empty_text_alternative(self):
        built = figkit.Built(go.Figure(), [])
        with pytest.raises(TypeError, match="text alternative is"):
            figkit.figure_dict(self.spec(), built)


class TestDumps:
    def test_sorts_keys_and_ends_with_newline(self):
        assert dumps({"b": 1, "a": [1.5]}) == '{\n "a": [\n  1.5\n ],\n "b": 1\n}\n'

    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            ({"z": [[1.0, float("nan")]]}, "non-finite number nan at z[0][1]"),
            ({"y": [float("-inf")]}, "non-finite number -inf at y[0]"),
            ({"y": np.array([1.0])}, "a ndarray at y"),
            ({"y": [np.int64(1)]}, "a int64 at y[0]"),
        ],
        ids=["nan", "infinity", "ndarray", "numpy-integer"],
    )
    def test_refuses_what_json_cannot_hold_exactly(self, data, fragment):
        with pytest.raises(ValueError, match=fragment.replace("[", r"\[")):
            dumps(data, "figure 'x'")
