"""The content-gaps builders: escaped, cut examples and a Home section inside Slack's limits."""

from __future__ import annotations

from bot.blocks.gaps import (
    HOME_COURSES_SHOWN,
    CourseGaps,
    GapCluster,
    build_gaps_lines,
    build_home_gaps_blocks,
    cluster_line,
)
from bot.blocks.home import MAX_HOME_BLOCKS, Audience, HomeData, build_home_view


def test_examples_are_escaped_cut_and_at_most_three() -> None:
    line = cluster_line(
        GapCluster(
            count=5,
            examples=("<!channel> *why*", "x" * 500, "three", "four"),
            chapter="Day 2 › Lists",
        )
    )
    assert line.startswith("*5 questions* · mostly _Day 2 › Lists_")
    assert "&lt;!channel&gt;" in line
    assert "<!channel>" not in line
    assert "x" * 200 not in line
    assert "four" not in line
    assert len(cluster_line(GapCluster(2, ("z" * 900,) * 3, chapter="c" * 900))) < 1000


def test_the_tallies_come_first_and_say_when_there_are_none() -> None:
    lines = build_gaps_lines((GapCluster(1, ("q",)),), (("Lists", 3),), ())
    assert lines[0] == "*Chapters most escalated from:* Lists (3)"
    assert lines[1] == "*Not-helpful feedback:* none"
    assert lines[2].startswith("*1 question*")


def test_the_home_section_of_many_big_courses_stays_inside_slacks_limits() -> None:
    cluster = GapCluster(count=40, examples=("y" * 3000,) * 3, chapter="c" * 500)
    courses = tuple(CourseGaps(f"course-{i}", 99, (cluster,) * 10) for i in range(30))
    blocks = build_home_gaps_blocks(courses)
    for block in blocks:
        block.to_dict()  # validates text lengths
    assert sum("course-" in str(b.to_dict()) for b in blocks) == HOME_COURSES_SHOWN
    assert "25 more courses" in str(blocks[-1].to_dict())
    view = build_home_view(HomeData("UADMIN", Audience.ADMIN, gaps=courses)).to_dict()
    assert len(view["blocks"]) <= MAX_HOME_BLOCKS
