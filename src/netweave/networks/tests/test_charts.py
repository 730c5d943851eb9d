"""The pictures' layout and figures, from plain data (no database)."""

import datetime as dt

from netweave.networks.charts import (
    WIDTH,
    SectorCount,
    YearCount,
    count_by_year,
    growth_figure,
    sector_figure,
    stage_timeline,
)

TODAY = dt.date(2024, 6, 15)


def test_members_counted_at_each_year_end():
    """A period counts in a year when it runs on 31 December; this year counts today."""
    periods = [
        (dt.date(2020, 4, 1), None),
        (dt.date(2021, 2, 1), dt.date(2023, 12, 31)),  # left on the last day: not counted
        (dt.date(2022, 7, 1), dt.date(2024, 3, 1)),
    ]
    rows = count_by_year(periods, launched=dt.date(2020, 3, 1), today=TODAY)
    assert [(r.year, r.count, r.partial) for r in rows] == [
        (2020, 1, False),
        (2021, 2, False),
        (2022, 3, False),
        (2023, 2, False),
        (2024, 1, True),
    ]


def test_growth_starts_at_first_join_when_earlier_than_launch():
    """Years start at the earlier of the launch and the first join."""
    rows = count_by_year([(dt.date(2018, 1, 1), None)], launched=dt.date(2020, 1, 1), today=TODAY)
    assert rows[0].year == 2018


def test_no_launch_and_no_members_means_no_growth():
    """A network without members or launch date has no growth rows."""
    assert count_by_year([], launched=None, today=TODAY) == []


def test_sector_figure_carries_counts_and_colours():
    """The bar chart's data are the sector counts, coloured per sector."""
    rows = [
        SectorCount("government", "Government", "#1f77b4", 5),
        SectorCount("media", "Media", "#e377c2", 2),
    ]
    bar = sector_figure(rows)["data"][0]
    assert (bar["y"], bar["x"], bar["marker"]["color"]) == (
        ["Government", "Media"],
        [5, 2],
        ["#1f77b4", "#e377c2"],
    )


def test_growth_figure_carries_years_and_counts():
    """The growth line's points are the yearly counts."""
    line = growth_figure([YearCount(2020, 1, False), YearCount(2021, 4, True)])["data"][0]
    assert (line["x"], line["y"]) == ([2020, 2021], [1, 4])


def test_timeline_places_stages_in_time_order():
    """Reached stages sit on the axis by date; the others follow, unreached, after today."""
    timeline = stage_timeline(
        [("emerging", dt.date(2017, 3, 1), ""), ("informal", dt.date(2009, 11, 1), "")],
        current_stage="emerging",
        launched=dt.date(2009, 11, 1),
        today=TODAY,
    )
    points = {p.stage: p for p in timeline.points}
    assert [p.stage for p in timeline.points] == ["informal", "emerging", "formal", "recognised"]
    assert points["informal"].x == timeline.axis_start
    assert points["informal"].x < points["emerging"].x < timeline.axis_end
    assert timeline.axis_end < points["formal"].x < points["recognised"].x <= timeline.future_end
    assert points["emerging"].current and not points["formal"].reached
    # March 2017 is halfway between November 2009 and June 2024.
    middle = (timeline.axis_start + timeline.axis_end) / 2
    assert abs(points["emerging"].x - middle) < 0.01 * (timeline.axis_end - timeline.axis_start)


def test_timeline_labels_stay_inside_and_do_not_collide():
    """Labels of close milestones go to different sides or rows, within the picture."""
    timeline = stage_timeline(
        [
            ("informal", dt.date(2009, 11, 1), ""),
            ("emerging", dt.date(2010, 1, 1), ""),
            ("formal", dt.date(2010, 3, 1), ""),
            ("recognised", dt.date(2010, 5, 1), ""),
        ],
        current_stage="recognised",
        launched=None,
        today=TODAY,
    )
    places = [(p.label_y, p.x) for p in timeline.points]
    assert len({y for y, _x in places}) == 4  # four distinct label rows
    assert all(10 <= p.label_y <= timeline.height - 14 for p in timeline.points)
    assert all(0 < p.x < WIDTH for p in timeline.points)
    assert timeline.axis_end == timeline.future_end  # nothing left to reach


def test_timeline_without_milestones_still_draws_every_stage():
    """A network with no milestone shows four stages not reached yet."""
    timeline = stage_timeline([], current_stage="informal", launched=None, today=TODAY)
    assert [p.reached for p in timeline.points] == [False] * 4
    assert timeline.ticks  # an axis with at least this year's tick
