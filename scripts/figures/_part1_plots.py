"""Builders for part 1's figures: one function per figure.

Each returns a `figkit.Built`: the Plotly figure and its text alternative,
made from the same numbers. The inputs and the calls to the core live in
`_part1_inputs.py`; `part1.py` registers these builders with their captions.
The library builders take the query as an argument, so the part 1 notebook can
draw a reader's own search.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scripts import figkit
from scripts.figures._part1_inputs import (
    COST_NS,
    D_KS,
    KEY_FEATURES,
    KEYS,
    N_KEYS,
    N_QUERIES,
    QUERY,
    QUERY_TEXT,
    TITLES,
    TOKENS,
    VALUE_FEATURES,
    VALUES,
    exact_match,
    library_search,
    scaling_experiment,
    self_attention_weights,
    weight_matrix_mib,
)


def _ratings(row):
    return ", ".join(f"{name} {value:g}" for name, value in row)


def build_library_features():
    """Show the hand-made key and value ratings and the query."""
    # Two lines keep the longest label short enough for a phone's screen.
    rows = [f"query:<br>{QUERY_TEXT}", *TITLES]
    keys = [QUERY.tolist(), *KEYS.tolist()]
    # The query has no value: its row on the right is left empty.
    values = [[None] * len(VALUE_FEATURES), *VALUES.tolist()]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.04,
        subplot_titles=("keys", "values"),
    )
    for col, (z, features) in enumerate(
        [(keys, KEY_FEATURES), (values, VALUE_FEATURES)], start=1
    ):
        heatmap = go.Heatmap(
            z=z,
            x=list(features),
            y=rows,
            zmin=0,
            zmax=3,
            colorscale=figkit.HEATMAP_COLORSCALE,
            # Every cell prints its rating: a colour bar would only take
            # width that a phone's screen does not have.
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
            xgap=2,
            ygap=2,
        )
        ratings = [["" if r is None else f"{r:g}" for r in row] for row in z]
        fig.add_trace(heatmap, row=1, col=col)
        fig.add_trace(figkit.heatmap_labels(heatmap, ratings), row=1, col=col)
    fig.update_yaxes(autorange="reversed", fixedrange=True, automargin=True)
    fig.update_xaxes(fixedrange=True, tickangle=-45, automargin=True)
    text = [f"Query '{QUERY_TEXT}': {_ratings(zip(KEY_FEATURES, QUERY, strict=True))}."]
    for title, key, value in zip(TITLES, KEYS, VALUES, strict=True):
        text.append(
            f"{title}: key {_ratings(zip(KEY_FEATURES, key, strict=True))}; "
            f"value {_ratings(zip(VALUE_FEATURES, value, strict=True))}."
        )
    return figkit.Built(fig, text)


def _exact_text(exact, query_text):
    found = [title for title, weight in zip(TITLES, exact, strict=True) if weight]
    if not found:
        return (
            f"Exact match: no title equals '{query_text}', so every weight is 0 "
            "and the lookup returns nothing."
        )
    return f"Exact match: weight 1 on {found[0]}, 0 on every other title."


def build_library_weights(query=QUERY, query_text=QUERY_TEXT):
    """Compare the attention weights with an exact-match lookup.

    Parameters
    ----------
    query : ndarray, shape (d_k,)
        The query in the key features.
    query_text : str
        What the exact-match lookup searches for.

    Returns
    -------
    figkit.Built
    """
    _, weights = library_search(query)
    exact = exact_match(query_text)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.1,
        subplot_titles=("attention", "exact match"),
    )
    for col, (x, name) in enumerate(
        [(weights, "attention weight"), (exact, "exact-match weight")], start=1
    ):
        fig.add_trace(
            go.Bar(
                x=figkit.rounded(x, 3),
                y=list(TITLES),
                orientation="h",
                name=name,
                # Labels formatted here, like the prose and the text version:
                # plotly.js would round the already rounded numbers again.
                text=[f"{weight:.2f}" for weight in x],
                texttemplate="%{text}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x:.3f}<extra>" + name + "</extra>",
                marker_color=figkit.TEMPLATE.layout.colorway[col - 1],
            ),
            row=1,
            col=col,
        )
    fig.update_xaxes(range=[0, 1], fixedrange=True, title_text="weight")
    fig.update_yaxes(autorange="reversed", fixedrange=True, automargin=True)
    fig.update_layout(showlegend=False)
    order = np.argsort(-weights, kind="stable")
    text = [
        f"Attention weights for '{query_text}' (they sum to 1): "
        + ", ".join(f"{TITLES[i]} {weights[i]:.2f}" for i in order)
        + ".",
        _exact_text(exact, query_text),
    ]
    return figkit.Built(fig, text)


def build_library_mix(query=QUERY):
    """Stack each title's weighted value into the output of the search.

    Parameters
    ----------
    query : ndarray, shape (d_k,)
        The query in the key features.

    Returns
    -------
    figkit.Built
    """
    out, weights = library_search(query)
    contributions = weights[:, None] * VALUES  # (n_k, d_v)
    fig = go.Figure()
    for title, row in zip(TITLES, contributions, strict=True):
        fig.add_trace(
            go.Bar(
                x=list(VALUE_FEATURES),
                y=figkit.rounded(row, 3),
                name=title,
                hovertemplate="%{x}: %{y:.2f} from " + title + "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=list(VALUE_FEATURES),
            y=figkit.rounded(out, 3),
            mode="text",
            text=[f"{value:.2f}" for value in out],
            textposition="top center",
            name="output",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(
        barmode="stack",
        yaxis=dict(title=dict(text="weight × value"), range=[0, 3], fixedrange=True),
        xaxis=dict(title=dict(text="value feature"), fixedrange=True),
        legend=dict(orientation="h", y=-0.25, traceorder="normal"),
    )
    text = []
    for j, feature in enumerate(VALUE_FEATURES):
        order = np.argsort(-contributions[:, j], kind="stable")
        parts = [
            f"{TITLES[i]} {contributions[i, j]:.2f}"
            for i in order
            if contributions[i, j] >= 0.005
        ]
        text.append(f"{feature}: output {out[j]:.2f} = " + " + ".join(parts) + ".")
    return figkit.Built(fig, text)


def _scaling_state(result):
    """Return the example query's weights, unscaled then scaled, as lists."""
    return (
        figkit.rounded(result["weights"][0], 3),
        figkit.rounded(result["weights_scaled"][0], 3),
    )


def build_scaling_saturation():
    """Show score spread against d_k and one query's weights, with a d_k slider."""
    results = [scaling_experiment(d_k) for d_k in D_KS]
    spread = [r["spread"] for r in results]
    spread_scaled = [r["spread_scaled"] for r in results]
    keys = [str(i + 1) for i in range(N_KEYS)]
    first = 0
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=("score spread", "query weights"),
    )
    lines = [
        ("q · k", spread, "solid"),
        ("q · k / √d_k", spread_scaled, "solid"),
        ("√d_k", np.sqrt(D_KS), "dot"),
    ]
    for name, y, dash in lines:
        fig.add_trace(
            go.Scatter(
                x=list(D_KS),
                y=figkit.rounded(y, 3),
                name=name,
                mode="lines+markers" if dash == "solid" else "lines",
                line=dict(dash=dash),
                hovertemplate="d_k %{x}: std %{y:.2f}<extra>" + name + "</extra>",
            ),
            row=1,
            col=1,
        )
    # Trace 3 rings the selected d_k; traces 4 and 5 are the example's weights.
    fig.add_trace(
        go.Scatter(
            x=[D_KS[first]] * 2,
            y=figkit.rounded([spread[first], spread_scaled[first]], 3),
            mode="markers",
            marker=dict(size=16, symbol="circle-open", line=dict(width=2)),
            name="selected d_k",
            showlegend=False,
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    unscaled, scaled = _scaling_state(results[first])
    for name, y, color in [("without scaling", unscaled, 0), ("scaled", scaled, 1)]:
        fig.add_trace(
            go.Bar(
                x=keys,
                y=y,
                name=name,
                marker_color=figkit.TEMPLATE.layout.colorway[color],
                hovertemplate="key %{x}: %{y:.3f}<extra>" + name + "</extra>",
            ),
            row=1,
            col=2,
        )
    steps = []
    for d_k, result, s, s_scaled in zip(
        D_KS, results, spread, spread_scaled, strict=True
    ):
        unscaled, scaled = _scaling_state(result)
        marker_y = figkit.rounded([s, s_scaled], 3)
        steps.append(
            dict(
                label=str(d_k),
                method="restyle",
                args=[
                    {"x": [[d_k, d_k], keys, keys], "y": [marker_y, unscaled, scaled]},
                    [3, 4, 5],
                ],
            )
        )
    fig.update_layout(
        sliders=[
            dict(
                active=first,
                currentvalue=dict(prefix="d_k = "),
                pad=dict(t=50),
                steps=steps,
            )
        ],
        barmode="group",
        # Above the subplot titles, growing upwards when a narrow screen wraps
        # it onto more rows.
        legend=dict(orientation="h", x=0, y=1.12, yanchor="bottom"),
        margin=dict(t=100),
    )
    fig.update_xaxes(
        type="log",
        tickvals=list(D_KS),
        range=figkit.rounded(np.log10([D_KS[0] / 1.5, D_KS[-1] * 1.5]), 3),
        title_text="d_k",
        fixedrange=True,
        row=1,
        col=1,
    )
    fig.update_yaxes(
        type="log",
        tickvals=[0.5, 1, 2, 4, 8, 16, 32],
        title_text="standard deviation",
        row=1,
        col=1,
    )
    fig.update_yaxes(range=[0, 1], title_text="weight", row=1, col=2)
    fig.update_yaxes(fixedrange=True)
    fig.update_xaxes(title_text="key", fixedrange=True, row=1, col=2)
    text = []
    for d_k, r in zip(D_KS, results, strict=True):
        text.append(
            f"d_k = {d_k}: scores spread {r['spread']:.1f} unscaled, "
            f"{r['spread_scaled']:.2f} scaled; average largest weight "
            f"{r['weights'].max(axis=-1).mean():.2f} unscaled, "
            f"{r['weights_scaled'].max(axis=-1).mean():.2f} scaled "
            f"(over {N_QUERIES} queries of {N_KEYS} keys)."
        )
    return figkit.Built(fig, text)


def build_self_attention_heatmap():
    """Draw the self-attention weights of the example sentence."""
    weights = self_attention_weights()
    heatmap = figkit.attention_heatmap(weights, TOKENS, TOKENS)
    labels = [[f"{weight:.2f}" for weight in row] for row in weights]
    fig = go.Figure([heatmap, figkit.heatmap_labels(heatmap, labels)])
    fig.update_layout(**figkit.token_axes(TOKENS, TOKENS))
    return figkit.Built(fig, figkit.strongest_keys_text(weights, TOKENS, TOKENS))


def build_quadratic_cost():
    """Plot the memory of the weight matrix against the number of tokens."""
    mib = [weight_matrix_mib(n) for n in COST_NS]
    fig = go.Figure(
        go.Bar(
            x=[str(n) for n in COST_NS],
            y=figkit.rounded(mib, 3),
            text=[f"{size:.1f} MiB" for size in mib],
            texttemplate="%{text}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} tokens: %{y:.2f} MiB<extra></extra>",
        )
    )
    # On the linear scale the first bars are slivers; on the log scale every
    # doubling of n is the same step up, a factor of four. The log axis marks
    # powers of ten only (dtick 1); the linear one goes back to its own ticks.
    scales = [
        ("linear scale", {"yaxis.type": "linear", "yaxis.dtick": None}),
        ("log scale", {"yaxis.type": "log", "yaxis.dtick": 1}),
    ]
    fig.update_layout(
        xaxis=dict(title=dict(text="tokens n"), type="category", fixedrange=True),
        yaxis=dict(title=dict(text="MiB of weights"), fixedrange=True),
        showlegend=False,
        updatemenus=[
            dict(
                name="y-axis scale",
                type="buttons",
                direction="right",
                active=0,
                showactive=True,
                x=0,
                xanchor="left",
                y=1.02,
                yanchor="bottom",
                pad=dict(t=0, b=0, l=0, r=0),
                buttons=[
                    dict(label=label, method="relayout", args=[update])
                    for label, update in scales
                ],
            )
        ],
        margin=dict(t=60),
    )
    text = [
        f"{n} tokens: {n * n} weights, {size:.2f} MiB"
        for n, size in zip(COST_NS, mib, strict=True)
    ]
    return figkit.Built(fig, text)
