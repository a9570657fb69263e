"""Unit tests of the MkDocs hooks in hooks/, calling their functions directly."""

import datetime
import json
import logging
import textwrap
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from tests.hook_loader import load_hook

common = load_hook("_common.py")
figures = load_hook("figures.py")
series = load_hook("series.py")
posts = load_hook("_posts.py")
regenerate = load_hook("regenerate.py")

META = {
    "id": "library-weights",
    "title": "Weights <of> titles",
    "caption": 'The "query" & its keys',
    "alt": "A bar per title",
    "height": 320,
    "text": ["Neural Networks: 0.41", "Cooking <Recipes>: 0.02"],
}
FIGURES = {
    "library-weights": META,
    "library-mix": {**META, "id": "library-mix"},
}
VALUES = {"part1.top-weight": {"value": 0.4123, "format": ".2f"}}
PAGE = "blog/posts/part-1.md"


def run(markdown, page_url="blog/part-1/"):
    """Substitute references in `markdown` as on a post at `page_url`."""
    return figures.substitute(
        markdown, figures=FIGURES, values=VALUES, page_url=page_url, where=PAGE
    )


class TestSplitFences:
    @pytest.mark.parametrize(
        "markdown, code",
        [
            ("a\n```\nx\n```\nb\n", "```\nx\n```\n"),
            ("a\n~~~ python\nx\n~~~\nb\n", "~~~ python\nx\n~~~\n"),
            ("a\n````\n```\nx\n````\nb\n", "````\n```\nx\n````\n"),
            ("- a\n\n    ```\n    x\n    ```\nb\n", "    ```\n    x\n    ```\n"),
            ("a\n```\nx\n", "```\nx\n"),
        ],
        ids=["backticks", "tildes", "shorter-fence-inside", "in-list", "unclosed"],
    )
    def test_finds_the_fenced_block(self, markdown, code):
        chunks = common.split_fences(markdown)
        assert "".join(text for _, text in chunks) == markdown
        assert [text for is_code, text in chunks if is_code] == [code]

    def test_inline_triple_backticks_do_not_open_a_fence(self):
        chunks = common.split_fences("```a``` b\nc\n")
        assert not any(is_code for is_code, _ in chunks)


class TestMaskCodeSpans:
    @pytest.mark.parametrize(
        "text, spans",
        [
            ("a `x` b", ["`x`"]),
            ("a ``x ` y`` b", ["``x ` y``"]),
            ("a ` b", []),
            ("a `x\n\ny` b", []),
            ("a \\`x` b", []),
        ],
        ids=["single", "double", "unmatched", "across-paragraphs", "escaped"],
    )
    def test_masks_only_code_spans(self, text, spans):
        mask = common.mask_code_spans(text)
        assert mask.spans == spans
        assert "`" not in mask.text or not spans
        assert mask.restore(mask.text) == text


class TestFrontMatter:
    def test_reads_fields_and_body(self):
        front = common.parse_front_matter("---\ntitle: A\ndate: 2025-01-02\n---\nB\n")
        assert front.meta == {"title": "A", "date": datetime.date(2025, 1, 2)}
        assert front.body == "B\n"
        assert front.error is None

    @pytest.mark.parametrize(
        "source, message",
        [
            ("# No front matter\n", "no front matter block"),
            ("---\ntitle: A\ndate: [x\n---\n", "not valid YAML at line 4"),
            ("---\n- a\n- b\n---\n", "front matter is a list"),
        ],
        ids=["missing", "not-yaml", "not-a-mapping"],
    )
    def test_says_what_is_wrong(self, source, message):
        front = common.parse_front_matter(source)
        assert front.meta is None
        assert message in front.error


class TestFigureBox:
    def test_matches_the_contract_with_text_escaped(self):
        expected = textwrap.dedent("""\
            <figure class="ua-figure" id="figure-library-weights" \
data-figure-id="library-weights"
                    data-figure-src="../../assets/figures/library-weights.json">
              <figcaption class="ua-figure__title">Weights &lt;of&gt; titles\
</figcaption>
              <div class="ua-figure__plot" role="img" aria-label="A bar per title" \
style="height: 320px"></div>
              <p class="ua-figure__caption">The &quot;query&quot; &amp; its keys</p>
              <details class="ua-figure__text"><summary>The figure as text</summary>
                <ul><li>Neural Networks: 0.41</li><li>Cooking &lt;Recipes&gt;: 0.02\
</li></ul></details>
            </figure>""")
        box = figures.figure_box(META, "../../assets/figures/library-weights.json")
        assert box == expected


class TestSubstitute:
    def test_places_a_figure_box_with_a_url_relative_to_the_page(self):
        out, placed, problems, _ = run("Intro.\n\n  [[figure: library-weights]]  \n")
        assert placed == ["library-weights"]
        assert problems == []
        assert 'data-figure-src="../../assets/figures/library-weights.json"' in out

    def test_url_of_a_figure_on_the_home_page_has_no_parent_steps(self):
        out, _, _, _ = run("[[figure: library-mix]]\n", page_url="")
        assert 'data-figure-src="assets/figures/library-mix.json"' in out

    @pytest.mark.parametrize(
        "markdown, expected",
        [
            ("w = [[value: part1.top-weight]].", "w = 0.41."),
            ("w = [[value: part1.top-weight | .0%]].", "w = 41%."),
            ("w = [[value:part1.top-weight|.3f]].", "w = 0.412."),
        ],
        ids=["default-format", "percent", "no-spaces"],
    )
    def test_formats_values(self, markdown, expected):
        out, _, problems, n_values = run(markdown)
        assert out == expected
        assert problems == []
        assert n_values == 1

    @pytest.mark.parametrize(
        "markdown",
        [
            "```\n[[value: part1.top-weight]]\n[[figure: nope]]\n```\n",
            "~~~~\n[[value: part1.top-weight]]\n~~~~\n",
            "- item\n\n    ```\n    [[figure: library-weights]]\n    ```\n",
            "Say `[[value: part1.top-weight]]` or ``[[value: x.y | .2f]]``.\n",
            "`[[figure: library-weights]]`\n",
        ],
        ids=["backtick-fence", "tilde-fence", "fence-in-list", "inline", "line-code"],
    )
    def test_leaves_code_alone(self, markdown):
        assert run(markdown) == (markdown, [], [], 0)

    def test_unknown_figure_names_page_id_and_closest_ids(self):
        out, placed, problems, _ = run("[[figure: library-weight]]\n")
        assert placed == []
        assert problems == [
            "blog/posts/part-1.md: unknown figure 'library-weight'; "
            "closest known ids: library-weights, library-mix"
        ]
        assert "ua-missing" in out

    def test_unknown_value_names_page_name_and_closest_names(self):
        out, _, problems, _ = run("w = [[value: part1.top-weigth]]")
        assert problems == [
            "blog/posts/part-1.md: unknown value 'part1.top-weigth'; "
            "closest known values: part1.top-weight"
        ]
        assert "ua-missing" in out

    def test_bad_format_spec_names_page_value_and_spec(self):
        _, _, problems, _ = run("w = [[value: part1.top-weight | .2q]]")
        assert len(problems) == 1
        assert problems[0].startswith(
            "blog/posts/part-1.md: value 'part1.top-weight' has a bad format spec '.2q'"
        )

    @pytest.mark.parametrize(
        "markdown",
        [
            "w = [[value: top-weight]]",
            "w = [[value: part1.top-weight | ]]",
            "[[figure: Library Weights]]\n",
            "See [[figure: library-weights]] here.\n",
            "w = [[value: part1.top-weight\n",
        ],
        ids=["no-module", "empty-spec", "not-kebab", "not-alone", "unclosed"],
    )
    def test_reports_a_reference_that_does_not_parse(self, markdown):
        _, placed, problems, _ = run(markdown)
        assert placed == []
        assert len(problems) == 1
        assert problems[0].startswith("blog/posts/part-1.md: ")
        assert "does not parse" in problems[0]

    def test_reports_a_figure_placed_twice_on_one_page(self):
        _, _, problems, _ = run("[[figure: library-mix]]\n\n[[figure: library-mix]]\n")
        assert problems == [
            "blog/posts/part-1.md: figure 'library-mix' is placed twice; expected "
            "each figure once per page (its box id must be unique)"
        ]

    def test_a_caption_is_not_read_as_a_reference(self):
        tricky = {**META, "id": "tricky", "caption": "[[value: part1.top-weight]]"}
        out, _, problems, n_values = figures.substitute(
            "[[figure: tricky]]\n",
            figures={"tricky": tricky},
            values=VALUES,
            page_url="",
            where=PAGE,
        )
        assert problems == []
        assert n_values == 0
        assert "[[value: part1.top-weight]]" in out


class TestLoadFolder:
    def write(self, folder, name, data):
        folder.mkdir(exist_ok=True)
        text = data if isinstance(data, str) else json.dumps(data)
        (folder / name).write_text(text, encoding="utf-8")

    def test_loads_figures_and_values(self, tmp_path):
        folder = tmp_path / "figures"
        self.write(folder, "library-weights.json", {"data": [], "meta": META})
        self.write(folder, "values.json", VALUES)
        self.write(folder, "manifest.json", {"modules": {}, "files": {}})
        found, values = figures.load_folder(folder)
        assert list(found) == ["library-weights"]
        assert found["library-weights"]["title"] == META["title"]
        assert values == VALUES

    def test_rejects_a_missing_folder(self, tmp_path):
        with pytest.raises(PluginError, match="no figures folder"):
            figures.load_folder(tmp_path / "figures")

    @pytest.mark.parametrize(
        "content, message",
        [
            ('{"meta": ', r"figures/library-weights\.json: is not valid JSON"),
            ({"data": []}, "has no 'meta' object"),
            ({"meta": {**META, "height": "320px"}}, "meta field 'height' is '320px'"),
            ({"meta": {**META, "id": "other"}}, "expected 'library-weights'"),
            ({"meta": {**META, "text": "one line"}}, "meta field 'text'"),
        ],
        ids=["corrupt", "no-meta", "height", "id", "text"],
    )
    def test_names_the_file_and_what_was_expected(self, tmp_path, content, message):
        folder = tmp_path / "figures"
        self.write(folder, "library-weights.json", content)
        self.write(folder, "values.json", VALUES)
        with pytest.raises(PluginError, match=message):
            figures.load_folder(folder)

    @pytest.mark.parametrize(
        "values, message",
        [
            ({"a.b": {"value": "0.4", "format": ".2f"}}, "entry 'a.b' has value"),
            ({"a.b": {"value": 0.4, "format": ".2q"}}, "entry 'a.b' has format"),
            ([1, 2], "is a list"),
        ],
        ids=["not-a-number", "bad-format", "not-an-object"],
    )
    def test_rejects_bad_values(self, tmp_path, values, message):
        self.write(tmp_path / "figures", "values.json", values)
        with pytest.raises(PluginError, match=message):
            figures.load_folder(tmp_path / "figures")

    def test_rejects_a_missing_values_file(self, tmp_path):
        (tmp_path / "figures").mkdir()
        with pytest.raises(PluginError, match="values.json: missing"):
            figures.load_folder(tmp_path / "figures")


class TestDraftFigures:
    def test_collects_figures_of_draft_pages_only(self, tmp_path):
        posts = tmp_path / "blog" / "posts"
        posts.mkdir(parents=True)
        (posts / "draft.md").write_text(
            "---\ntitle: D\ndraft: true\n---\n[[figure: only-draft]]\n"
            "```\n[[figure: in-code]]\n```\n"
        )
        (posts / "published.md").write_text(
            "---\ntitle: P\ndraft: false\n---\n[[figure: published]]\n"
        )
        assert figures.draft_figure_ids(tmp_path) == {"only-draft"}


# Front matter checks of single posts: tests/test_front_matter.py.


def make_post(name, part, draft=False, title=None):
    """Make a series post record for blog/posts/<name>.md."""
    return posts.Post(
        f"blog/posts/{name}.md",
        title or name.title(),
        datetime.date(2025, part, 1),
        f"About {name}.",
        "Understanding Attention",
        part,
        draft,
    )


class TestCheckParts:
    def test_accepts_consecutive_parts(self):
        assert posts.check_parts("S", [make_post("a", 1), make_post("b", 2)]) == []

    def test_reports_a_duplicated_part(self):
        problems = posts.check_parts("S", [make_post("a", 1), make_post("b", 1)])
        assert problems == [
            "blog/posts/b.md: front matter field 'part' is 1, which "
            "blog/posts/a.md also has in series 'S'; expected each published "
            "part number once"
        ]

    def test_reports_a_gap(self):
        problems = posts.check_parts("S", [make_post("a", 1), make_post("c", 3)])
        assert problems == [
            "blog/posts/c.md: front matter field 'part' is 3 in series 'S'; "
            "expected 2: published parts are numbered 1, 2, 3, ... with no gap"
        ]

    def test_skips_gaps_when_some_post_is_unreadable(self):
        assert posts.check_parts("S", [make_post("c", 3)], gaps=False) == []


class TestSeriesLinks:
    PARTS = [make_post("one", 1), make_post("two", 2), make_post("three", 3)]

    def test_middle_part_links_index_previous_and_next(self):
        banner, footer = series.series_links(self.PARTS[1], self.PARTS)
        assert banner == (
            "*Part 2 of 3 in the series [Understanding Attention]"
            "(../../series/understanding-attention/index.md).*"
        )
        assert footer == (
            "Previous: [Part 1: One](one.md) · Next: [Part 3: Three](three.md)"
        )

    def test_a_draft_says_draft_and_links_no_parts(self):
        draft = make_post("four", 4, draft=True)
        banner, footer = series.series_links(draft, self.PARTS)
        assert banner.startswith("*Draft, part 4 of the series [Understanding")
        assert footer == ""

    def test_banner_goes_under_the_leading_title(self, monkeypatch):
        parts = self.PARTS[:2]
        state = {"posts": {p.src_uri: p for p in parts}, "series": {}}
        state["series"]["Understanding Attention"] = parts
        monkeypatch.setattr(series, "_state", state)
        page = SimpleNamespace(file=SimpleNamespace(src_uri="blog/posts/one.md"))
        out = series.on_page_markdown(
            "# One\n\nText.\n", page=page, config=None, files=None
        )
        assert out.splitlines()[:3] == [
            "# One",
            "",
            "*Part 1 of 2 in the series "
            "[Understanding Attention](../../series/"
            "understanding-attention/index.md).*",
        ]
        assert out.endswith("Next: [Part 2: Two](two.md)\n")


class TestSeriesIndex:
    def test_lists_parts_in_order_with_dates_and_descriptions(self):
        parts = [make_post("one", 1, title="What is [attention]?"), make_post("two", 2)]
        text = series.index_markdown(
            "Understanding Attention", "series/understanding-attention/index.md", parts
        )
        assert text.startswith("---\ntitle: Understanding Attention\n---\n")
        one = text.index(
            "## Part 1: [What is \\[attention\\]?](../../blog/posts/one.md)"
        )
        two = text.index("## Part 2: [Two](../../blog/posts/two.md)")
        assert one < text.index("*1 January 2025*") < two
        assert "About two." in text

    @pytest.mark.parametrize(
        "name, slug",
        [
            ("Understanding Attention", "understanding-attention"),
            ("  Attention: the Basics (2025) ", "attention-the-basics-2025"),
            ("Café à la carte", "cafe-a-la-carte"),
        ],
        ids=["plain", "punctuation", "accents"],
    )
    def test_slugify(self, name, slug):
        assert series.slugify(name) == slug


class FakeServer:
    def __init__(self):
        self.watched = []

    def watch(self, path):
        self.watched.append(path)


def fake_project(tmp_path, script):
    """Make a project whose figure command is `script`, and its config."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "build_figures.py").write_text(textwrap.dedent(script))
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    return SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))


@pytest.mark.slow
class TestRegenerate:
    def test_failure_is_a_warning_with_the_error_output(self, tmp_path, caplog):
        fake_project(tmp_path, "import sys\nsys.exit('figure module broke')\n")
        with caplog.at_level(logging.WARNING, "mkdocs.plugins.attention_regenerate"):
            assert regenerate.regenerate(tmp_path) is False
        assert "exit status 1" in caplog.text
        assert "figure module broke" in caplog.text

    def test_runs_from_the_project_root_under_serve(self, tmp_path, monkeypatch):
        config = fake_project(
            tmp_path, "import pathlib\npathlib.Path('ran').write_text('yes')\n"
        )
        monkeypatch.chdir(tmp_path / "scripts")
        regenerate.on_startup(command="serve", dirty=False)
        regenerate.on_pre_build(config)
        assert (tmp_path / "ran").read_text() == "yes"

    def test_does_not_run_under_build(self, tmp_path):
        config = fake_project(
            tmp_path, "import pathlib\npathlib.Path('ran').write_text('yes')\n"
        )
        regenerate.on_startup(command="build", dirty=False)
        regenerate.on_pre_build(config)
        assert not (tmp_path / "ran").exists()

    def test_serve_watches_core_scripts_and_figures(self, tmp_path):
        config = fake_project(tmp_path, "")
        for name in ("attention", "figures"):
            (tmp_path / name).mkdir()
        server = regenerate.on_serve(FakeServer(), config=config, builder=None)
        expected = [str(tmp_path / n) for n in ("attention", "scripts", "figures")]
        assert server.watched == expected
