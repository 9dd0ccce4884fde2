"""Rule violations, warnings and verify findings in the user's language, from the gettext catalogs.

A :class:`~rehabcore.errors.RuleViolation`, a :class:`~rehabcore.domain.rules.RuleWarning` and a verify
:class:`~rehabcore.audit.classify.Finding` keep their English template (the message id in
``rehabcore/locale``) and the typed values it names. :func:`render` looks the template up in the catalog of
the language asked for (with its plural form, by ``values["n"]``) and puts the values in as that language
writes them: an enum member by its word in ``rehabcore.audit.labels``, a marked word by its translation, a
moment in the jurisdiction's zone with the zone named, a number grouped. ``rule_id``, ``code`` and the values
themselves stay on the object for code to read.

A local rule's message is the municipality's own text and is shown as it was written.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Mapping
from typing import Protocol

from rehabcore.i18n import current_language, number, translations, using

__all__ = ["Said", "moment", "render"]


class Said(Protocol):
    """What :func:`render` reads: the template, its plural and its values (``None`` template: as written)."""

    @property
    def template(self) -> str | None: ...
    @property
    def plural(self) -> str | None: ...
    @property
    def values(self) -> Mapping[str, object]: ...


def render(said: Said, lang: str | None = None, *, zone: str | zoneinfo.ZoneInfo | None = None) -> str:
    """``said`` (a rule violation, a warning or a finding) in ``lang`` (default: the current language).

    Moments are shown in ``zone`` (a name such as ``"Europe/Stockholm"``), UTC when none is given.
    """
    lang = lang or current_language()
    with using(lang):
        return _render(said, lang, _zone(zone))


def _render(said: Said, lang: str, zone: zoneinfo.ZoneInfo) -> str:
    template = said.template
    if template is None:  # a local rule's own words, or an English-only finding
        return str(getattr(said, "message", None) or getattr(said, "detail", None) or said)
    values = said.values
    catalog = translations(lang)
    if said.plural is not None:
        text = catalog.ngettext(template, said.plural, int(values.get("n", 0)))  # type: ignore[call-overload]
    else:
        text = catalog.gettext(template)
    if not values:  # a message given whole (an app's own violation): braces in it are text, not fields
        return text
    return text.format(**{name: _value(value, lang, zone) for name, value in values.items()})


def _value(value: object, lang: str, zone: zoneinfo.ZoneInfo) -> str:
    from rehabcore.audit.labels import MissingLabel, member_label

    if isinstance(value, Exception) and hasattr(value, "template"):
        return _render(value, lang, zone)  # type: ignore[arg-type]  # a rule inside a rule (corrections)
    if isinstance(value, enum.Enum):
        try:
            return member_label(value, lang)
        except MissingLabel:
            return str(value.value)
    if isinstance(value, dt.datetime):
        return moment(value, zone)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, str):
        return translations(lang).gettext(value) if value else value  # a word marked with N_
    return str(value)


def _zone(zone: str | zoneinfo.ZoneInfo | None) -> zoneinfo.ZoneInfo:
    if zone is None:
        return zoneinfo.ZoneInfo("UTC")
    return zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)


def moment(at: dt.datetime, zone: str | zoneinfo.ZoneInfo | None) -> str:
    """A moment in ``zone`` to the second, the zone named: ``2025-10-01 14:05:09 Europe/Stockholm``."""
    where = _zone(zone)
    return f"{at.astimezone(where).isoformat(sep=' ', timespec='seconds')[:19]} {where.key}"
