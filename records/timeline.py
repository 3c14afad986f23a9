"""A timeline of memberships and posts, drawn as SVG by templates/records/_timeline.html.

One lane per office or body, its holders in succession along it: an office
held by fifty people over seventy years is one lane, a few bars high, not
fifty rows. Holders overlap only where their periods do, on a track of
their own within the lane. Everything the drawing needs -- bar positions in
SVG user units, where each label fits, each period read aloud -- is worked
out here, from rows the view has already fetched, so the template stays a
plain loop, the page needs no JavaScript, and the arithmetic can be tested
without rendering anything. The page lists every membership as text beside
it; a label that finds no room on the drawing is in its tooltip and its
description.
"""

import dataclasses
import datetime
import hashlib
import textwrap

from records.models.base import DateBound, bounded_label
from records.models.memberships import Membership
from records.partial_dates import tolerant
from records.visibility import public_url

# A narrow drawing, so that scaled down to a 360 px phone its text stays readable;
# on wide screens the stylesheet caps its width.
WIDTH = 420
MARGIN = 20
PLOT_LEFT = MARGIN
PLOT_RIGHT = WIDTH - MARGIN
AXIS_HEIGHT = 24
BAR_HEIGHT = 14
TRACK_HEIGHT = 20
LANE_GAP = 12
BOTTOM_HEIGHT = 22
# The faded lead-in before a start known only as "on or before", the fade-out after an end not known.
LEAD_IN = 24
LEAD_OUT = 24
# A one-day membership on a forty-year scale would otherwise vanish.
MIN_BAR_WIDTH = 3
MAX_YEAR_LABELS = 8
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
DASH = " – "
SHADES = ("#1f5c99", "#4a86c5")


@dataclasses.dataclass(frozen=True)
class TextSize:
    """Font size and line height in user units; the template sets the same sizes."""

    size: int
    line_height: int
    # SVG text never wraps: lines are broken, and widths estimated, from the
    # average character width (as a share of the size) of a sans-serif font.
    character_width: float

    def width(self, text):
        return len(text) * self.size * self.character_width

    def wrap(self, text, max_lines):
        per_line = int((PLOT_RIGHT - PLOT_LEFT) / (self.size * self.character_width))
        return textwrap.wrap(text, per_line, max_lines=max_lines, placeholder=" …") or [text]


@dataclasses.dataclass(frozen=True)
class TextSizes:
    lane: TextSize = TextSize(15, 19, 0.58)
    bar: TextSize = TextSize(11, 14, 0.55)
    note: TextSize = TextSize(12, 15, 0.55)
    tick: TextSize = TextSize(13, 16, 0.55)


TEXT = TextSizes()


@dataclasses.dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclasses.dataclass(frozen=True)
class Segment:
    """One membership on its lane: a bar, perhaps faded at its ends, and its label where it fits."""

    membership: object
    lane: str
    label: str
    href: str
    period: str
    # The days the bar covers: a partial date spans its whole period, so a
    # start of "2025" is 1 January 2025 and an end of "2025" is 31 December.
    # An ongoing membership ends today; one ended at a date not known, with
    # its start. None where the sources say nothing.
    start: datetime.date | None
    end: datetime.date | None
    ongoing: bool
    ended_unknown: bool
    # Unknown, or "on or before": it may have begun earlier than drawn.
    uncertain_start: bool
    x: float = 0
    width: float = 0
    lead_in_x: float = 0
    lead_in_width: float = 0
    lead_out_width: float = 0
    bar_y: float = 0
    shade: str = SHADES[0]
    # Where the label is drawn: inside the bar, beside it, or not at all (None).
    label_x: float | None = None
    label_anchor: str = "start"
    label_inside: bool = False

    @property
    def text(self):
        """The segment as one sentence, for screen readers and tooltips."""
        return f"{self.lane}: {self.label}, {self.period}" if self.label else f"{self.lane}: {self.period}"

    @property
    def bar_middle(self):
        return self.bar_y + BAR_HEIGHT / 2

    @property
    def label_y(self):
        return _round(self.bar_middle + TEXT.bar.size * 0.35)

    @property
    def lead_out_x(self):
        return _round(self.x + self.width)

    @property
    def left(self):
        return self.lead_in_x if self.lead_in_width else self.x

    @property
    def right(self):
        return self.x + self.width + (8 if self.ongoing else self.lead_out_width)

    @property
    def arrow_points(self):
        """A small arrowhead after an ongoing bar, so "still lasts" does not rest on colour or the today line alone."""
        base, tip = _round(self.x + self.width + 1), _round(self.x + self.width + 7)
        return f"{base},{self.bar_y} {tip},{self.bar_middle} {base},{self.bar_y + BAR_HEIGHT}"


@dataclasses.dataclass(frozen=True)
class Lane:
    title: str
    href: str
    title_lines: tuple[Line, ...]
    segments: tuple[Segment, ...]
    # Memberships of the lane with no date at all: named in a line, not drawn.
    undated: tuple[Segment, ...]
    undated_lines: tuple[Line, ...]
    tracks: int
    top: float
    bottom: float


@dataclasses.dataclass(frozen=True)
class Tick:
    year: int
    x: float


@dataclasses.dataclass(frozen=True)
class Timeline:
    title: str
    dom_id: str
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    # The scale's ends, whole years: 1 January of the first, 1 January after the last.
    scale_start: datetime.date
    scale_end: datetime.date
    today: datetime.date
    # Only drawn when a membership is ongoing, the one case where today matters.
    today_x: float | None
    today_anchor: str
    height: float
    plot_bottom: float
    width: int = WIDTH
    plot_left: float = PLOT_LEFT
    plot_right: float = PLOT_RIGHT
    plot_top: float = AXIS_HEIGHT
    tick_label_y: float = AXIS_HEIGHT - 8
    bar_height: int = BAR_HEIGHT
    text_size: TextSizes = TEXT

    @property
    def segments(self):
        return [segment for lane in self.lanes for segment in (*lane.segments, *lane.undated)]

    @property
    def view_box(self):
        return f"0 0 {self.width} {_round(self.height)}"

    @property
    def today_label_y(self):
        return _round(self.height - 6)

    @property
    def title_id(self):
        return f"{self.dom_id}-title"

    @property
    def desc_id(self):
        return f"{self.dom_id}-desc"

    @property
    def fade_in_id(self):
        return f"{self.dom_id}-fade-in"

    @property
    def fade_out_id(self):
        return f"{self.dom_id}-fade-out"

    @property
    def first_year(self):
        return self.scale_start.year

    @property
    def last_year(self):
        return self.scale_end.year - 1

    @property
    def description(self):
        return " ".join(f"{segment.text}." for segment in self.segments)

    @property
    def any_uncertain_start(self):
        return any(segment.uncertain_start for lane in self.lanes for segment in lane.segments)

    @property
    def any_ongoing(self):
        return any(segment.ongoing for segment in self.segments)

    @property
    def any_ended_unknown(self):
        return any(segment.ended_unknown for lane in self.lanes for segment in lane.segments)

    def x_of(self, day):
        """Where a day begins on the scale, in user units."""
        return _x(day, self.scale_start, self.scale_end)


# How memberships make lanes: (lane title, lane link, segment label, segment link).


def by_post(membership):
    """A person's page: a lane per body, each post held there a segment."""
    organization = membership.organization
    return str(organization), public_url(organization) or "", _post(membership), ""


def by_role(membership):
    """An organization's members: a lane per office or kind of membership, its holders in succession."""
    member = membership.member
    return _post(membership), "", str(member), public_url(member) or ""


def by_holder(membership):
    """A post's page: one lane, the post's holders in succession."""
    member = membership.member
    return _capfirst(membership.post.label), "", str(member), public_url(member) or ""


def by_body(membership):
    """An organization's own memberships: a lane per body it belongs to, each of its standings a segment."""
    organization = membership.organization
    return str(organization), public_url(organization) or "", _post(membership), ""


def _post(membership):
    return _capfirst(membership.role or membership.get_kind_display())


def build(memberships, *, today, lane_of, title="Posts and memberships over time", dom_id=None):
    """The timeline of these memberships, or None when none has a date to place.

    Runs no query: fetch the memberships with the records lane_of reads
    (select_related) before calling.
    """
    grouped = {}
    for membership in memberships:
        lane_title, lane_href, label, label_href = lane_of(membership)
        grouped.setdefault((lane_title, lane_href), []).append(
            _segment(membership, lane_title, label, label_href, today)
        )
    dated = [segment for segments in grouped.values() for segment in segments if segment.start or segment.end]
    if not dated:
        # Nothing dated: an axis would be empty, and the list beside says "dates not recorded".
        return None
    scale_start, scale_end = _scale(dated)

    lanes, top = [], AXIS_HEIGHT + 6
    for (lane_title, lane_href), segments in sorted(grouped.items(), key=lambda item: _lane_order(*item)):
        lane = _lane(lane_title, lane_href, segments, top, scale_start, scale_end)
        lanes.append(lane)
        top = lane.bottom + LANE_GAP
    plot_bottom = top - LANE_GAP // 2

    any_ongoing = any(segment.ongoing for segment in dated)
    today_x = _x(today, scale_start, scale_end) if any_ongoing else None
    # The word "today" reads leftwards from its line unless that line is near the left edge.
    today_anchor = "end" if today_x is None or today_x - PLOT_LEFT > 48 else "start"
    if dom_id is None:
        # Two timelines on one page need distinct ids for aria-labelledby and the
        # gradients; the content tells them apart and keeps the HTML stable.
        content = "\n".join(f"{segment.text}\t{segment.href}" for lane in lanes for segment in lane.segments)
        dom_id = "timeline-" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:10]
    return Timeline(
        title=title,
        dom_id=dom_id,
        lanes=tuple(lanes),
        ticks=_ticks(scale_start, scale_end),
        scale_start=scale_start,
        scale_end=scale_end,
        today=today,
        today_x=today_x,
        today_anchor=today_anchor,
        height=plot_bottom + (BOTTOM_HEIGHT if today_x is not None else 4),
        plot_bottom=plot_bottom,
    )


def _partial_date(value):
    # The database refuses malformed dates; should one slip in anyway, a
    # public page shows it as unknown rather than failing altogether.
    return tolerant(value)


def _phrase(date, bound):
    return bounded_label(date.label(), bound)


def _period(start, start_bound, end, end_bound, ended_unknown):
    if start is None and end is None:
        return "ended (dates unknown)" if ended_unknown else "dates unknown"
    start_text = _phrase(start, start_bound) if start else "start unknown"
    end_text = _phrase(end, end_bound) if end else Membership.ENDED_UNKNOWN if ended_unknown else Membership.ONGOING
    if start_text == end_text:
        return start_text  # "2025", not "2025 – 2025"
    return f"{start_text}{DASH}{end_text}"


def _capfirst(text):
    return text[:1].upper() + text[1:]


def _segment(membership, lane_title, label, href, today):
    start = _partial_date(membership.start_date)
    end = _partial_date(membership.end_date)
    ended_unknown = end is None and membership.ended_date_unknown
    # No end and not known to have ended: it still lasts, once something is known of it.
    ongoing = end is None and start is not None and not ended_unknown
    if end is not None:
        last = end.last_day()
    elif ongoing:
        last = today
    else:
        last = start.last_day() if start else None  # ended at a date not known: as far as is known
    return Segment(
        membership=membership,
        lane=lane_title,
        label=label,
        href=href,
        period=_period(start, membership.start_date_bound, end, membership.end_date_bound, ended_unknown),
        start=start.first_day() if start else None,
        end=last,
        ongoing=ongoing,
        ended_unknown=ended_unknown,
        uncertain_start=start is None or membership.start_date_bound == DateBound.ON_OR_BEFORE,
    )


def _lane_order(key, segments):
    starts = [segment.start or segment.end for segment in segments if segment.start or segment.end]
    return (not starts, min(starts) if starts else datetime.date.max, key[0].casefold())


def _lane(title, href, segments, top, scale_start, scale_end):
    title_lines = _lines(TEXT.lane.wrap(title, 2), TEXT.lane, top + TEXT.lane.size)
    tracks_top = title_lines[-1].y + 6
    placed, last_on_track = [], []
    dated = sorted((s for s in segments if s.start or s.end), key=lambda s: (s.start or s.end, s.label.casefold()))
    for segment in dated:
        segment = _place(segment, scale_start, scale_end)
        # The first track free by the time this bar may begin; a new one when none is. A holder
        # whose start (as precisely as it is known) allows the last one's end succeeds them there.
        latest_start = _latest_start(segment, scale_start, scale_end)
        track = next(
            (
                index
                for index, last in enumerate(last_on_track)
                if _handover(placed[last][0], scale_start, scale_end) <= latest_start + 0.01
            ),
            len(last_on_track),
        )
        if track == len(last_on_track):
            last_on_track.append(None)
        else:
            previous = placed[last_on_track[track]][0]
            previous, segment = _meet(previous, segment)
            placed[last_on_track[track]] = (previous, track)
        neighbours = sum(1 for other in placed if other[1] == track)
        segment = dataclasses.replace(
            segment, bar_y=_round(tracks_top + track * TRACK_HEIGHT), shade=SHADES[neighbours % len(SHADES)]
        )
        last_on_track[track] = len(placed)
        placed.append((segment, track))
    placed = [_labelled(segment, track, placed) for segment, track in placed]
    bottom = tracks_top + len(last_on_track) * TRACK_HEIGHT
    undated = tuple(s for s in segments if not (s.start or s.end))
    undated_lines = ()
    if undated:
        names = ", ".join(segment.label or segment.period for segment in undated)
        undated_lines = _lines(TEXT.note.wrap(f"Dates unknown: {names}", 2), TEXT.note, bottom + TEXT.note.size)
        bottom = undated_lines[-1].y + 4
    return Lane(title, href, title_lines, tuple(placed), undated, undated_lines, len(last_on_track), top, bottom)


def _handover(segment, scale_start, scale_end):
    """Where a successor may begin on the same track: the first day of a dated end's period, else the bar's end."""
    end = _partial_date(segment.membership.end_date)
    if end is not None:
        return _x(end.first_day(), scale_start, scale_end)
    return segment.right


def _latest_start(segment, scale_start, scale_end):
    """The latest day the segment may have begun, in user units: a start of "1992" may be 31 December 1992."""
    start = _partial_date(segment.membership.start_date)
    if start is None:
        return segment.x
    return _x(start.last_day(), scale_start, scale_end)


def _meet(previous, successor):
    """Two holders in succession whose dates overlap only by their precision: the bars meet at one point.

    The more precise of the two dates decides it ("ended 29 May 1992" against
    "began 1992"); of two equally coarse ones the overlap is split halfway.
    """
    previous_right = previous.x + previous.width
    if previous_right <= successor.x:
        return previous, successor
    end = _partial_date(previous.membership.end_date)
    start = _partial_date(successor.membership.start_date)
    end_precision = len(end) if end else 0  # 4, 7 or 10 characters: year, month, day
    start_precision = len(start) if start else 0
    if end_precision > start_precision:
        meeting = previous_right
    elif start_precision > end_precision:
        meeting = successor.x
    else:
        meeting = (previous_right + successor.x) / 2
    successor_right = successor.x + successor.width
    meeting = _round(min(max(meeting, previous.x + MIN_BAR_WIDTH), successor_right - MIN_BAR_WIDTH))
    previous = dataclasses.replace(previous, width=_round(meeting - previous.x))
    # The predecessor bounds the start now: no faded lead-in running back over its bar.
    successor = dataclasses.replace(
        successor, x=meeting, width=_round(successor_right - meeting), lead_in_x=0, lead_in_width=0
    )
    return previous, successor


def _place(segment, scale_start, scale_end):
    """The segment's bar and fades, in user units."""
    start, end = segment.start, segment.end
    # The bar covers the whole last day, so it stops where the next one begins;
    # an ongoing one stops at today's line, the day being under way.
    right = _x(end if segment.ongoing else end + datetime.timedelta(days=1), scale_start, scale_end)
    left = _x(start, scale_start, scale_end) if start else right
    x, width = left, _round(max(right - left, MIN_BAR_WIDTH))
    lead_in_x = lead_in_width = lead_out_width = 0
    if segment.uncertain_start:
        lead_in_x = _round(max(PLOT_LEFT, left - LEAD_IN))
        lead_in_width = _round(left - lead_in_x)
    if start is None:
        width = 0  # only the end is known: a short fade into it, not a bar claiming a length
    if segment.ended_unknown:
        lead_out_width = _round(max(0, min(LEAD_OUT, PLOT_RIGHT - (x + width))))
    return dataclasses.replace(
        segment, x=x, width=width, lead_in_x=lead_in_x, lead_in_width=lead_in_width, lead_out_width=lead_out_width
    )


def _labelled(segment, track, placed):
    """Where the label goes: inside its bar if it fits, else beside it where its track leaves room, else nowhere."""
    if not segment.label:
        return segment
    needed = TEXT.bar.width(segment.label)
    if needed + 6 <= segment.width:
        return dataclasses.replace(segment, label_x=_round(segment.x + 3), label_inside=True)
    same_track = [other for other, other_track in placed if other_track == track and other is not segment]
    room_right = min([other.left for other in same_track if other.left > segment.left] + [PLOT_RIGHT])
    if segment.right + 4 + needed <= room_right:
        return dataclasses.replace(segment, label_x=_round(segment.right + 4))
    room_left = max([other.right for other in same_track if other.left < segment.left] + [PLOT_LEFT])
    if segment.left - 4 - needed >= room_left:
        return dataclasses.replace(segment, label_x=_round(segment.left - 4), label_anchor="end")
    return segment


def _scale(segments):
    days = [day for segment in segments for day in (segment.start, segment.end) if day is not None]
    first_year, last_year = min(days).year, max(days).year
    # A faded lead-in beginning early in the first year would have no room to
    # fade in; a year more on the left gives it some.
    if any(segment.uncertain_start and (segment.start or segment.end).year == first_year for segment in segments):
        first_year -= 1
    # Likewise a fade-out after an end not known, on the right.
    if any(segment.ended_unknown and segment.end.year == last_year for segment in segments):
        last_year += 1
    return datetime.date(first_year, 1, 1), datetime.date(last_year + 1, 1, 1)


def _x(day, scale_start, scale_end):
    share = (day - scale_start).days / (scale_end - scale_start).days
    return _round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT))


def _round(value):
    return round(value, 2)


def _lines(texts, size, first_baseline):
    return tuple(Line(text, first_baseline + index * size.line_height) for index, text in enumerate(texts))


def _ticks(scale_start, scale_end):
    first, last = scale_start.year, scale_end.year
    for step in TICK_STEPS:
        years = [year for year in range(first, last + 1) if year % step == 0]
        if len(years) <= MAX_YEAR_LABELS:
            break
    return tuple(Tick(year, _x(datetime.date(year, 1, 1), scale_start, scale_end)) for year in years)
