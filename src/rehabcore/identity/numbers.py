"""Identity numbers read at intake: personnummer, samordningsnummer, Danish CPR (B23).

Validation is python-stdnum's (``stdnum.se.personnummer``, ``stdnum.dk.cpr``, ``stdnum.luhn``). Where it
lacks a form, a small wrapper here fills the gap, and says so:

* **samordningsnummer** (folkbokföringslagen 18 a §): stdnum refuses them (day + 60 is no date). The wrapper
  checks the Luhn digit over the number as written (stdnum.luhn) and the date with 60 taken off the day,
  by asking stdnum about the same number with the real day and a recomputed check digit.
* **CPR**: stdnum checks the format and the birth date with its century, but not modulus 11, which must not
  be asked (numbers without it have been issued since 2007-10-01). ``stdnum.dk.cpr.validate`` is used as is.

Errors never repeat the number: :class:`InvalidIdentityNumber` names the field and the kind of problem.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs
from stdnum import luhn
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

from rehabcore.domain.validation import normalise_for_matching
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import InvalidInput


class InvalidIdentityNumber(InvalidInput):
    """The identity number given is not a valid personnummer, samordningsnummer or CPR number."""


class NumberKind(enum.StrEnum):
    """Which register's number it is."""

    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"
    CPR = "cpr"


class LegalSex(enum.StrEnum):
    """Legal sex as the number encodes it (for statistics and reports, never shown)."""

    FEMALE = "female"
    MALE = "male"


@attrs.frozen(kw_only=True)
class IdentityNumber:
    """A validated number in its canonical form (12 digits for Sweden, 10 for Denmark, no separator)."""

    kind: NumberKind
    digits: str = attrs.field(repr=False)
    birth_date: dt.date
    legal_sex: LegalSex

    @property
    def jurisdiction(self) -> Jurisdiction:
        return Jurisdiction.DK if self.kind is NumberKind.CPR else Jurisdiction.SE

    @property
    def real_birth_day(self) -> int:
        """The day of the month the person was born (for a samordningsnummer: the day without the 60)."""
        return self.birth_date.day


def _sex(digit: str) -> LegalSex:
    return LegalSex.MALE if int(digit) % 2 else LegalSex.FEMALE


def _swedish(compact: str) -> IdentityNumber:
    """A personnummer or samordningsnummer, 10 or 12 digits (with the - or + of the 10-digit form)."""
    digits = compact.replace("-", "").replace("+", "")
    ten = digits[-10:]
    if not luhn.is_valid(ten):
        raise InvalidIdentityNumber("identity_number", "the check digit does not match; check the number")
    day = int(ten[4:6])
    coordination = day > 60
    if coordination:
        # stdnum knows no samordningsnummer: ask it about the same person with the real day instead.
        real = ten[:4] + f"{day - 60:02d}" + ten[6:9]
        real += luhn.calc_check_digit(real)
        century = digits[:2] if len(digits) == 12 else ""
        sep = "+" if "+" in compact else "-"
        asked = f"{century}{real[:6]}{sep}{real[6:]}"
    else:
        asked = compact
    try:
        born = personnummer.get_birth_date(personnummer.validate(asked))
    except ValidationError:
        raise InvalidIdentityNumber(
            "identity_number", "not a valid personnummer or samordningsnummer (date or form)"
        ) from None
    kind = NumberKind.SAMORDNINGSNUMMER if coordination else NumberKind.PERSONNUMMER
    return IdentityNumber(
        kind=kind, digits=f"{born.year:04d}{ten[2:]}", birth_date=born, legal_sex=_sex(ten[8])
    )


def _danish(compact: str) -> IdentityNumber:
    try:
        number = cpr.validate(compact)
        born = cpr.get_birth_date(number)
    except ValidationError:
        raise InvalidIdentityNumber("identity_number", "not a valid CPR number (date or form)") from None
    return IdentityNumber(kind=NumberKind.CPR, digits=number, birth_date=born, legal_sex=_sex(number[9]))


def parse_identity_number(text: str, jurisdiction: Jurisdiction) -> IdentityNumber:
    """Read a number as written (any dash or space variant, with or without a separator), or refuse it."""
    if not isinstance(text, str):
        raise InvalidIdentityNumber("identity_number", f"expected text, got {type(text).__name__}")
    if not isinstance(jurisdiction, Jurisdiction):
        raise InvalidInput("jurisdiction", "expected a Jurisdiction (SE or DK)")
    folded = normalise_for_matching(text).strip()
    compact = "".join(ch for ch in folded if ch.isdigit() or ch in "-+")
    if any(not (ch.isdigit() or ch in "-+ ") for ch in folded) or compact.count("-") + compact.count("+") > 1:
        raise InvalidIdentityNumber("identity_number", "holds more than digits and one separator")
    if jurisdiction is Jurisdiction.DK:
        if len(compact.replace("-", "")) != 10 or "+" in compact:
            raise InvalidIdentityNumber("identity_number", "a CPR number has ten digits (DDMMYY-SSSS)")
        return _danish(compact.replace("-", ""))
    if len(compact.replace("-", "").replace("+", "")) not in (10, 12):
        raise InvalidIdentityNumber(
            "identity_number", "a personnummer has ten or twelve digits (YYYYMMDD-NNNN)"
        )
    return _swedish(compact)


def in_research_sample(number: IdentityNumber) -> bool:
    """Born on day 5, 15 or 25 (socialtjänstförordningen 7 kap; the real day for a samordningsnummer)."""
    return number.jurisdiction is Jurisdiction.SE and number.real_birth_day in (5, 15, 25)
