"""Names compared as people write them: `DFS-based`, `Netflix's` and `Brazilian` are known from `DFS`,
`Netflix` and `Brazil`. A capital that starts a sentence, a list item or a quotation marks a name only when the
word is no common English word ("Marcus and I..." names someone; "Eventually I..." does not)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from coach.method.text import FUNCTION_WORDS

TOKEN = re.compile(r"[^\W\d_][\w’'&.]*(?:[-/][\w’'&.]+)*")
# a capital right after one of these starts a sentence or a quotation; after a dash or a parenthesis it is a
# name unless it is a function word ("- Nobody liked it", "(The report...)")
OPENERS = (":", '"', "“", "”", "'", "‘", "’", "…", "*", "•", "#", ">")
TITLES = {"mr", "mrs", "ms", "dr", "prof", "sir", "jr", "sr", "st"}
ABBREVIATIONS = "".join(rf"(?<!\b{a}\.)" for a in ("Mr", "Ms", "Dr", "St", "Jr", "Sr", "Mrs", "Prof", r"e\.g", r"i\.e", "vs"))
SENTENCE_BREAK = re.compile(rf"{ABBREVIATIONS}(?<=[.!?…])[\"”')\]]*\s+|\n+")
SUFFIXES = ("ization", "isation", "ians", "ian", "ean", "ese", "ish", "ical", "ic", "ism", "ist", "an", "s", "es",
            "ed", "ing", "er", "ers")


ACRONYMS = re.compile(r"[A-Z]{2,}s")
# what follows a person's name: an opening word a dictionary knows ("Tom", "Mark", "Will") is a name before these
PERSON_AFTER = re.compile(r"\s*(?:,\s*(?:our|my|the|a|an|his|her|their)\b|\s+and\s+(?:I|me)\b|['’]s\b|\s+(?:told|said|"
                          r"asked|suggested|agreed|pushed|wanted|proposed|decided|insisted|argued|replied|reminded|"
                          r"approved|nominated|thanked|praised|promoted|joined|called|emailed|messaged)\b)")
GERUND_OR_ADVERB = re.compile(r"[a-z]{3,}(?:ing|ly|ed)$")


@lru_cache(maxsize=1)
def _common_words() -> str:
    """Return the common-word list as one text, one word a line (a substring test is cheaper than a 64,000-word set
    for the few sentence openers a story has)."""
    return "\n" + files("coach.method").joinpath("data/common-words.txt").read_text(encoding="utf-8")


def common_word(word: str) -> bool:
    """Return True when a word (any case) is a common English word, or a gerund, adverb or past form of one."""
    base = _base(word)
    if base in FUNCTION_WORDS or GERUND_OR_ADVERB.match(base):
        return True
    words = _common_words()
    return any(f"\n{form}\n" in words for form in forms(base) if form.isalpha())


def _base(word: str) -> str:
    """Return a word lower-cased without a possessive or a trailing full stop."""
    return re.sub(r"['’]s$", "", word.lower().rstrip(".’'"))


# the past forms people write that no suffix rule turns into their verb: "I led" is what "I lead" said
IRREGULAR = dict(pair.split(":") for pair in (
    "led:lead wrote:write written:write rewrote:rewrite took:take taken:take made:make ran:run built:build "
    "rebuilt:rebuild brought:bring kept:keep met:meet grew:grow grown:grow began:begin begun:begin chose:choose "
    "chosen:choose found:find gave:give given:give got:get gotten:get went:go gone:go held:hold knew:know "
    "known:know left:leave lost:lose paid:pay said:say saw:see seen:see sent:send spent:spend stood:stand "
    "taught:teach thought:think told:tell understood:understand won:win fell:fall fallen:fall felt:feel "
    "drove:drive driven:drive rose:rise risen:rise sold:sell shrank:shrink spoke:speak spoken:speak "
    "caught:catch fought:fight dealt:deal meant:mean overcame:overcome undertook:undertake broke:break "
    "broken:break froze:freeze forgot:forget bought:buy sought:seek struck:strike hid:hide drew:draw drawn:draw "
    "shook:shake flew:fly threw:throw thrown:throw wore:wear woke:wake stuck:stick swung:swing hung:hang "
    "lent:lend bent:bend fed:feed fled:flee heard:hear laid:lay slept:sleep swept:sweep wept:weep"
).split())


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """Return the forms a word is compared by: itself, its stems without derivational suffixes, and the verb of an
    irregular past form ("led" is "lead")."""
    base = _base(word)
    found = {base} | {base[: -len(s)] for s in SUFFIXES if base.endswith(s) and len(base) - len(s) >= 4}
    if base in IRREGULAR:
        found.add(IRREGULAR[base])
    return frozenset(found)


@lru_cache(maxsize=65536)
def _clipped(word: str) -> frozenset[str]:
    """Return a word's forms without a final vowel: Canada -> Canad, the stem of Canadian."""
    return frozenset(form[:-1] for form in forms(word) if len(form) >= 5 and form[-1] in "aeiouy")


class NameIndex:
    """Every word form of the user's material, for telling a name they gave from one they never wrote."""

    def __init__(self, material: str):
        parts = {part for token in set(TOKEN.findall(material)) for part in _parts(token) if part}
        self.known: set[str] = set().union(*map(forms, parts)) if parts else set()
        self.clipped: set[str] = set().union(*map(_clipped, parts)) if parts else set()

    def knows(self, word: str) -> bool:
        """Return True when the material has the word, or a form of it (possessive, plural, adjective)."""
        # Brazilian from Brazil and Canadian from Canada, but never Mario from Maria: a clipped form only
        # meets a stem that lost a suffix, never another clipped form
        if ACRONYMS.fullmatch(word) and word[:-1].lower() in self.known:  # "ETAs", "APIs": the plural of a known one
            return True
        return bool(forms(word) & (self.known | self.clipped) or _clipped(word) & self.known)

    def unsupported(self, text: str) -> list[str]:
        """Return the names in text that the material never has: capitalised words past a sentence's start, and a
        sentence's first word when it is capitalised and no common word."""
        found: list[str] = []
        for sentence in SENTENCE_BREAK.split(text):
            for word, opens, end in _names_in(sentence):
                if word in found or self.knows(word):
                    continue
                if not opens or not common_word(word) or PERSON_AFTER.match(sentence, end):
                    found.append(word)
        return found


def _parts(token: str) -> list[str]:
    """Return the parts of a hyphenated or slashed token ("DFS-based", "CI/CD")."""
    return token.replace("/", "-").split("-")


def _before(sentence: str, start: int) -> str:
    """Return the character before position start, skipping spaces ("" at the start)."""
    index = start - 1
    while index >= 0 and sentence[index].isspace():
        index -= 1
    return sentence[index] if index >= 0 else ""


def _names_in(sentence: str) -> list[tuple[str, bool, int]]:
    """Return the words of one sentence or list item that are written as names, each with whether it opens the
    sentence (where a capital is no sign of a name on its own) and where its token ends."""
    names: list[tuple[str, bool, int]] = []
    for number, match in enumerate(TOKEN.finditer(sentence)):
        before = _before(sentence, match.start())
        opens = number == 0 or before in OPENERS
        for part in _parts(match.group(0)):
            word = _base(part)
            if not part or not part[0].isupper():
                opens = False
                continue
            if len(word) < 2 or word in FUNCTION_WORDS or word in TITLES or re.match(r"i['’]", word):
                opens = False
                continue
            names.append((re.sub(r"['’]s$", "", part.rstrip(".’'")), opens, match.end()))
            opens = False
    return names
