"""The gettext catalogs: every marked message has sv, en and da text with every plural form, the same
``{fields}``, and a compiled catalog that matches its ``.po``; the one language rule; the command line's own
messages in Swedish and Danish."""

from __future__ import annotations

import functools
import io
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rehabcore import i18n
from rehabcore.cli.stats import _follow_summary

ROOT = Path(__file__).resolve().parents[1]
LOCALE = i18n.LOCALE_DIR


def _catalog(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "rehabcore.po").open("rb") as f:
        return read_po(f, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@functools.cache
def _derived() -> dict[str | tuple[str, str], list[str]]:
    """The message ids derived from the code, as ``make messages`` writes them (tools/message_ids.py)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import message_ids
    finally:
        sys.path.remove(str(ROOT / "tools"))
    found, problems = message_ids.derive()
    assert not problems, "templates that cannot be translated:\n" + "\n".join(problems)
    return found


def _marked() -> set[str]:
    return {key if isinstance(key, str) else key[0] for key in _derived()}


def test_every_message_id_of_the_code_has_sv_en_and_da_text() -> None:
    """The one test that names what lacks words: a rule, warning or finding added anywhere in the code
    (another branch's rule too) shows up here with its file and line, never as English slipping through."""
    missing = []
    for lang in i18n.LANGUAGES:
        catalog = _catalog(lang)
        for key, where in _derived().items():
            m = catalog.get(key if isinstance(key, str) else key[0])
            forms = () if m is None else (m.string if isinstance(m.string, tuple) else (m.string,))
            plural = isinstance(key, tuple)
            if m is None or not all(forms) or m.fuzzy or plural != isinstance(m.id, tuple):
                missing.append(f"{lang}: {key!r} ({where[0]})")
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)


def test_the_derivation_sees_the_rules_warnings_and_findings() -> None:
    ids = _marked()
    assert "{what} {id} already exists in this case; use a new id" in ids  # a rule (checks.py)
    assert "a follow-up was due on {due}; record RecordFollowUp" in ids  # a warning (review.py)
    assert "version gap: v{v} is missing" in ids  # a finding (classify.py)
    assert "{problem} (local rule: {anchor})" in ids  # the frame of a local rule's own words
    plural = [k for k in _derived() if isinstance(k, tuple)]
    assert any(k[0].startswith("unit {unit_id} has {n} place,") for k in plural)


def test_an_f_string_rule_is_named_as_a_problem(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import message_ids
    finally:
        sys.path.remove(str(ROOT / "tools"))
    domain = message_ids.PACKAGE / "domain" / "new_rule.py"
    source = 'def f(x):\n    raise r.NewRule(f"x is {x}")\n'
    finder = message_ids._Finder(domain, in_domain=True)
    finder.visit(__import__("ast").parse(source))
    assert finder.problems and "not a plain string template" in finder.problems[0]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_has_a_translation_with_every_plural_form(lang: str) -> None:
    catalog = _catalog(lang)
    assert catalog.num_plurals == 2 and catalog.plural_expr == "(n != 1)"
    messages = [m for m in catalog if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == _marked()
    for m in messages:
        assert not m.fuzzy, m.id
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        assert len(forms) == (catalog.num_plurals if isinstance(m.id, tuple) else 1), m.id
        assert all(forms), f"{lang}: no translation of {ids[0]!r}"
        for form in forms:
            assert _fields(form) == _fields(ids[-1]), f"{lang}: {form!r} names other fields than {ids[-1]!r}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_compiled_catalog_is_the_po_file(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    assert (LOCALE / lang / "LC_MESSAGES" / "rehabcore.mo").read_bytes() == compiled.getvalue(), (
        "make messages"
    )


def test_swedish_and_danish_are_not_english() -> None:
    english = {m.id: m.string for m in _catalog("en") if m.id}
    for lang in ("sv", "da"):
        same = [m.id for m in _catalog(lang) if m.id and m.string == english[m.id]]
        assert not same, f"{lang} copies English: {same}"


def test_plural_forms_follow_the_count() -> None:
    with i18n.using("sv"):
        assert _follow_summary(1, 12, None) == "tillämpade 1 händelse; läsmodellerna är vid position 12"
        assert _follow_summary(2345, 2345, "SIGTERM") == (
            "stoppad av SIGTERM: tillämpade 2\u00a0345 händelser; läsmodellerna är vid position 2\u00a0345"
        )
    with i18n.using("da"):
        assert _follow_summary(0, 1200, None) == "anvendte 0 hændelser; læsemodellerne er ved position 1.200"
    with i18n.using("en"):
        assert _follow_summary(1, 1, None) == "applied 1 event; the read models are at position 1"


@pytest.mark.parametrize(
    ("asked", "environ", "jurisdiction", "expected"),
    [
        ("da", {"LANG": "sv_SE.UTF-8"}, "SE", "da"),  # asked wins
        (None, {"LANG": "sv_SE.UTF-8"}, "DK", "sv"),  # then the environment's locale
        (None, {"LANGUAGE": "de:da", "LANG": "de_DE.UTF-8"}, None, "da"),  # LANGUAGE is a list of wishes
        (None, {"LC_ALL": "da_DK.UTF-8", "LANG": "en_GB.UTF-8"}, None, "da"),
        (None, {"LANG": "C.UTF-8"}, "SE", "sv"),  # then the jurisdiction
        (None, {}, "DK", "da"),
        (None, {"LANG": "de_DE.UTF-8"}, None, "en"),  # then English
    ],
)
def test_one_language_rule(
    asked: str | None, environ: dict[str, str], jurisdiction: str | None, expected: str
) -> None:
    assert i18n.default_language(asked, environ, jurisdiction) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="sv, en, da"):
        i18n.default_language("fi")
    with pytest.raises(ValueError, match="sv, en, da"), i18n.using("fi"):
        pass


def _cli(*args: str, lang_env: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": lang_env}
    return subprocess.run(
        [sys.executable, "-m", "rehabcore", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_the_command_line_speaks_the_locale_or_the_lang_asked(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'saknas.sqlite'}"
    swedish = _cli("stats", "--store", missing, lang_env="sv_SE.UTF-8")
    assert swedish.returncode == 2
    assert (
        swedish.stderr.startswith("rehabcore stats: fel: ingen lagring på ")
        and "saknas.sqlite" in swedish.stderr
    )
    danish = _cli("verify", "--store", missing, "--lang", "da", lang_env="sv_SE.UTF-8")
    assert danish.stderr.startswith("rehabcore verify: fejl: intet lager på ")
    english = _cli(
        "timeline",
        "0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10",
        "--on",
        "2025-02-30",
        "--lang",
        "en",
        lang_env="da_DK.UTF-8",
    )
    assert "--on expects a date as YYYY-MM-DD" in english.stderr
