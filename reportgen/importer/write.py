"""Writing: a draft -> YAML text in the hand-written style of ``data/``, with its notes as comments in place.

Step 3 of an import. Every scalar is written so that any YAML loader reads it back as exactly its text
(:func:`yaml_scalar`); the caller loads the result back and compares it with the draft.
"""

from __future__ import annotations

import re

import yaml

from .assemble import Day, Draft, Item, Note, Session, session_fields

_RESOLVER = yaml.resolver.Resolver()
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# Anything that looks like a number, a time or a date ("1.10", "9:30", "0755", "2026-06-24", "1e3") is quoted.
_NUMBERISH = re.compile(r"^[-+.]?\d[\w.:+\-/]*$")


def _needs_escape(ch: str) -> bool:
    """True for characters a YAML reader refuses raw, or treats as a line break or byte-order mark."""
    code = ord(ch)
    printable = code in (0x09,) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    printable = printable or code >= 0x10000
    return not printable or code in (0x2028, 0x2029, 0xFEFF)


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or value[0] in _INDICATORS or value.startswith("..."):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    if _NUMBERISH.match(value) or value.lower() in ("y", "n", "=", "<<"):
        return False
    if any(_needs_escape(ch) for ch in value):
        return False
    return bool(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")


def yaml_scalar(value: str) -> str:
    """Return `value` as a YAML scalar that any YAML loader reads back as exactly this text.

    Plain (unquoted) when that is unambiguous, otherwise double-quoted with backslash escapes, so "NO",
    "9:30", "1.10", "#1", "- x", "[x]", "" and text with quotes or control characters all stay text.
    """
    if _plain_is_safe(value):
        return value
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\t")
        elif _needs_escape(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _comment(text: str, indent: int) -> str:
    """One YAML comment line; characters that would break the line or the reader are shown escaped."""
    safe = "".join(_escape(ch) if _needs_escape(ch) and ch != "\t" else ch for ch in text.replace("\n", " "))
    return f"{' ' * indent}# {safe}".rstrip()


def emit(draft: Draft, name: str) -> str:
    lines = [
        _comment(f"Imported from {name} by 'reportgen import'. Check it before you build:", 0),
        "# the days, session codes, titles and outcomes were read from the layout of the notes.",
    ]
    if draft.problems:
        count = f"{len(draft.problems)} problem{'' if len(draft.problems) == 1 else 's'}"
        lines.append(f"# {count} to look at: see the 'check:' and 'not understood:' comments below.")
    lines += ["", "event:"]
    for key, value in draft.event.items():
        lines.append(f"  {key}: {yaml_scalar(value)}")
    for entry in draft.event_notes:
        lines.extend(_entry_comments(entry, 2))
    lines += ["", "days:"]
    for index, day in enumerate(draft.days):
        if index:
            lines.append("")
        lines.extend(_emit_day(day))
    return "\n".join(lines) + "\n"


def _entry_comments(entry: Note | Item, indent: int) -> list[str]:
    if isinstance(entry, Item):  # a bullet outside any session: kept, but only as a comment
        return [_comment(f"check: outcome outside a session, left out: {entry.raw}", indent)]
    return [_comment(entry.text, indent)]


def _emit_day(day: Day) -> list[str]:
    lines = [_comment(note.text, 2) for note in day.before]
    if day.dropped:
        lines += [_comment(note.text, 2) for note in day.dropped]
        for entry in day.entries:
            lines += _emit_session(entry, 2) if isinstance(entry, Session) else _entry_comments(entry, 2)
        return lines
    lines += [f"  - title: {yaml_scalar(day.title)}", "    sessions:"]
    for entry in day.entries:
        lines += _emit_session(entry, 6) if isinstance(entry, Session) else _entry_comments(entry, 6)
    return lines


def _emit_session(session: Session, indent: int) -> list[str]:
    pad = " " * indent
    lines = [_comment(note.text, indent) for note in session.before]
    if not session.outcomes:  # left out: everything it held stays visible as comments
        for key in ("moderator", "rapporteur"):
            if (value := getattr(session, key)) is not None:
                lines.append(_comment(f"{key}: {value}", indent))
        for entry in session.entries:
            if isinstance(entry, Note):
                lines.append(_comment(entry.text, indent))
        return lines
    first = True
    for key, value in session_fields(session).items():
        if value is None:
            continue
        lines.append(f"{pad}{'- ' if first else '  '}{key}: {yaml_scalar(value)}")
        first = False
    lines.append(f"{pad}  outcomes:")
    for entry in session.entries:
        if isinstance(entry, Note):
            lines.append(_comment(entry.text, indent + 4))
        elif entry.text:
            lines.append(f"{pad}    - {yaml_scalar(entry.text)}")
    return lines
