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


def contrast(text_rgb, cell_rgb):
    """WCAG 2 contrast ratio of two sRGB colours (channels 0-255)."""

    def luminance(rgb):
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in rgb)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(text_rgb), luminance(cell_rgb)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_rgb(colour):
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


class TestScaleColours:
    def test_stops_give_their_own_colours(self):
        scale = [(0.0, "#000000"), (0.25, "#ff0000"), (1.0, "#ffffff")]
        out = figkit.scale_colours(scale, [0.0, 0.25, 1.0])
        assert out.tolist() == [[0, 0, 0], [255, 0, 0], [255, 255, 255]]

    def test_interpolates_between_stops_and_clips(self):
        scale = [(0.0, "#000000"), (0.5, "#ff0000"), (1.0, "#ffffff")]
        out = figkit.scale_colours(scale, [[0.25, 0.75], [-1.0, 2.0]])
        assert out.shape == (2, 2, 3)
        assert out.tolist() == [
            [[127.5, 0, 0], [255, 127.5, 127.5]],
            [[0, 0, 0], [255, 255, 255]],
        ]

    def test_reads_rgb_stops_as_plotly_writes_some_named_scales(self):
        heatmap = go.Heatmap(z=[[0]], colorscale="RdBu")
        out = figkit.scale_colours(heatmap.colorscale, [0.0])
        assert out.tolist() == [[103, 0, 31]]

    def test_names_a_stop_it_cannot_read(self):
        with pytest.raises(ValueError, match=r"stop 'teal': expected #rrggbb"):
            figkit.scale_colours([(0.0, "teal"), (1.0, "#ffffff")], [0.5])


class TestHeatmapLabels:
    def heatmap(self, z, **kwargs):
        settings = dict(
            z=z, x=["a", "b"], y=["p", "q"], zmin=0, zmax=1, colorscale="Cividis"
        )
        return go.Heatmap(**{**settings, **kwargs})

    def test_labels_sit_on_their_cells(self):
        trace = figkit.heatmap_labels(
            self.heatmap([[0.1, 0.2], [0.3, 0.4]]), [["1", "2"], ["3", "4"]]
        )
        assert list(zip(trace.x, trace.y, trace.text, strict=True)) == [
            ("a", "p", "1"),
            ("b", "p", "2"),
            ("a", "q", "3"),
            ("b", "q", "4"),
        ]
        assert (trace.mode, trace.hoverinfo, trace.showlegend) == (
            "text",
            "skip",
            False,
        )

    def test_empty_cells_get_no_label(self):
        trace = figkit.heatmap_labels(
            self.heatmap([[None, 0.2], [0.3, None]]), [["", "2"], ["3", ""]]
        )
        assert list(trace.text) == ["2", "3"]

    def test_labels_are_escaped_for_plotly(self):
        trace = figkit.heatmap_labels(
            self.heatmap([[0.1, 0.2], [0.3, 0.4]]), [["<b>", "a&b"], ["3", "4"]]
        )
        assert list(trace.text[:2]) == ["&lt;b&gt;", "a&amp;b"]

    def test_every_label_reaches_aa_contrast_with_its_cell(self):
        z = np.linspace(0, 1, 201).reshape(1, -1)
        heatmap = self.heatmap(z, x=list(range(201)), y=["p"])
        trace = figkit.heatmap_labels(heatmap, np.full(z.shape, "0.50"))
        cells = figkit.scale_colours(heatmap.colorscale, z.ravel())
        ratios = [
            contrast(hex_rgb(colour), cell)
            for colour, cell in zip(trace.textfont.color, cells, strict=True)
        ]
        assert min(ratios) >= 4.5
        # Both colours are used: the scale runs from dark to light.
        assert set(trace.textfont.color) == {"#000000", "#ffffff"}

    def test_rejects_labels_not_shaped_as_z(self):
        with pytest.raises(ValueError, match=r"\(1, 2\) labels for z of shape"):
            figkit.heatmap_labels(self.heatmap([[0.1, 0.2], [0.3, 0.4]]), [["1", "2"]])

    def test_rejects_a_heatmap_without_a_colour_range(self):
        with pytest.raises(ValueError, match="the heatmap has no zmax"):
            figkit.heatmap_labels(
                self.heatmap([[0.1, 0.2], [0.3, 0.4]], zmax=None),
                [["1", "2"], ["3", "4"]],
            )


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

    def test_rejects_a_heatmap_printing_its_own_cell_text(self):
        heatmap = go.Heatmap(z=[[0.5]], texttemplate="%{z}")
        built = figkit.Built(go.Figure(heatmap), ["line"])
        with pytest.raises(ValueError, match=r"trace 0 is a heatmap with texttemplate"):
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
