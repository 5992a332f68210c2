"""The typed document model (Event -> Day -> Session): pure, frozen, format-neutral data that every renderer reads.

Field names equal the YAML keys (``meta`` is read from ``event:``, named in the field's metadata), so a
validation error's location is the path in the source file. Constraints are declared with ``Annotated``
markers (MinLength, MaxLength, Range, Check) that the loader's validator and the JSON Schema both read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

from .text.scripts import ignorable

if TYPE_CHECKING:
    from .words import FollowUpWords

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class Invalid(ValueError):
    """A value refused by a field's Check or by a class's own consistency check; str() is the user's message.
    `offset`, when known, is where in the text the problem starts (the loader turns it into a column)."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


# The constraint markers are NamedTuples: frozen, compared by value, and about ten times cheaper to define at
# import than dataclasses.
class MinLength(NamedTuple):
    """At least `value` characters (text, after stripping) or items (a list)."""

    value: int


class MaxLength(NamedTuple):
    """At most `value` characters (text, after stripping) or items (a list)."""

    value: int


class Range(NamedTuple):
    """A number from `ge` to `le`, both included; None leaves that side open."""

    ge: float | None = None
    le: float | None = None


class Check(NamedTuple):
    """A function run on a value that passed its type and length: returns the value (maybe normalised) or
    raises Invalid with the message for the user."""

    function: Callable[[Any], Any]


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they make text display in another order than it is stored (U+202E
turns "exe.txt" into "txt.exe"), and the documents set each paragraph's direction themselves. The marks
U+200E, U+200F and U+061C, which only nudge neutral characters, stay allowed."""

_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: legacy placeholders that print as nothing, or as a box in a font that lists them."""


_LATIN_CONTROLS_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_LATIN_CONTROLS_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _bad_character(text: str, allow_newlines: bool) -> tuple[str, int] | None:
    """The first problem of a text a document cannot carry, with where it starts; None when all is fine."""
    if text and max(text) < "\u0300":  # Latin text, the common case, answered in a few passes over it:
        # below U+0300 the only characters to refuse are controls, and the only invisible one is U+00AD.
        controls = _LATIN_CONTROLS_BLOCK if allow_newlines else _LATIN_CONTROLS_LINE
        if not controls.search(text) and text.replace("\u00ad", "").strip():
            return None
    for at, ch in enumerate(text):
        if ch == "\n" and allow_newlines:
            continue
        if ch == "\t":
            continue
        category = unicodedata.category(ch)
        code = ord(ch)
        if category == "Cc":
            if ch == "\n":
                return "must be a single line (use a folded '>' block or one line for long text)", at
            return f"contains the control character U+{code:04X}, which documents cannot hold", at
        if category == "Cs":
            return f"contains the lone surrogate U+{code:04X}, which is not a character", at
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            return f"contains the Unicode non-character U+{code:04X}", at
        if ch in _BIDI_CONTROLS:
            return (
                f"contains the bidirectional control U+{code:04X}, which shows text in another order than it is "
                "written; remove it (each paragraph's direction is set from its own letters)"
            ), at
        if ch in _FILLERS:
            return f"contains the Hangul filler U+{code:04X}, which prints as nothing or as a box; remove it", at
    if text and all(ch.isspace() or ignorable(ch) for ch in text):  # draws nothing
        first = ord(text[0])
        return f"has no visible character, only invisible ones such as U+{first:04X}; write the text", 0
    return None


def _check_line(text: str) -> str:
    problem = _bad_character(text, allow_newlines=False)
    if problem:
        raise Invalid(*problem)
    return text.replace("\t", " ")


def _check_block(text: str) -> str:
    problem = _bad_character(text, allow_newlines=True)
    if problem:
        raise Invalid(*problem)
    return text.replace("\t", " ")


def _check_language(tag: str) -> str:
    if not _LANGUAGE_TAG.match(tag):
        raise Invalid("must be a language tag such as 'en', 'fr' or 'pt-BR'")
    return tag


Line = Annotated[str, MinLength(1), Check(_check_line)]
"""One line of text: stripped, non-empty, no control characters or line breaks."""

Block = Annotated[str, MinLength(1), Check(_check_block)]
"""Free text that may span several lines."""


def _check_markup(text: str) -> str:
    from .markup import MarkupError, parse

    try:
        return parse(text)
    except MarkupError as refused:
        raise Invalid(str(refused), refused.offset) from None


Inline = Annotated[str, MinLength(1), Check(_check_line), Check(_check_markup)]
"""One line of text with inline markup (bold, italic, code, links): a markup.Rich, whose str is the plain text."""

InlineBlock = Annotated[str, MinLength(1), Check(_check_block), Check(_check_markup)]
"""Free text over several lines with inline markup (speaker notes): a markup.Rich."""

# The loader's validator keeps text strict (a YAML scalar arrives as text exactly as written, never as a number
# or a bool) and strips surrounding white space from every str field; lists become tuples.


def _check_sdg(code: str) -> str:
    from .sdg import check

    return check(code)


Status = Literal["open", "in progress", "done", "dropped"]
"""Where an action stands; the loader suggests the nearest for anything else ("finished": 'done')."""

STATUSES: tuple[Status, ...] = ("open", "in progress", "done", "dropped")


@dataclass(frozen=True, slots=True)
class Action:
    """One action point a session agreed: what, who, by when, and where it stands."""

    action: Inline
    owner: Line
    due: date | None = None  # written unquoted, YYYY-MM-DD
    status: Status = "open"
    id: Line | None = None  # unique in the source; matches the action across meetings (--since)
    sdg: tuple[Annotated[str, MinLength(1), Check(_check_sdg)], ...] = ()

    def overdue(self, today: date) -> bool:
        """True when the action has a due date before `today` and is neither done nor dropped."""
        return self.due is not None and self.due < today and self.status in ("open", "in progress")


@dataclass(frozen=True, slots=True)
class Session:
    """One breakout session and the key outcomes it produced."""

    code: Line
    title: Line
    outcomes: Annotated[tuple[Inline, ...], MinLength(1)]
    notes: InlineBlock | None = None
    moderator: Line | None = None
    rapporteur: Line | None = None
    actions: tuple[Action, ...] = ()

    @property
    def heading(self) -> str:
        """Code and title as one heading, e.g. "A: Transparency & Traceability"."""
        return f"{self.code}: {self.title}"


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the event and its sessions, in the order given."""

    title: Line
    sessions: Annotated[tuple[Session, ...], MinLength(1)]

    @property
    def outcome_count(self) -> int:
        """Number of key outcomes across all sessions of this day."""
        return sum(len(s.outcomes) for s in self.sessions)


def _check_template(*names: str) -> Callable[[str], str]:
    """A Check for a label with placeholders: each of `names` once, as {name}, and no other braces."""

    def check(text: str) -> str:
        text = _check_line(text)
        rest = text
        for name in names:
            if rest.count("{" + name + "}") != 1:
                wanted = " and ".join("{" + n + "}" for n in names)
                each = " each" if len(names) > 1 else ""
                raise Invalid(f"must contain {wanted} once{each}, e.g. {_TEMPLATE_EXAMPLES[names]!r}")
            rest = rest.replace("{" + name + "}", "")
        if "{" in rest or "}" in rest:
            raise Invalid("may contain no braces other than " + ", ".join("{" + n + "}" for n in names))
        return text

    return check


def _check_count(text: str) -> str:
    """A Check for a count label: forms separated by "|", each a template with {n} once."""
    text = _check_line(text)
    for form in text.split("|"):
        try:
            _check_form(form)
        except Invalid as bad:
            raise Invalid(f"each form (separated by '|') {bad}") from None
    return text


def _arabic(n: int) -> int:
    """Arabic: 0, 1 and 2 have forms of their own; then few (3-10, 103-110, ...), many (11-99, ...), other."""
    if n <= 2:
        return n
    return 3 if 3 <= n % 100 <= 10 else 4 if 11 <= n % 100 <= 99 else 5


def _slavic(n: int, one: bool) -> int:
    """Russian, Ukrainian and Polish: 0 for one, 1 for few (2-4, 22-24, ... but not 12-14), else 2 for many."""
    return 0 if one else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


# The plural forms a language's counts take, as CLDR names them for whole numbers, and which form n takes.
# A count label lists its forms in this order, separated by "|"; other languages count as English does.
_PLURALS: dict[str, tuple[tuple[str, ...], Callable[[int], int]]] = {
    "en": (("one", "other"), lambda n: 0 if n == 1 else 1),
    "fr": (("one", "other"), lambda n: 0 if n in (0, 1) else 1),
    "pt": (("one", "other"), lambda n: 0 if n in (0, 1) else 1),
    "zh": (("other",), lambda n: 0),
    "ja": (("other",), lambda n: 0),
    "ru": (("one", "few", "many"), lambda n: _slavic(n, one=n % 10 == 1 and n % 100 != 11)),
    "uk": (("one", "few", "many"), lambda n: _slavic(n, one=n % 10 == 1 and n % 100 != 11)),
    "pl": (("one", "few", "many"), lambda n: _slavic(n, one=n == 1)),
    "ar": (("zero", "one", "two", "few", "many", "other"), _arabic),
}


def plural_forms(language: str) -> tuple[str, ...]:
    """The plural forms (CLDR names) a count label in `language` lists, in order: ("one", "other") for
    English and for any language reportgen has no rule for."""
    return _PLURALS.get(_primary(language), _PLURALS["en"])[0]


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


_TEMPLATE_EXAMPLES = {
    ("n",): "{n} session|{n} sessions",
    ("page", "pages"): "Page {page} of {pages}",
    ("title",): "{title} (continued)",
    ("title", "page", "pages"): "{title} (continued, {page} of {pages})",
}

_check_form = _check_template("n")  # one form of a count label

PageTemplate = Annotated[str, MinLength(1), Check(_check_template("page", "pages"))]
TitleTemplate = Annotated[str, MinLength(1), Check(_check_template("title"))]
PartTemplate = Annotated[str, MinLength(1), Check(_check_template("title", "page", "pages"))]
CountTemplate = Annotated[str, MinLength(1), Check(_check_count)]


@dataclass(frozen=True, slots=True)
class Labels:
    """A source's own words for what the documents add (`event.labels`); each is optional and replaces the
    event language's own (see LABELS and `EventInfo.words`)."""

    moderator: Line | None = None  # "Moderator: Ana Ruiz"
    rapporteur: Line | None = None
    agenda: Line | None = None  # the deck's agenda slide
    page: PageTemplate | None = None  # the footers: "Page {page} of {pages}"
    continued: TitleTemplate | None = None  # a slide or agenda day carried over: "{title} (continued)"
    continued_of: PartTemplate | None = None  # one of 3+ such slides: "{title} (continued, {page} of {pages})"
    sessions: CountTemplate | None = None  # a day's section slide: "{n} session|{n} sessions"
    outcomes: CountTemplate | None = None  # and its outcomes: "{n} key outcome|{n} key outcomes"


@dataclass(frozen=True, slots=True)
class Words:
    """Every word the documents add to the source's text, resolved for one event (same fields as Labels)."""

    moderator: str
    rapporteur: str
    agenda: str
    page: str
    continued: str
    continued_of: str
    sessions: str
    outcomes: str
    language: str = "en"  # whose plural rule picks a count's form
    colon: str = ": "  # between a role and a name; French puts a no-break space before it, CJK a full-width one

    @property
    def follow_up(self) -> FollowUpWords:
        """The words for actions and key messages in this language (English for one without its own)."""
        from .words import follow_up_words

        return follow_up_words(self.language)

    def role(self, label: str, name: str) -> str:
        """A role and the person in it as the language writes them: "Moderator: Ana", "Modération : Ana"."""
        return f"{label}{self.colon}{name}"

    def count(self, which: str, n: int) -> str:
        """A count in words, in the form the language gives `n`: count("sessions", 1) -> "1 session";
        `which` is "sessions" or "outcomes"."""
        forms = str(getattr(self, which)).split("|")
        categories, rule = _PLURALS.get(_primary(self.language), _PLURALS["en"])
        if len(forms) != len(categories):  # English words standing in for a language that has none built in
            categories, rule = _PLURALS["en"] if len(forms) == 2 else _PLURALS["zh"]
        return forms[min(rule(n), len(forms) - 1)].replace("{n}", str(n))

    def page_of(self, page: int | str, pages: int | str) -> str:
        """The footer's page label, e.g. "Page 2 of 7"."""
        return self.page.replace("{page}", str(page)).replace("{pages}", str(pages))

    def page_parts(self) -> list[str]:
        """The page template split around its placeholders, which stay as "{page}" and "{pages}" items:
        ["Page ", "{page}", " of ", "{pages}"], for formats that put page numbers in as fields."""
        return [part for part in re.split(r"(\{pages?\})", self.page) if part]

    def continued_title(self, title: str, page: int = 2, pages: int = 2) -> str:
        """The title of the `page`-th of `pages` slides a title runs over: "A: Finance" first, then
        "A: Finance (continued)" when there are two, "A: Finance (continued, 3 of 4)" when more."""
        if page == 1:
            return title
        if pages <= 2:
            return self.continued.replace("{title}", title)
        return self.continued_of.replace("{page}", str(page)).replace("{pages}", str(pages)).replace("{title}", title)


LABELS: dict[str, Words] = {
    "en": Words(
        "Moderator",
        "Rapporteur",
        "Agenda",
        "Page {page} of {pages}",
        "{title} (continued)",
        "{title} (continued, {page} of {pages})",
        "{n} session|{n} sessions",
        "{n} key outcome|{n} key outcomes",
        "en",
    ),
    "fr": Words(
        "Modération",
        "Rapporteur",
        "Programme",
        "Page {page} sur {pages}",
        "{title} (suite)",
        "{title} (suite, {page} sur {pages})",
        "{n} session|{n} sessions",
        "{n} résultat clé|{n} résultats clés",
        "fr",
        colon="\u00a0: ",
    ),
    "de": Words(
        "Moderation",
        "Berichterstattung",
        "Programm",
        "Seite {page} von {pages}",
        "{title} (Fortsetzung)",
        "{title} (Fortsetzung, {page} von {pages})",
        "{n} Sitzung|{n} Sitzungen",
        "{n} zentrales Ergebnis|{n} zentrale Ergebnisse",
        "de",
    ),
    "es": Words(
        "Moderación",
        "Relatoría",
        "Agenda",
        "Página {page} de {pages}",
        "{title} (continuación)",
        "{title} (continuación, {page} de {pages})",
        "{n} sesión|{n} sesiones",
        "{n} resultado clave|{n} resultados clave",
        "es",
    ),
    "pt": Words(
        "Moderação",
        "Relatoria",
        "Agenda",
        "Página {page} de {pages}",
        "{title} (continuação)",
        "{title} (continuação, {page} de {pages})",
        "{n} sessão|{n} sessões",
        "{n} resultado-chave|{n} resultados-chave",
        "pt",
    ),
    "it": Words(
        "Moderazione",
        "Relatore",
        "Programma",
        "Pagina {page} di {pages}",
        "{title} (continua)",
        "{title} (continua, {page} di {pages})",
        "{n} sessione|{n} sessioni",
        "{n} risultato chiave|{n} risultati chiave",
        "it",
    ),
    "nl": Words(
        "Moderator",
        "Rapporteur",
        "Programma",
        "Pagina {page} van {pages}",
        "{title} (vervolg)",
        "{title} (vervolg, {page} van {pages})",
        "{n} sessie|{n} sessies",
        "{n} kernresultaat|{n} kernresultaten",
        "nl",
    ),
    "ar": Words(
        "إدارة الجلسة",
        "المقرر",
        "جدول الأعمال",
        "صفحة {page} من {pages}",
        "{title} (تابع)",
        "{title} (تابع، {page} من {pages})",
        "{n} جلسة|{n} جلسة|{n} جلستان|{n} جلسات|{n} جلسة|{n} جلسة",
        "{n} نتيجة رئيسية|{n} نتيجة رئيسية|{n} نتيجتان رئيسيتان|{n} نتائج رئيسية|{n} نتيجة رئيسية|{n} نتيجة رئيسية",
        "ar",
    ),
    "zh": Words(
        "主持人",
        "报告员",
        "议程",
        "第 {page} 页，共 {pages} 页",
        "{title}（续）",
        "{title}（续 {page}/{pages}）",
        "{n} 场会议",
        "{n} 项主要成果",
        "zh",
        colon="：",
    ),
    "ru": Words(
        "Модератор",
        "Докладчик",
        "Программа",
        "Страница {page} из {pages}",
        "{title} (продолжение)",
        "{title} (продолжение, {page} из {pages})",
        "{n} сессия|{n} сессии|{n} сессий",
        "{n} ключевой результат|{n} ключевых результата|{n} ключевых результатов",
        "ru",
    ),
    "pl": Words(
        "Moderator",
        "Sprawozdawca",
        "Program",
        "Strona {page} z {pages}",
        "{title} (cd.)",
        "{title} (cd., {page} z {pages})",
        "{n} sesja|{n} sesje|{n} sesji",
        "{n} kluczowy wynik|{n} kluczowe wyniki|{n} kluczowych wyników",
        "pl",
    ),
    "ja": Words(
        "司会",
        "報告者",
        "議題",
        "{page} / {pages} ページ",
        "{title}（続き）",
        "{title}（続き {page}/{pages}）",
        "{n} セッション",
        "{n} 件の主な成果",
        "ja",
        colon="：",
    ),
}
"""Built-in labels by primary language subtag ("pt-BR" -> "pt"); any other language gets English ones."""


@dataclass(frozen=True, slots=True)
class EventInfo:
    """The title block shared by every output: what the event is, when, where and by whom."""

    title: Line
    subtitle: Line | None = None
    date: Line | None = None
    venue: Line | None = None
    organiser: Line | None = None
    language: Annotated[str, Check(_check_language)] = "en"
    labels: Labels | None = None  # words to use instead of the language's own
    key_messages: Annotated[tuple[Inline, ...], MinLength(1), MaxLength(7)] = ()  # after the title

    @property
    def words(self) -> Words:
        """Every label, in the event's language, with the source's own labels in their place."""
        words = LABELS.get(_primary(self.language), replace(LABELS["en"], language=self.language))
        if self.labels is None:
            return words
        chosen = {name: getattr(self.labels, name) for name in Labels.__dataclass_fields__}
        return replace(words, **{name: value for name, value in chosen.items() if value is not None})

    def __post_init__(self) -> None:
        for name in ("sessions", "outcomes"):
            given = getattr(self.labels, name, None)
            forms = plural_forms(self.language)
            if given is not None and len(given.split("|")) != len(forms):
                raise Invalid(
                    f"labels.{name}: counts in {self.language!r} take {len(forms)} form(s) ({', '.join(forms)}); "
                    f"write them in that order separated by '|', e.g. {getattr(LABELS['en'], name)!r} in English"
                )


def slug(text: str) -> str:
    """Lower-case letters and digits joined by single hyphens: "Day 2 – B" -> "day-2-b"; accents are dropped
    ("É" -> "e") and letters with no ASCII form are kept ("Β" -> "β"); "x" when nothing is left."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode().lower()).strip("-")
    if ascii_only and len(ascii_only.replace("-", "")) * 2 >= len(re.sub(r"\W", "", folded)):
        return ascii_only
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", text).lower()).strip("-") or "x"


@dataclass(frozen=True, slots=True)
class Event:
    """A whole source: the event's title block and its days."""

    meta: EventInfo = field(metadata={"key": "event"})  # the YAML key; the field name is accepted too
    days: Annotated[tuple[Day, ...], MinLength(1)]
    theme: Line | None = None  # a built-in theme's name or a theme folder, relative to the source

    @property
    def title(self) -> str:
        """The event's title."""
        return self.meta.title

    @property
    def sessions(self) -> list[Session]:
        """Every session of every day, in document order."""
        return [s for d in self.days for s in d.sessions]

    @property
    def outcome_count(self) -> int:
        """Number of key outcomes in the whole event."""
        return sum(d.outcome_count for d in self.days)

    @property
    def actions(self) -> list[tuple[Day, Session, Action]]:
        """Every action with its day and session, in document order; [] for a source without actions."""
        return [(d, s, a) for d in self.days for s in d.sessions for a in s.actions]

    def session_ids(self) -> dict[str, tuple[int, int]]:
        """Stable id of every session -> (day index, session index), e.g. {"day-2/b": (1, 1)}, in order.

        Ids come from positions and codes, not titles, so retitling a session keeps its id.
        """
        ids: dict[str, tuple[int, int]] = {}
        for d, day in enumerate(self.days):
            for s, session in enumerate(day.sessions):
                key = f"day-{d + 1}/{slug(session.code)}"
                ids[key if key not in ids else f"{key}-{s + 1}"] = (d, s)  # "A." and "A" slug alike
        return ids

    def resolve(self, ids: tuple[str, ...]) -> list[str]:
        """The session ids that `ids` name, in document order; a day id ("day-2") names all its sessions.

        Raises KeyError naming the first id that matches nothing.
        """
        known = self.session_ids()
        wanted: set[str] = set()
        for raw in ids:
            key = raw.strip().lower().rstrip("/")
            matches = [sid for sid in known if key in (sid, sid.split("/")[0])]
            if not matches:
                raise KeyError(raw)
            wanted.update(matches)
        return [sid for sid in known if sid in wanted]

    def select(self, ids: tuple[str, ...]) -> Event:
        """The event reduced to the sessions named by `ids` (see resolve); days left empty are dropped."""
        known = self.session_ids()
        wanted = {known[sid] for sid in self.resolve(ids)}
        days = tuple(
            replace(day, sessions=tuple(s for i, s in enumerate(day.sessions) if (d, i) in wanted))
            for d, day in enumerate(self.days)
            if any((d, i) in wanted for i in range(len(day.sessions)))
        )
        return replace(self, days=days)
