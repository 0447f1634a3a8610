"""Generate days of synthetic support transcripts plus their exact ground truth.

Volume: ``per_day`` is the mean daily volume; each weekday scales it (Mondays are
busiest, Saturdays quietest). A conversation starts on its UTC day at a local
hour drawn from an evening-peaked profile in the customer's US timezone, and is
written in that local offset. Same-day and later-day returns of customers whose
problem was not really solved are scheduled as they happen, so recontacts follow
from outcomes rather than being sprinkled at random.

Bot versions: v1 only for the first 30% of the range, then v2's share ramps
linearly to 95% at 80% of the range and stays there.
"""

from __future__ import annotations

import heapq
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import numpy as np

from pipelines.synth.conversation import Customer, Played, Setup, play
from pipelines.synth.dice import Dice, Weighted
from pipelines.synth.incidents import Incident
from pipelines.synth.intents import INTENTS, IntentProfile
from pipelines.synth.pii import PERSONA_FIELDS, Pools, build_pools, draw_persona, persona_from
from pipelines.synth.planted import PLANTED_SHARE, answered_topic
from pipelines.synth.writers import conversation_record, csv_rows, csv_writer, dumps, truth_row

Format = Literal["jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv")

WEEKDAY_FACTOR = (1.12, 1.08, 1.03, 1.00, 0.95, 0.88, 0.94)  # Mon..Sun, mean 1.0
# Share of contacts by local hour: quiet overnight, busy from late morning, peak at 8-9pm.
# fmt: off
_LOCAL_HOUR_WEIGHTS = (
    2.0, 1.2, 0.7, 0.4, 0.3, 0.4, 0.8, 1.6, 2.8, 3.8, 4.5, 4.8,  # 00-11
    5.0, 5.0, 4.9, 4.8, 4.9, 5.2, 5.6, 6.0, 6.2, 5.8, 4.6, 3.2,  # 12-23
)
# fmt: on
LOCAL_HOUR = Weighted(list(enumerate(_LOCAL_HOUR_WEIGHTS)))
# (IANA zone, standard UTC offset in hours): population shares of the US timezones.
_TIMEZONE_SHARES = {
    ("America/New_York", -5): 0.47,
    ("America/Chicago", -6): 0.29,
    ("America/Denver", -7): 0.07,
    ("America/Los_Angeles", -8): 0.17,
}
TIMEZONES = Weighted(_TIMEZONE_SHARES)
_CHANNEL_SHARES = {"ios": 0.38, "android": 0.32, "web": 0.22, "email": 0.08}
CHANNEL_MIX = Weighted(_CHANNEL_SHARES)
_ZONES = tuple(_TIMEZONE_SHARES)
_ZONE_INDEX = {zone: index for index, zone in enumerate(_ZONES)}
_CHANNELS = tuple(_CHANNEL_SHARES)
_CHANNEL_INDEX = {channel: index for index, channel in enumerate(_CHANNELS)}
INTENT_MIX = Weighted([(profile, profile.weight) for profile in INTENTS])
SPANISH_SHARE = 0.12
REPEAT_CUSTOMER = 0.10  # a fresh conversation comes from a known customer (any issue)
HOME_CHANNEL = 0.70
AGENT_IDS = tuple(f"agent-{number:03d}" for number in range(1, 61))
_CHUNK = 1 << 16  # pre-drawn contacts turned into Python ints at a time
_WRITE_BUFFER = 1 << 20  # bytes buffered per output file between writes


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote."""

    start: date
    end: date
    conversations: int
    events: int
    pii_spans: int
    incident_conversations: int
    landing_files: tuple[Path, ...]
    truth_files: tuple[Path, ...]
    seconds: float

    @property
    def conversations_per_second(self) -> float:
        return self.conversations / self.seconds if self.seconds > 0 else float("inf")


@dataclass(frozen=True, slots=True)
class _Return:
    """A customer (index in the population) coming back later about (usually) the same problem."""

    at: int
    customer: int
    intent: IntentProfile
    channel: str


def v2_share(day_index: int, n_days: int) -> float:
    """Share of traffic on bot v2 on a day of the range (see the module docstring)."""
    if n_days <= 1:
        return 0.0
    position = day_index / (n_days - 1)
    return float(np.clip((position - 0.3) / 0.5, 0.0, 1.0)) * 0.95


class _Population:
    """The customers of a run: new ones are created on demand, any may come back.

    Every customer must stay pickable for the whole run, so each is kept as one row
    of small ints (locale, zone, home channel, persona pool indices) in a flat int16
    array rather than as objects: about 30 bytes per customer, and a ``Customer`` is
    rebuilt from its row only when it is played.
    """

    _WIDTH = 3 + PERSONA_FIELDS

    def __init__(self, seed: int, dice: Dice, pools: Pools) -> None:
        self._seed, self._dice, self._pools = seed, dice, pools
        # int16 is ample (pool indices < 1000, years < 2100); a wider value raises OverflowError.
        self._rows = array("h")
        self.size = 0

    def pick(self) -> int:
        """A customer index: a known customer (uniformly) or a newly created one."""
        dice = self._dice
        if self.size and dice.chance(REPEAT_CUSTOMER):
            return dice.index(self.size)
        spanish = dice.chance(SPANISH_SHARE)
        zone = _ZONE_INDEX[TIMEZONES.draw(dice)]
        persona = draw_persona(self._pools, dice, spanish)
        channel = _CHANNEL_INDEX[CHANNEL_MIX.draw(dice)]
        self._rows.extend((int(spanish), zone, channel, *persona))
        self.size += 1
        return self.size - 1

    def customer(self, index: int) -> Customer:
        row = self._rows[index * self._WIDTH : (index + 1) * self._WIDTH]
        spanish = bool(row[0])
        return Customer(
            customer_id=f"cus-{self._seed}-{index:07d}",
            persona=persona_from(self._pools, spanish, row[3:]),
            spanish=spanish,
            timezone=_ZONES[row[1]][0],
            home_channel=_CHANNELS[row[2]],
        )

    def standard_offset(self, index: int) -> int:
        return _ZONES[self._rows[index * self._WIDTH + 1]][1]


def generate(
    start: date,
    end: date,
    per_day: int,
    seed: int,
    landing: Path,
    truth_dir: Path,
    fmt: Format = "jsonl",
    incidents: Sequence[Incident] = (),
    on_day: Callable[[date, int], None] | None = None,
    planted: Sequence[IntentProfile] = (),
    answered: Mapping[str, date] | None = None,
) -> GenerationSummary:
    """Write ``landing/dt=D/synthetic.{jsonl,csv}`` and ``truth_dir/dt=D/truth.jsonl`` for start..end.

    Deterministic: the same arguments give byte-identical files. ``on_day(day, n)``
    is called after each day is written (progress reporting). ``planted`` topics
    (``pipelines.synth.planted``) each take ``PLANTED_SHARE`` of new conversations.
    ``answered`` maps a planted topic's name to the first day the bot can answer it
    (``pipelines.synth.planted.answered_topic``: an article was published), returns
    on the topic included.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    if per_day < 0:
        raise ValueError(f"per_day must be >= 0, got {per_day}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    answered = dict(answered or {})
    if unknown := set(answered) - {topic.name for topic in planted}:
        raise ValueError(f"answered names no planted topic: {', '.join(sorted(unknown))}")
    began = time.perf_counter()
    dice = Dice(np.random.default_rng(seed))
    population = _Population(seed, dice, build_pools(seed))
    n_days = (end - start).days + 1
    scheduled: dict[date, list[_Return]] = defaultdict(list)
    totals = {"conversations": 0, "events": 0, "pii": 0, "incident": 0}
    landing_files: list[Path] = []
    truth_files: list[Path] = []
    for day_index in range(n_days):
        day = start + timedelta(days=day_index)
        todays = tuple(
            answered_topic(topic)
            if topic.name in answered and day >= answered[topic.name]
            else topic
            for topic in planted
        )
        day_run = _DayRun(
            day, day_index, n_days, end, seed, dice, population, incidents, scheduled, todays
        )
        landing_file = landing / f"dt={day.isoformat()}" / f"synthetic.{fmt}"
        truth_file = truth_dir / f"dt={day.isoformat()}" / "truth.jsonl"
        landing_file.parent.mkdir(parents=True, exist_ok=True)
        truth_file.parent.mkdir(parents=True, exist_ok=True)
        target = round(per_day * WEEKDAY_FACTOR[day.weekday()])
        count = day_run.write(target, landing_file, truth_file, fmt, totals)
        landing_files.append(landing_file)
        truth_files.append(truth_file)
        if on_day is not None:
            on_day(day, count)
    return GenerationSummary(
        start=start,
        end=end,
        conversations=totals["conversations"],
        events=totals["events"],
        pii_spans=totals["pii"],
        incident_conversations=totals["incident"],
        landing_files=tuple(landing_files),
        truth_files=tuple(truth_files),
        seconds=time.perf_counter() - began,
    )


class _DayRun:
    """Plays and writes one day's conversations in started_at order."""

    def __init__(
        self,
        day: date,
        day_index: int,
        n_days: int,
        end: date,
        seed: int,
        dice: Dice,
        population: _Population,
        incidents: Sequence[Incident],
        scheduled: dict[date, list[_Return]],
        planted: Sequence[IntentProfile] = (),
    ) -> None:
        self.day, self.end, self.seed, self.dice = day, end, seed, dice
        self.planted = tuple(planted)
        # A return about a planted topic follows the topic's state on its own day.
        self.planted_by_name = {topic.name: topic for topic in self.planted}
        self.population, self.scheduled = population, scheduled
        self.v2_share = v2_share(day_index, n_days)
        self.incidents = [incident for incident in incidents if incident.matches_day(day)]
        self.day_start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())

    def write(
        self, target: int, landing_file: Path, truth_file: Path, fmt: Format, totals: dict[str, int]
    ) -> int:
        dice, population = self.dice, self.population
        visits = self.scheduled.pop(self.day, [])
        starts, customers = self._draw_starts(visits, target)
        # Same-day comebacks as a heap of (start, tiebreak, return); tiebreaks follow every
        # pre-drawn contact's draw order, so ties go to the pre-drawn contact.
        comebacks: list[tuple[int, int, _Return]] = []
        tiebreak = len(starts)
        count = 0
        with (
            landing_file.open(
                "w", encoding="utf-8", newline="", buffering=_WRITE_BUFFER
            ) as landing,
            truth_file.open("w", encoding="utf-8", newline="", buffering=_WRITE_BUFFER) as truth,
        ):
            writer = csv_writer(landing) if fmt == "csv" else None
            for at, index, visit in _in_start_order(starts, customers, visits, comebacks):
                conversation_id = f"syn-{self.seed}-{self.day:%Y%m%d}-{count:06d}"
                setup, incident = self._setup(at, population.customer(index), visit)
                played = play(setup, dice, AGENT_IDS)
                record = conversation_record(conversation_id, setup, played)
                row = truth_row(record, setup, played, incident)
                if writer is None:
                    landing.write(dumps(record) + "\n")
                else:
                    writer.writerows(csv_rows(record))
                truth.write(dumps(row) + "\n")
                count += 1
                totals["events"] += len(played.events)
                totals["pii"] += len(played.spans)
                totals["incident"] += incident
                comeback = self._comeback(index, setup, played, row, incident)
                if comeback is not None and comeback.at < self.day_start + 86_400:
                    heapq.heappush(comebacks, (comeback.at, tiebreak, comeback))
                    tiebreak += 1
                elif comeback is not None:
                    comeback_day = datetime.fromtimestamp(comeback.at, UTC).date()
                    if comeback_day <= self.end:
                        self.scheduled[comeback_day].append(comeback)
        totals["conversations"] += count
        return count

    def _draw_starts(self, visits: list[_Return], target: int) -> tuple[np.ndarray, np.ndarray]:
        """Start times and customers of the day's pre-drawn contacts, in draw order.

        The returns scheduled by earlier days come first (customer -1: the visit carries
        it), then new contacts up to ``target``. Kept as two flat arrays (12 bytes per
        contact) because a day can hold millions.
        """
        dice, population = self.dice, self.population
        starts = array("q", (visit.at for visit in visits))
        customers = array("i", (-1 for _ in visits))
        for _ in range(len(visits), max(target, len(visits))):
            customer = population.pick()
            local_hour = LOCAL_HOUR.draw(dice)
            utc_hour = (local_hour - population.standard_offset(customer)) % 24
            starts.append(self.day_start + utc_hour * 3600 + dice.integer(0, 3599))
            customers.append(customer)
        return np.frombuffer(starts, dtype=np.int64), np.frombuffer(customers, dtype=np.int32)

    def _setup(self, at: int, customer: Customer, visit: _Return | None) -> tuple[Setup, bool]:
        dice = self.dice
        if visit is not None:
            channel = visit.channel
            intent = self.planted_by_name.get(visit.intent.name, visit.intent)
        else:
            channel = customer.home_channel if dice.chance(HOME_CHANNEL) else CHANNEL_MIX.draw(dice)
            intent = self._new_intent()
        bot_version = "v2" if dice.chance(self.v2_share) else "v1"
        severity = max(
            (
                incident.severity
                for incident in self.incidents
                if incident.matches(self.day, channel, intent.name, bot_version, customer.locale)
            ),
            default=0.0,
        )
        setup = Setup(
            customer=customer,
            channel=channel,
            intent=intent,
            bot_version=bot_version,
            started_at=at,
            returning=visit is not None,
            incident_severity=severity,
        )
        return setup, severity > 0

    def _new_intent(self) -> IntentProfile:
        # No extra draw without planted topics: default output stays byte-identical.
        if self.planted and self.dice.chance(PLANTED_SHARE * len(self.planted)):
            return self.dice.pick(self.planted)
        return INTENT_MIX.draw(self.dice)

    def _comeback(
        self, customer: int, setup: Setup, played: Played, row: dict[str, object], incident: bool
    ) -> _Return | None:
        """Maybe schedule this customer's next contact; unsolved problems bring people back."""
        dice = self.dice
        if played.truly_resolved:
            probability = 0.04
        elif row["handed_off"]:
            probability = 0.12
        elif row["bot_answered"]:
            probability = 0.45
        else:
            probability = 0.30
        if incident:
            probability += 0.25 * setup.incident_severity
        if not dice.chance(probability):
            return None
        if dice.chance(0.7):
            hours = max(0.2, dice.exponential(20.0))
        else:
            hours = 24.0 * (1.0 + 9.0 * dice.uniform())
        same_issue = dice.chance(0.85)
        return _Return(
            at=setup.started_at + int(hours * 3600),
            customer=customer,
            intent=setup.intent if same_issue else INTENT_MIX.draw(dice),
            channel=setup.channel if dice.chance(0.55) else CHANNEL_MIX.draw(dice),
        )


def _in_start_order(
    starts: np.ndarray,
    customers: np.ndarray,
    visits: list[_Return],
    comebacks: list[tuple[int, int, _Return]],
) -> Iterator[tuple[int, int, _Return | None]]:
    """(start, customer index, return or None) in (start, draw order) order.

    Merges the pre-drawn contacts (sorted once, read in chunks) with the comebacks the
    caller pushes onto the ``comebacks`` heap while it plays the day; a comeback goes
    first only when it starts strictly earlier (its tiebreak is after every draw order).
    """
    order = np.argsort(starts, kind="stable")  # stable: equal starts keep draw order
    for first in range(0, len(order), _CHUNK):
        chunk = order[first : first + _CHUNK]
        for at, index, customer in zip(
            starts[chunk].tolist(), chunk.tolist(), customers[chunk].tolist(), strict=True
        ):
            while comebacks and comebacks[0][0] < at:
                _, _, comeback = heapq.heappop(comebacks)
                yield comeback.at, comeback.customer, comeback
            if customer < 0:
                visit = visits[index]
                yield at, visit.customer, visit
            else:
                yield at, customer, None
    while comebacks:
        _, _, comeback = heapq.heappop(comebacks)
        yield comeback.at, comeback.customer, comeback
