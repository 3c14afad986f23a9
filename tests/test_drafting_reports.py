"""Drafting measured on reports it was not written for (tests/data/articles/reports, each with the proposals an
editor expects, written before the reader read them), against the targets docs/article-drafting.md states."""

import pytest

from bench import drafting

REPORTS = drafting.reports()


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return drafting.measure(REPORTS)


@pytest.mark.parametrize("name", [path.stem for path in REPORTS])
def test_no_report_gets_a_wrong_speaker(figures, name):
    assert figures[name]["wrong speakers"] == 0
    quotes = figures[name]["quotes verbatim, right speaker"]
    assert quotes[0] == quotes[1]


def test_the_reports_meet_the_targets_together(figures):
    total = drafting.totals(figures)
    assert len(figures) >= 19  # sixteen new reports and the three older ones
    assert total["wrong speakers"] == 0
    quotes, statements, mentions = (
        total[name] for name in ("quotes verbatim, right speaker", "statements", "mentions")
    )
    assert quotes[0] >= 0.95 * quotes[1]
    assert statements[0] >= 0.9 * statements[1]
    assert mentions[0] >= 0.9 * mentions[1]
    assert total["wrong proposals"] * 20 <= total["proposals"]


def test_the_table_names_every_report(figures):
    table = drafting.report(figures)
    assert all(name in table for name in figures) and "**total**" in table
