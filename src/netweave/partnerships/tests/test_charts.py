"""The divergence and drop rules on hand-made cases, without a database."""

import datetime as dt

from netweave.partnerships.charts import (
    PlotPoint,
    RoundInput,
    divergence,
    health_figure,
    plot_figure,
    score_rounds,
)


def test_partner_beyond_threshold_is_flagged():
    """Three partners agree and one is far off: only the far one is flagged."""
    points = [
        PlotPoint("A", 0.0, 0.0),
        PlotPoint("B", 0.1, 0.0),
        PlotPoint("C", 0.0, 0.1),
        PlotPoint("D", 0.9, 0.9),
    ]
    summary = divergence(points, threshold=0.5)
    assert summary.average == (0.25, 0.25)
    assert [p.point.label for p in summary.flagged] == ["D"]
    assert summary.points[3].distance == round((0.65**2 + 0.65**2) ** 0.5, 3)


def test_distance_equal_to_threshold_is_not_flagged():
    """Two partners 1.0 apart are each exactly 0.5 from the average: not beyond it."""
    summary = divergence([PlotPoint("A", -0.5, 0), PlotPoint("B", 0.5, 0)], threshold=0.5)
    assert summary.flagged == []
    assert divergence([PlotPoint("A", -0.5, 0), PlotPoint("B", 0.5, 0)], threshold=0.49).flagged


def test_single_partner_never_diverges():
    """With one placement there is nobody to diverge from."""
    summary = divergence([PlotPoint("A", 1, 1)], threshold=0.05)
    assert summary.flagged == []
    assert divergence([], threshold=0.5).average is None


def test_plot_figure_shows_points_targets_and_average():
    """The figure has the partners, the targets in a year, and the average as a star."""
    summary = divergence(
        [PlotPoint("A", -1, 0, target_x=0, target_y=0), PlotPoint("B", 1, 0)], threshold=0.5
    )
    figure = plot_figure(summary)
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Partners", "Where it should be in a year", "Target in a year", "Average"]
    assert figure["data"][0]["x"] == [-1, 1]
    assert figure["data"][0]["marker"]["line"]["color"] == ["#c0392b", "#c0392b"]
    assert figure["data"][3]["x"] == [0.0]


def r(day: int, answers: int, **means: float) -> RoundInput:
    base = dict.fromkeys(["trust", "value", "communication", "equity", "purpose"], 4.0)
    return RoundInput(
        uid=str(day),
        opens=dt.date(2024, day, 1),
        closes=dt.date(2024, day, 20),
        answers=answers,
        means={**base, **means},
    )


def test_drop_of_half_a_point_is_flagged():
    """A dimension falling by 0.5 or more since the previous round is flagged; less is not."""
    rounds = score_rounds([r(1, 3), r(2, 4, trust=3.5, equity=3.6)], drop_threshold=0.5)
    assert rounds[1].drops == {"trust": 0.5}


def test_round_with_too_few_answers_shows_nothing_and_is_skipped():
    """Fewer than 3 answers: no means; the next round compares with the last shown one."""
    rounds = score_rounds([r(1, 5), r(2, 2, trust=1.0), r(3, 3, trust=3.0)], drop_threshold=0.5)
    assert rounds[1].shown is False
    assert set(rounds[1].means.values()) == {None}
    assert rounds[1].drops == {}
    assert rounds[2].drops == {"trust": 1.0}


def test_first_round_and_rises_are_never_drops():
    """The first shown round has nothing to fall from; a rise is not a drop."""
    rounds = score_rounds([r(1, 3, value=2.0), r(2, 3, value=5.0)], drop_threshold=0.5)
    assert rounds[0].drops == {} and rounds[1].drops == {}


def test_health_figure_leaves_out_hidden_rounds():
    """Only rounds with enough answers are drawn; drops get their own red markers."""
    rounds = score_rounds([r(1, 3), r(2, 1), r(3, 3, purpose=3.0)], drop_threshold=0.5)
    figure = health_figure(rounds)
    assert figure["data"][0]["x"] == ["2024-01-01", "2024-03-01"]
    assert figure["data"][-1]["name"] == "Drop to discuss"
    assert figure["data"][-1]["y"] == [3.0]
