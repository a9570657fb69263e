"""Posts' front matter is checked against one schema (hooks/_schema.py).

The unit tests check single posts; the table of broken fixture sites builds
each one with ``mkdocs build --strict`` and checks that the build fails with a
message naming the file, the field, what was found and what was expected. The
fixture sites are those of tests/test_build.py; their builds run in parallel.
"""

import datetime
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import _schema  # noqa: E402 (hooks/ is put on sys.path above)

from tests.test_build import build, write_site  # noqa: E402

POST_2 = "docs/blog/posts/part-2.md"
DRAFT = "docs/blog/posts/part-3.md"
WHERE = "blog/posts/part-2.md: front matter field"

RULES = _schema.Rules(("Foundations", "Mechanics"), frozenset({"team"}))
GOOD = {
    "title": "T",
    "date": datetime.date(2025, 1, 2),
    "description": "What the post teaches.",
    "authors": ["team"],
    "series": "S",
    "part": 1,
    "tags": ["attention"],
    "categories": ["Foundations"],
    "draft": False,
}


class TestCheckPost:
    def test_accepts_a_good_post(self):
        assert _schema.check_post("blog/posts/a.md", GOOD, RULES) == []

    def test_accepts_materials_date_mapping(self):
        day = datetime.date(2025, 1, 2)
        meta = {**GOOD, "date": {"created": day, "updated": day}}
        assert _schema.check_post("blog/posts/a.md", meta, RULES) == []

    def test_a_draft_may_keep_the_placeholder_description(self):
        meta = {**GOOD, "draft": True, "description": "PLACEHOLDER: say what."}
        assert _schema.check_post("blog/posts/a.md", meta, RULES) == []

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("title", None, "'title' is missing; expected a non-empty string"),
            ("date", "2025-01-02", "'date' is '2025-01-02' (str); expected a date"),
            (
                "date",
                datetime.datetime(2025, 1, 2, 9),
                "(datetime); expected a date written YYYY-MM-DD",
            ),
            ("part", True, "'part' is True (bool); expected a positive integer"),
            ("authors", "team", "'authors' is 'team' (str); expected a list"),
            ("tags", [], "'tags' is [] (list); expected a list of tags"),
            ("categories", ["Cooking"], "not allowed: 'Cooking'"),
            ("slug", "Not A Slug", "expected lowercase words joined by hyphens"),
            ("notebook", 3, "'notebook' is 3 (int); expected a notebook path"),
        ],
        ids=[
            "title",
            "date-str",
            "date-time",
            "part-bool",
            "authors-str",
            "tags-empty",
            "category",
            "slug",
            "notebook",
        ],
    )
    def test_names_field_found_and_expected(self, field, value, message):
        meta = {**GOOD, field: value}
        if value is None:
            del meta[field]
        problems = _schema.check_post("blog/posts/a.md", meta, RULES)
        assert [p.field for p in problems] == [field]
        assert str(problems[0]).startswith("blog/posts/a.md: front matter field")
        assert message in str(problems[0])

    def test_only_date_authors_and_categories_are_fatal(self):
        meta = {k: v for k, v in GOOD.items() if k not in ("title", "date")}
        problems = _schema.check_post("blog/posts/a.md", meta, RULES)
        assert {p.field: p.fatal for p in problems} == {"title": False, "date": True}


# Each case: changes to the fixture site, then text the build's output must hold.
BROKEN = {
    "no-description": (
        {POST_2: ("description: Every matrix in turn.\n", "")},
        f"{WHERE} 'description' is missing; expected a non-empty string",
    ),
    "no-authors": (
        {POST_2: ("authors: [team]\n", "")},
        f"{WHERE} 'authors' is missing; expected a list of author ids",
    ),
    "unknown-author": (
        {POST_2: ("authors: [team]", "authors: [team, ada]")},
        f"{WHERE} 'authors' is ['team', 'ada'] (list); expected ids defined in "
        "blog/.authors.yml ('team'); unknown: 'ada'",
    ),
    "no-tags": (
        {POST_2: ("tags: [attention]\n", "")},
        f"{WHERE} 'tags' is missing; expected a list of tags",
    ),
    "tags-not-a-list": (
        {POST_2: ("tags: [attention]", "tags: attention")},
        f"{WHERE} 'tags' is 'attention' (str); expected a list of tags",
    ),
    "no-categories": (
        {POST_2: ("categories: [Foundations]\n", "")},
        f"{WHERE} 'categories' is missing; expected a list of categories from "
        "'Foundations', 'Mechanics'",
    ),
    "category-not-allowed": (
        {POST_2: ("categories: [Foundations]", "categories: [Cooking]")},
        f"{WHERE} 'categories' is ['Cooking'] (list); expected categories from "
        "'Foundations', 'Mechanics' (categories_allowed in mkdocs.yml); "
        "not allowed: 'Cooking'",
    ),
    "date-day-first": (
        {POST_2: ("date: 2025-02-03", "date: 03.02.2025")},
        f"{WHERE} 'date' is '03.02.2025' (str); expected a date written YYYY-MM-DD",
    ),
    "date-not-a-day": (
        {POST_2: ("date: 2025-02-03", "date: 2025-02-30")},
        "blog/posts/part-2.md: front matter is not valid YAML: day is out of "
        "range for month",
    ),
    "not-yaml": (
        {POST_2: ("tags: [attention]", "tags: [attention")},
        "blog/posts/part-2.md: front matter is not valid YAML at line",
    ),
    "no-front-matter": (
        {POST_2: ("---\ntitle: Scaled", "title: Scaled")},
        "blog/posts/part-2.md: no front matter block",
    ),
    "part-not-a-number": (
        {POST_2: ("part: 2", "part: two")},
        f"{WHERE} 'part' is 'two' (str); expected a positive integer",
    ),
    "part-repeated": (
        {POST_2: ("part: 2", "part: 1")},
        f"{WHERE} 'part' is 1, which blog/posts/part-1.md also has in series "
        "'Understanding Attention'; expected each published part number once",
    ),
    "part-gap": (
        {POST_2: ("part: 2", "part: 4")},
        f"{WHERE} 'part' is 4 in series 'Understanding Attention'; expected 2",
    ),
    "draft-takes-a-published-part": (
        {DRAFT: ("part: 3", "part: 2")},
        "blog/posts/part-3.md: front matter field 'part' is 2, which "
        "blog/posts/part-2.md also has in series 'Understanding Attention'; "
        "expected a part after the published ones (3 or more)",
    ),
    "no-series": (
        {POST_2: ("series: Understanding Attention\n", "")},
        f"{WHERE} 'series' is missing; expected a series name",
    ),
    "no-draft": (
        {POST_2: ("draft: false\n", "")},
        f"{WHERE} 'draft' is missing; expected true or false",
    ),
    "draft-not-a-bool": (
        {POST_2: ("draft: false", "draft: maybe")},
        f"{WHERE} 'draft' is 'maybe' (str); expected true or false",
    ),
    "published-placeholder": (
        {
            POST_2: (
                "description: Every matrix in turn.",
                "description: 'PLACEHOLDER: Every matrix in turn.'",
            )
        },
        f"{WHERE} 'description' is 'PLACEHOLDER: Every matrix in turn.' (str); "
        "expected your own summary in place of the placeholder",
    ),
    "missing-notebook": (
        {POST_2: ("draft: false", "draft: false\nnotebook: notebooks/part2.py")},
        f"{WHERE} 'notebook' is 'notebooks/part2.py', which is not in docs_dir",
    ),
}


@pytest.fixture(scope="module")
def broken_builds(tmp_path_factory):
    """Build every broken site, two at a time; map case id to the result."""

    def run(case):
        root = tmp_path_factory.mktemp(case)
        write_site(root, BROKEN[case][0])
        return build(root)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(BROKEN, pool.map(run, BROKEN), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_front_matter_fails_the_build_naming_it(broken_builds, case):
    result = broken_builds[case]
    message = BROKEN[case][1]
    assert result.returncode == 1, result.stderr
    assert message in " ".join(result.stderr.split()), result.stderr
