"""Messages in Swedish, English and Danish, from gettext catalogs with plural forms.

The catalogs live in ``rehabcore/locale/<lang>/LC_MESSAGES/rehabcore.po`` (compiled beside them to ``.mo``,
which is what the standard library's ``gettext`` reads: Babel is needed only to maintain them, with
``make messages``). A message is marked with :func:`_` or :func:`ngettext` and formatted with ``str.format``
after translation, so a translation may move ``{path}`` or ``{n}`` where its language wants them.

Which language: the one asked for (``--lang``), else the environment's locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: the first that names sv, da or en), else the jurisdiction's (SE: sv, DK: da), else
English. :func:`using` sets it for a block; :func:`_` and :func:`ngettext` read it.

This module imports nothing from the rest of rehabcore.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "LANGUAGES",
    "_",
    "current_language",
    "default_language",
    "language_from_environment",
    "ngettext",
    "number",
    "set_language",
    "translations",
    "using",
]

LANGUAGES = ("sv", "en", "da")
DOMAIN = "rehabcore"
LOCALE_DIR = Path(__file__).parent / "locale"
_BY_JURISDICTION = {"SE": "sv", "DK": "da"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar("rehabcore_language", default="en")


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``; a language rehabcore has no catalog for is a ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"no messages in {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """sv, da or en from the POSIX locale variables, in gettext's order; None when none of them names one."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for item in env.get(variable, "").split(":"):
            code = item.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].lower()
            if code in LANGUAGES:
                return code
        if env.get(variable) and variable != "LANGUAGE":
            return None  # this variable decides, and it names none of ours (C, POSIX, de_DE …)
    return None


def default_language(
    asked: str | None = None, environ: Mapping[str, str] | None = None, jurisdiction: str | None = None
) -> str:
    """One rule for every command: asked, else the environment's locale, else the jurisdiction's, else en."""
    if asked:
        if asked not in LANGUAGES:
            raise ValueError(f"no messages in {asked!r}; choose one of {', '.join(LANGUAGES)}")
        return asked
    return language_from_environment(environ) or _BY_JURISDICTION.get(str(jurisdiction or "").upper(), "en")


def current_language() -> str:
    """The language :func:`_` and :func:`ngettext` translate into now."""
    return _language.get()


@contextlib.contextmanager
def using(lang: str) -> Iterator[str]:
    """Translate into ``lang`` inside the block."""
    translations(lang)  # refuse an unknown language here, not at the first message
    token = _language.set(lang)
    try:
        yield lang
    finally:
        _language.reset(token)


def set_language(lang: str) -> None:
    """Translate into ``lang`` from here on in this context (the command line, once it knows the language)."""
    translations(lang)
    _language.set(lang)


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current language, its ``{fields}`` filled from ``values``."""
    return translations(_language.get()).gettext(message).format(**values)


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The form of ``singular``/``plural`` the current language uses for ``n``; ``{n}`` is filled too."""
    return translations(_language.get()).ngettext(singular, plural, n).format(n=n, **values)


def number(n: int) -> str:
    """A whole number grouped as the current language writes it: 12,345 (en), 12 345 (sv), 12.345 (da)."""
    grouped = f"{n:,}"
    return {"sv": grouped.replace(",", "\u00a0"), "da": grouped.replace(",", ".")}.get(
        _language.get(), grouped
    )
