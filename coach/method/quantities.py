"""Quantities read by meaning: the same fact written another way matches, a different fact does not.

`400ms` = `400 ms`, `9pm` = `9 p.m.` = `21:00`, `$1.2M` = `$1.2 million` = `1.2 million dollars`,
`50%` = `50 percent` = `half`, `two and a half` = `2.5`, `a dozen` = `12`, `1,000` = `a thousand`,
`14 days` = `two weeks`, `400ms` = `0.4 seconds`.
A quantity has up to three readings: the number as said (`values`), a ratio (`ratios`: 50% and half are 0.5)
and a duration's length (`minutes`). Clock times match clock times only, so `11pm` never passes for `9pm`;
a duration matches the same length only, so `2 months` never passes for `2 weeks`, nor `two weeks` for the two of
"a two-page doc".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
CLOCK = (
    r"(?<![\w.:$])(?P<hour>\d{1,2})(?::(?P<minute>[0-5]\d))?\s?(?P<half>[ap])(?P<dot>\.)?\s?m\b(?(dot)\.?)"
    r"|(?<![\w.:$])(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)(?![\d:])"
)
AMOUNT = (
    rf"(?<![\w.])(?P<currency>[$€£]\s?)?(?P<number>{DIGITS})"
    r"(?:(?P<glued>[A-Za-z]+)\b|\s?(?P<percent>%|percent\b|per\s?cent\b|pct\b)"
    r"|\s+(?P<scale>thousand|million|billion|trillion|hundred|k|bn)\b)?"
    r"(?P<and_half>\s+and\s+a\s+half\b)?"
)
DIGIT_QUANTITY = re.compile(f"{CLOCK}|{AMOUNT}", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z]+")

SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "bn": 1e9}
GLUED_SCALES = {"k": {1e3}, "m": {1e6, 1}, "mm": {1e6, 1}, "mn": {1e6}, "bn": {1e9}, "b": {1e9, 1}}
GLUED_RATIOS = {"x"}
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {"third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
MULTIPLIERS = {"twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "quadrupled": 4, "halved": 0.5}
VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
STARTERS = [*UNITS, *TENS, *ORDINALS, *MULTIPLIERS, *VAGUE, "half", "dozen"]
NUMBER_WORD = re.compile(
    r"\b(?:(?:a|an)\s+(?:hundred|thousand|million|billion|trillion|dozen|third|quarter|fifth)|"
    + "|".join(sorted(STARTERS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
MINUTES = {
    "m": 1 / 60_000, "second": 1 / 60, "sec": 1 / 60, "minute": 1, "min": 1, "hour": 60, "hr": 60, "h": 60,
    "day": 1_440, "week": 10_080, "wk": 10_080, "month": 43_800, "year": 525_600, "yr": 525_600, "quarter": 131_400,
}
DURATION_UNIT = re.compile(
    r"[ \t-]*(ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|quarters?)\b",
    re.IGNORECASE,
)
FRACTION_UNIT = re.compile(r"[ \t-]*an? " + DURATION_UNIT.pattern.removeprefix(r"[ \t-]*"), re.IGNORECASE)
ARTICLE_DURATION = re.compile(r"\ban? (second|minute|hour|day|week|month|year|quarter)\b", re.IGNORECASE)
WINDOW = 100  # characters: longer than any number people say in words
# "the two", "these three", "both", "one of", "a couple of" point back at what was said; they state no count
POINTING = re.compile(r"\b(?:the|these|those|all|both)\s+$", re.IGNORECASE)
POINTED = {"two", "three", "four"}


@dataclass(frozen=True)
class Quantity:
    """A quantity as written, with every value it can mean; kind is number, clock (minutes) or magnitude."""

    written: str
    values: frozenset[float] = frozenset()
    kind: str = "number"
    ratios: frozenset[float] = frozenset()  # 50% and half are 0.5; 2x and doubled are 2
    minutes: frozenset[float] = frozenset()  # a duration's length, so that 14 days is two weeks


def _readings(*values: float) -> frozenset[float]:
    return frozenset(round(v, 6) for v in values)


def _ratio(value: float) -> frozenset[float]:
    return frozenset({round(value, 2)})


def _number(value: float) -> Quantity:
    return Quantity("", _readings(value))


def _fraction(value: float) -> Quantity:
    return Quantity("", ratios=_ratio(value))


def quantities(text: str, pointing: bool = False) -> list[Quantity]:
    """With `pointing`, "the three" counts as three: in the material it states what a claim may later say.

Return every quantity in text: digits, clock times, money, percentages, spelled numbers and fractions."""
    found: list[tuple[int, int, Quantity]] = []
    taken: list[tuple[int, int]] = []
    for match in DIGIT_QUANTITY.finditer(text):
        quantity = _digit_quantity(match)
        if quantity is not None:
            found.append((*match.span(), quantity))
            taken.append(match.span())
    found += _word_quantities(text, taken, pointing)
    return [_with_length(quantity, text, end) for _, end, quantity in sorted(found, key=lambda triple: triple[0])]


def _with_length(quantity: Quantity, text: str, end: int) -> Quantity:
    """Give a duration its length in minutes, so that 14 days is two weeks and 30 minutes half an hour."""
    unit = DURATION_UNIT.match(text, end)
    if unit is None and quantity.ratios and not quantity.values:  # "half an hour"; "4 a week" is a rate, no length
        unit = FRACTION_UNIT.match(text, end)
    if quantity.kind != "number" or quantity.minutes or unit is None:
        return quantity
    return replace(quantity, minutes=_length(quantity, unit.group(1)))


def _length(quantity: Quantity, unit: str) -> frozenset[float]:
    factor = MINUTES[unit.lower().rstrip("s") or "m"]
    return _readings(*(v * factor for v in quantity.values | quantity.ratios))


def durations_said_in_words(text: str) -> list[Quantity]:
    """Return the durations said with an article ("an hour", "a week"): lengths the material states."""
    return [Quantity(m.group(0), minutes=_readings(MINUTES[m.group(1).lower().rstrip("s")])) for m in ARTICLE_DURATION.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Return True when position falls in one of the sorted, disjoint spans (a bisect keeps this linear)."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _digit_quantity(match: re.Match) -> Quantity | None:
    written = match.group(0).strip()
    if match.group("hour") is not None:
        hour = int(match.group("hour"))
        if not 1 <= hour <= 12:
            return None
        minutes = (hour % 12 + (12 if match.group("half").lower() == "p" else 0)) * 60 + int(match.group("minute") or 0)
        return Quantity(written, _readings(minutes), "clock")
    if match.group("hour24") is not None:
        return Quantity(written, _readings(int(match.group("hour24")) * 60 + int(match.group("minute24"))), "clock")
    value = float(match.group("number").replace(",", "")) + (0.5 if match.group("and_half") else 0)
    if match.group("percent"):
        return Quantity(written, _readings(value), ratios=_ratio(value / 100))
    scale = (match.group("scale") or "").lower()
    if scale:
        return Quantity(written, _readings(value * SCALES[scale]))
    glued = (match.group("glued") or "").lower()
    if glued in GLUED_RATIOS:
        return Quantity(written, _readings(value), ratios=_ratio(value))
    if glued in GLUED_SCALES and (match.group("currency") or glued not in MINUTES):
        # after a currency sign "M" is millions; "10m" alone may be minutes, so it is read both ways below
        scales = {max(GLUED_SCALES[glued])} if match.group("currency") else GLUED_SCALES[glued]
        return Quantity(written, _readings(*(value * s for s in scales)))
    quantity = Quantity(written, _readings(value))
    if glued.rstrip("s") in MINUTES or glued in MINUTES:  # 400ms, 30min, 2h, 10m
        minutes = _length(quantity, glued if glued in MINUTES else glued.rstrip("s"))
        values = quantity.values | (_readings(value * 1e6) if glued == "m" else frozenset())
        return Quantity(written, values, minutes=minutes)
    return quantity


def _word_quantities(text: str, taken: list[tuple[int, int]], pointing: bool = False) -> list[tuple[int, int, Quantity]]:
    """Return the spelled quantities of text, parsing a few words from each number word only (linear)."""
    found: list[tuple[int, int, Quantity]] = []
    consumed = 0
    for candidate in NUMBER_WORD.finditer(text):
        if candidate.start() < consumed or _inside(candidate.start(), taken):
            continue
        if (not pointing and candidate.group(0).lower() in POINTED
                and POINTING.search(text, max(0, candidate.start() - 8), candidate.start())):
            continue
        tokens = list(WORD.finditer(text, candidate.start(), min(len(text), candidate.start() + WINDOW)))
        words = [t.group(0).lower() for t in tokens]
        joined = [i + 1 < len(tokens) and _adjacent(text, tokens[i], tokens[i + 1]) for i in range(len(tokens))]
        first = 0
        parsed = _word_quantity(words, joined, 0)
        if parsed is None and words[0] in ("a", "an"):  # "a third team": the ordinal, not a fraction
            first, parsed = 1, _word_quantity(words, joined, 1)
        if parsed is None:
            continue
        end, quantity = parsed
        written = text[tokens[first].start() : tokens[end - 1].end()]
        found.append((tokens[first].start(), tokens[end - 1].end(), replace(quantity, written=written)))
        consumed = tokens[end - 1].end()
    return found


def _adjacent(text: str, left: re.Match, right: re.Match) -> bool:
    """Return True when only spaces or a hyphen separate two words (so they can form one number)."""
    gap = text[left.end() : right.start()]
    return len(gap) <= 3 and gap.strip(" -") == ""


def _word_quantity(words: list[str], joined: list[bool], i: int) -> tuple[int, Quantity] | None:
    """Parse the quantity that starts at word i, if any: (end index, the quantity without its text)."""
    word = words[i]
    following = words[i + 1] if joined[i] else ""
    after = words[i + 2] if joined[i] and i + 2 < len(words) and joined[i + 1] else ""
    if word in MULTIPLIERS:
        return i + 1, Quantity("", ratios=_ratio(MULTIPLIERS[word]))
    if word in VAGUE:
        return i + 1, Quantity("", _readings(VAGUE[word]), "magnitude")
    if word == "half":
        return i + 1, _fraction(0.5)
    if word in ("a", "an") and following in SCALES.keys() | {"dozen"}:
        return _cardinal(words, joined, i + 1, start_value=1)
    if word in ("a", "an", "one") and following in DENOMINATORS and following != "half" and after == "of":
        return i + 2, _fraction(1 / DENOMINATORS[following])
    if word in UNITS or word in TENS or word == "dozen":
        return _cardinal(words, joined, i)
    if word in ORDINALS:
        return i + 1, _number(ORDINALS[word])
    return None


def _cardinal(words: list[str], joined: list[bool], i: int, start_value: int = 0) -> tuple[int, Quantity] | None:
    total, current, j, start = 0.0, float(start_value), i, i
    while j < len(words):
        word = words[j]
        if word in UNITS or word in TENS:
            current += UNITS.get(word, 0) + TENS.get(word, 0)
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word in SCALES and word not in ("k", "bn"):
            total, current = total + max(current, 1) * SCALES[word], 0
        elif word == "and" and j > start and j + 1 < len(words) and (words[j + 1] in UNITS or words[j + 1] in TENS):
            pass
        else:
            break
        if not joined[j]:
            j += 1
            break
        j += 1
    value = total + current
    if words[j : j + 3] == ["and", "a", "half"] and all(joined[j - 1 : j + 2]):
        return j + 3, _number(value + 0.5)
    if j < len(words) and words[j] == "percent" and joined[j - 1]:
        return j + 1, Quantity("", _readings(value), ratios=_ratio(value / 100))
    if j < len(words) and joined[j - 1] and words[j] in DENOMINATORS and value <= 10:
        plural = words[j].endswith("s") and words[j] != "quarters"
        if plural or (j + 1 < len(words) and words[j + 1] == "of"):
            return j + 1, _fraction(value / DENOMINATORS[words[j]])
    if words[start:j] == ["one"]:
        return None  # "one" alone is too common to be a claim ("one quarter", "one of them")
    return j, _number(value)


def _magnitude_range(value: float) -> tuple[float, float]:
    return (value * 2, value * 1000) if value != 12 else (24, 144)


class QuantityIndex:
    """The quantities of the user's material, indexed once for look-ups."""

    def __init__(self, material: str):
        self.values: set[float] = set()  # every number as said
        self.counts: set[float] = set()  # the numbers that are no duration
        self.ratios: set[float] = set()
        self.minutes: set[float] = set()
        self.clocks: set[float] = set()
        self.magnitudes: set[float] = set()
        for quantity in [*quantities(material, pointing=True), *durations_said_in_words(material)]:
            if quantity.kind == "clock":
                self.clocks |= quantity.values
                for minutes in quantity.values:  # "at 9" is supported by "9pm"
                    hour = minutes // 60
                    self.values |= _readings(hour, hour % 12 or 12)
            elif quantity.kind == "magnitude":
                self.magnitudes |= quantity.values
            else:
                self.values |= quantity.values
                self.counts |= quantity.values if not quantity.minutes else frozenset()
                self.ratios |= quantity.ratios
                self.minutes |= quantity.minutes

    def supports(self, quantity: Quantity) -> bool:
        """Return True when the material states this quantity, however it was written."""
        if quantity.kind == "clock":
            return bool(quantity.values & self.clocks)
        if quantity.kind == "magnitude":
            low, high = _magnitude_range(min(quantity.values))
            return bool(quantity.values & self.magnitudes) or any(low <= v < high for v in self.values)
        if quantity.minutes:  # "2 weeks" needs that length ("14 days"); "10m" may also be ten million
            return bool(quantity.minutes & self.minutes or len(quantity.values) > 1 and quantity.values & self.counts)
        return bool(quantity.ratios & self.ratios or quantity.values & self.values)

    def unsupported(self, text: str) -> list[str]:
        """Return the quantities of text (as written) that the material never states."""
        missing: list[str] = []
        for quantity in quantities(text):
            if not self.supports(quantity) and quantity.written not in missing:
                missing.append(quantity.written)
        return missing
