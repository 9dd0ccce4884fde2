"""The words of ``rehabcore stats`` tables in the command's language: column headings and cell values (#19).

Headings are marked for the gettext catalogs (``N_``) and translated when printed; a column no heading is
listed for (a read model added later) is shown by its name with spaces until it gets one here. A cell that
holds a stored enum value (``work_training``, ``lss_daily_activity``) is shown by its word in
``rehabcore.audit.labels`` when the value names one word; numbers are written as the language writes them.
JSON and CSV keep the stored names and values: they are read by programs.
"""

from __future__ import annotations

import enum
import functools

from rehabcore.errors import N_
from rehabcore.i18n import _, current_language, number

#: Column headings of every table ``stats`` prints, by column name.
COLUMNS = {
    "status": N_("status"),
    "programme": N_("programme"),
    "worker_unit": N_("case worker's unit"),
    "unit": N_("unit"),
    "cases": N_("cases"),
    "kind": N_("kind"),
    "places": N_("places"),
    "occupied": N_("occupied"),
    "free": N_("free"),
    "service": N_("service"),
    "since": N_("since"),
    "case_id": N_("case"),
    "decision_id": N_("decision"),
    "days": N_("days"),
    "period": N_("period"),
    "destination": N_("destination"),
    "detail": N_("detail"),
    "exits": N_("exits"),
    "months": N_("months"),
    "started": N_("started"),
    "exited_to_work_or_studies": N_("to work or studies"),
    "share": N_("share"),
    "law": N_("law"),
    "section": N_("section"),
    "decided_on": N_("decided on"),
    "valid_from": N_("valid from"),
    "state": N_("state"),
    "reached_on": N_("reached on"),
    "due_on": N_("due on"),
    "last_follow_up_on": N_("last follow-up"),
    "days_overdue": N_("days overdue"),
    "ends_on": N_("ends on"),
    "what": N_("what"),
    "ref_id": N_("id"),
    "refocused_on": N_("refocused on"),
    "placement_id": N_("placement"),
    "stage": N_("stage"),
    # #18: Kolada's result at the end, the people ended, their status after the exit
    "year": N_("year"),
    "ended": N_("ended"),
    "to_work": N_("to work"),
    "to_studies": N_("to studies"),
    "work_length_unknown": N_("length of work unknown"),
    "mean_extent_pct": N_("mean extent (%)"),
    "point": N_("after"),
    "activity": N_("doing"),
    "people": N_("people"),
    # #18: an open activity's visits per month
    "month": N_("month"),
    "visits": N_("visits"),
    "days_open": N_("days open"),
    "on_site": N_("on site"),
    "phone": N_("by phone"),
    "walk": N_("walks"),
    "small_group": N_("small groups"),
}

#: Stored values the read models hold as plain text rather than as an enum member.
VALUES = {
    "work": N_("work"),
    "studies": N_("studies"),
    "placement": N_("placement"),
    "decision": N_("decision"),
}


def heading(column: str) -> str:
    """The heading of ``column`` in the current language."""
    marked = COLUMNS.get(column)
    return _(marked) if marked is not None else column.replace("_", " ")


def word(value: object) -> str:
    """A cell's text in the current language: an enum value by its word, a number as the language writes
    it, anything else as it is."""
    if isinstance(value, enum.Enum):
        from rehabcore.audit.labels import MissingLabel, member_label

        try:  # the member's own word: a value two enums share ("moved") may say different things
            return member_label(value, current_language())
        except MissingLabel:
            value = value.value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number(value)
    text = str(value)
    if text in VALUES:
        return _(VALUES[text])
    return _member_words(current_language()).get(text, text)


def decimal(text: str) -> str:
    """A number written with a decimal point, as the current language writes it (a comma in sv and da)."""
    return text.replace(".", ",") if current_language() in ("sv", "da") else text


@functools.cache
def _member_words(lang: str) -> dict[str, str]:
    """Every stored enum value whose members all say the same word in ``lang``, with that word."""
    from rehabcore.audit.labels import MEMBERS, member_label

    found: dict[str, set[str]] = {}
    for members in MEMBERS.values():
        for member in members:
            found.setdefault(str(member.value), set()).add(member_label(member, lang))
    return {value: next(iter(words)) for value, words in found.items() if len(words) == 1}
