"""A timeline of memberships and posts, drawn as SVG by templates/records/_timeline.html.

Everything the drawing needs -- bar positions in SVG user units, text already
wrapped into lines, each period read aloud -- is worked out here, from rows the
view has already fetched, so the template stays a plain loop, the page needs no
JavaScript, and the arithmetic can be tested without rendering anything.
"""

import dataclasses
import datetime
import hashlib
import textwrap

from records.models.base import DateBound, bounded_label
from records.partial_dates import PartialDate

# A narrow drawing, so that scaled down to a 360 px phone its text stays 11-13 px;
# on wide screens the stylesheet should cap its width (it grows with the column).
WIDTH = 420
# Room for a year label centred on the first or last tick.
MARGIN = 20
PLOT_LEFT = MARGIN
PLOT_RIGHT = WIDTH - MARGIN
AXIS_HEIGHT = 24
BAR_HEIGHT = 12
ROW_GAP = 16
BOTTOM_HEIGHT = 22
# The faded lead-in before a start known only as "on or before".
LEAD_IN = 24
# A one-day membership on a forty-year scale would otherwise vanish.
MIN_BAR_WIDTH = 3
MAX_YEAR_LABELS = 8
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
DASH = " – "


@dataclasses.dataclass(frozen=True)
class TextSize:
    """Font size and line height in user units; the template sets the same sizes."""

    size: int
    line_height: int
    # SVG text never wraps, so lines are broken here from an estimate of the
    # average character width (as a share of the size) of a sans-serif font.
    character_width: float

    def wrap(self, text, max_lines):
        per_line = int((PLOT_RIGHT - PLOT_LEFT) / (self.size * self.character_width))
        return textwrap.wrap(text, per_line, max_lines=max_lines, placeholder=" …") or [text]


@dataclasses.dataclass(frozen=True)
class TextSizes:
    label: TextSize = TextSize(17, 21, 0.6)
    post: TextSize = TextSize(15, 19, 0.55)
    period: TextSize = TextSize(14, 18, 0.55)
    tick: TextSize = TextSize(13, 16, 0.55)


TEXT = TextSizes()


@dataclasses.dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclasses.dataclass(frozen=True)
class Row:
    membership: object
    label: str
    href: str
    post: str
    period: str
    # The days the bar covers: a partial date spans its whole period, so a
    # start of "2025" is 1 January 2025 and an end of "2025" is 31 December.
    # An ongoing membership ends today. None where the sources say nothing.
    start: datetime.date | None
    end: datetime.date | None
    ongoing: bool
    # Unknown, or "on or before": it may have begun earlier than drawn.
    uncertain_start: bool
    undated: bool
    # The solid bar, and the faded lead-in to its left (width 0 when certain).
    x: float
    width: float
    lead_in_x: float
    lead_in_width: float
    top: float
    label_lines: tuple[Line, ...]
    post_lines: tuple[Line, ...]
    bar_y: float
    bar_middle: float
    period_lines: tuple[Line, ...]

    @property
    def text(self):
        """The row as one sentence, for screen readers: 'Assistant to the President, X: 2025 – present'."""
        return f"{self.post}, {self.label}: {self.period}"

    @property
    def has_bar(self):
        return not self.undated

    @property
    def mark_baseline(self):
        """Where the undated row's question mark sits, centred on the bar's line."""
        return _round(self.bar_middle + TEXT.tick.size * 0.35)

    @property
    def arrow_points(self):
        """A small arrowhead after an ongoing bar, so "still lasts" does not rest on colour or the today line alone."""
        base, tip = _round(self.x + self.width + 1), _round(self.x + self.width + 7)
        return f"{base},{self.bar_y} {tip},{self.bar_middle} {base},{self.bar_y + BAR_HEIGHT}"


@dataclasses.dataclass(frozen=True)
class Tick:
    year: int
    x: float


@dataclasses.dataclass(frozen=True)
class Timeline:
    title: str
    dom_id: str
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    # The scale's ends, whole years: 1 January of the first, 1 January after the last.
    scale_start: datetime.date | None
    scale_end: datetime.date | None
    today: datetime.date
    # Only drawn when a membership is ongoing, the one case where today matters.
    today_x: float | None
    today_anchor: str
    width: int
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    tick_label_y: float
    bar_height: int = BAR_HEIGHT
    text_size: TextSizes = TEXT

    @property
    def view_box(self):
        return f"0 0 {self.width} {_round(self.height)}"

    @property
    def today_label_y(self):
        return _round(self.height - 6)

    @property
    def undated_mark_x(self):
        return self.plot_left + 6

    @property
    def title_id(self):
        return f"{self.dom_id}-title"

    @property
    def desc_id(self):
        return f"{self.dom_id}-desc"

    @property
    def fade_id(self):
        return f"{self.dom_id}-fade"

    @property
    def first_year(self):
        return self.scale_start.year if self.scale_start else None

    @property
    def last_year(self):
        return self.scale_end.year - 1 if self.scale_end else None

    @property
    def description(self):
        return " ".join(f"{row.text}." for row in self.rows)

    @property
    def any_uncertain_start(self):
        return any(row.uncertain_start and row.has_bar for row in self.rows)

    @property
    def any_ongoing(self):
        return any(row.ongoing for row in self.rows)

    @property
    def any_undated(self):
        return any(row.undated for row in self.rows)

    def x_of(self, day):
        """Where a day begins on the scale, in user units."""
        return _x(day, self.scale_start, self.scale_end)


def organization_label(membership):
    """For a person's page, or an organization's memberships elsewhere: the body they belong to."""
    return _label_and_link(membership.organization)


def member_label(membership):
    """For an organization's page: who belongs to it."""
    return _label_and_link(membership.member)


def _label_and_link(record):
    # The queryset already keeps out memberships of unpublished records; this
    # only keeps a link from pointing at a page that would answer 404.
    return str(record), record.get_absolute_url() if record.is_published else ""


def build(memberships, *, today, label_of, title="Posts and memberships over time", dom_id=None):
    """The timeline of these memberships, or None when no membership has a date to place.

    Runs no query: fetch the memberships with the records label_of reads
    (select_related) before calling. label_of(membership) gives (label, href).
    """
    facts = [_facts(membership, today, label_of) for membership in memberships]
    facts.sort(key=_order)
    scale_start, scale_end = _scale(facts) if facts else (None, None)
    if scale_start is None:
        # Nothing dated: an axis would be empty, and the list beside says "dates not recorded".
        return None

    rows, y = [], AXIS_HEIGHT + 8
    for fact in facts:
        row = _row(fact, y, scale_start, scale_end)
        rows.append(row)
        y = row.period_lines[-1].y + ROW_GAP + TEXT.period.size // 2
    plot_bottom = y - ROW_GAP // 2
    rows = tuple(rows)

    ticks = _ticks(scale_start, scale_end) if scale_start else ()
    any_ongoing = any(fact["ongoing"] for fact in facts)
    today_x = _x(today, scale_start, scale_end) if any_ongoing and scale_start else None
    # The word "today" reads leftwards from its line unless that line is near the left edge.
    today_anchor = "end" if today_x is None or today_x - PLOT_LEFT > 48 else "start"

    if dom_id is None:
        # Two timelines on one page (an organization's members and its own
        # memberships) need distinct ids for aria-labelledby and the gradient;
        # the content tells them apart and keeps the HTML stable between requests.
        content = "\n".join(f"{row.text}\t{row.href}" for row in rows)
        dom_id = "timeline-" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:10]

    return Timeline(
        title=title,
        dom_id=dom_id,
        rows=rows,
        ticks=ticks,
        scale_start=scale_start,
        scale_end=scale_end,
        today=today,
        today_x=today_x,
        today_anchor=today_anchor,
        width=WIDTH,
        height=plot_bottom + (BOTTOM_HEIGHT if today_x is not None else 4),
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=AXIS_HEIGHT,
        plot_bottom=plot_bottom,
        tick_label_y=AXIS_HEIGHT - 8,
    )


def _partial_date(value):
    if not value:
        return None
    try:
        return PartialDate(value)
    except ValueError:
        # The database refuses malformed dates; should one slip in anyway, a
        # public page shows it as unknown rather than failing altogether.
        return None


def _phrase(date, bound):
    return bounded_label(date.label(), bound)


def _period(start, start_bound, end, end_bound):
    if start is None and end is None:
        return "dates unknown"
    start_text = _phrase(start, start_bound) if start else "start unknown"
    end_text = _phrase(end, end_bound) if end else "present"
    if start_text == end_text:
        return start_text  # "2025", not "2025 – 2025"
    return f"{start_text}{DASH}{end_text}"


def _capfirst(text):
    return text[:1].upper() + text[1:]


def _facts(membership, today, label_of):
    label, href = label_of(membership)
    start = _partial_date(membership.start_date)
    end = _partial_date(membership.end_date)
    # No end recorded means it still lasts (MembershipQuerySet.current), but
    # only once something is known of it; a row with no dates at all is undated.
    ongoing = end is None and start is not None
    return {
        "membership": membership,
        "label": str(label),
        "href": href or "",
        "post": _capfirst(membership.role or membership.get_kind_display()),
        "period": _period(start, membership.start_date_bound, end, membership.end_date_bound),
        "start": start.first_day() if start else None,
        "end": end.last_day() if end else (today if ongoing else None),
        "ongoing": ongoing,
        "uncertain_start": start is None or membership.start_date_bound == DateBound.ON_OR_BEFORE,
        "undated": start is None and end is None,
    }


def _order(fact):
    start = fact["start"]
    return (start is None, start or datetime.date.max, fact["label"].casefold(), fact["post"].casefold())


def _scale(facts):
    days = [day for fact in facts for day in (fact["start"], fact["end"]) if day is not None]
    if not days:
        return None, None
    first_year, last_year = min(days).year, max(days).year
    # A faded lead-in ending early in the first year would have no room to
    # fade in; a year more on the left gives it some.
    lead_in_ends = [fact["start"] or fact["end"] for fact in facts if fact["uncertain_start"] and not fact["undated"]]
    if any(day.year == first_year for day in lead_in_ends):
        first_year -= 1
    return datetime.date(first_year, 1, 1), datetime.date(last_year + 1, 1, 1)


def _x(day, scale_start, scale_end):
    share = (day - scale_start).days / (scale_end - scale_start).days
    return _round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT))


def _round(value):
    return round(value, 2)


def _lines(texts, size, first_baseline):
    return tuple(Line(text, first_baseline + index * size.line_height) for index, text in enumerate(texts))


def _row(fact, top, scale_start, scale_end):
    label_lines = _lines(TEXT.label.wrap(fact["label"], 2), TEXT.label, top + TEXT.label.size)
    post_lines = _lines(TEXT.post.wrap(fact["post"], 2), TEXT.post, label_lines[-1].y + TEXT.post.line_height)
    bar_y = post_lines[-1].y + 8
    period_lines = _lines(
        TEXT.period.wrap(fact["period"], 2), TEXT.period, bar_y + BAR_HEIGHT + TEXT.period.line_height
    )

    x = width = lead_in_x = lead_in_width = 0
    start, end = fact["start"], fact["end"]
    if end is not None:
        # The bar covers the whole last day, so it stops where the next one begins;
        # an ongoing one stops at today's line, the day being under way.
        right = _x(end if fact["ongoing"] else end + datetime.timedelta(days=1), scale_start, scale_end)
        left = _x(start, scale_start, scale_end) if start else right
        x, width = left, _round(max(right - left, MIN_BAR_WIDTH))
        if fact["uncertain_start"]:
            lead_in_x = _round(max(PLOT_LEFT, left - LEAD_IN))
            lead_in_width = _round(left - lead_in_x)
        if start is None:
            # Only the end is known: a short fade into it, not a bar claiming a length.
            width = 0

    return Row(
        membership=fact["membership"],
        label=fact["label"],
        href=fact["href"],
        post=fact["post"],
        period=fact["period"],
        start=start,
        end=end,
        ongoing=fact["ongoing"],
        uncertain_start=fact["uncertain_start"],
        undated=fact["undated"],
        x=x,
        width=width,
        lead_in_x=lead_in_x,
        lead_in_width=lead_in_width,
        top=top,
        label_lines=label_lines,
        post_lines=post_lines,
        bar_y=bar_y,
        bar_middle=bar_y + BAR_HEIGHT / 2,
        period_lines=period_lines,
    )


def _ticks(scale_start, scale_end):
    first, last = scale_start.year, scale_end.year
    for step in TICK_STEPS:
        years = [year for year in range(first, last + 1) if year % step == 0]
        if len(years) <= MAX_YEAR_LABELS:
            break
    return tuple(Tick(year, _x(datetime.date(year, 1, 1), scale_start, scale_end)) for year in years)
