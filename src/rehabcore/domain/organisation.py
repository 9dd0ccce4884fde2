"""Who is who in a municipality: its nämnder (boards) and the providers that run its units, as data.

A board (*nämnd*) is responsible for a case: it receives, assesses and decides. A provider runs units and
executes placements there; it is municipal (the municipality's own unit) or contracted (a company or
association under a contract with a start, an end or "until further notice", and a notice period). Every board
and provider id is a *tenant*: what a :class:`~rehabcore.cases.Cases` is opened for, what each entry names in
its metadata, and what a tenant-scoped read filters on.

An :class:`Organisation` rides on the ruleset (``Ruleset.access``), so the organisation a command was decided
under is part of the ruleset ref recorded with it, and a replay checks the command against the same one.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

import datetime as dt
import enum
import uuid

import attrs

from rehabcore.domain.validation import between, validated
from rehabcore.errors import InvalidInput


class ProviderKind(enum.StrEnum):
    """Whether the municipality runs a provider's units itself or has contracted them out."""

    MUNICIPAL = "municipal"  # egen regi
    CONTRACTED = "contracted"  # extern utförare (LOU/LOV)


@attrs.frozen(kw_only=True, field_transformer=validated)
class Contract:
    """A contracted provider's contract: from ``start``, to ``ends_on`` or until further notice."""

    start: dt.date
    #: The last day of a fixed-term contract; None while it runs until further notice (tills vidare).
    ends_on: dt.date | None = None
    #: Months of notice either side gives to end a contract that runs until further notice.
    notice_months: int = attrs.field(default=3, validator=between(0, 36))

    def __attrs_post_init__(self) -> None:
        if self.ends_on is not None and self.ends_on < self.start:
            raise InvalidInput("Contract.ends_on", "is before the contract's start")

    @property
    def until_further_notice(self) -> bool:
        """Runs until one side gives notice (no fixed end)."""
        return self.ends_on is None

    def in_force(self, on: dt.date) -> bool:
        """The contract covers ``on``."""
        return self.start <= on and (self.ends_on is None or on <= self.ends_on)


@attrs.frozen(kw_only=True, field_transformer=validated)
class Board:
    """A nämnd responsible for cases (e.g. the social welfare board, the labour-market board)."""

    board_id: str
    name: str


@attrs.frozen(kw_only=True, field_transformer=validated)
class Provider:
    """A provider running units: municipal, or contracted with a :class:`Contract`."""

    provider_id: str
    name: str
    kind: ProviderKind
    units: tuple[uuid.UUID, ...]
    contract: Contract | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is ProviderKind.CONTRACTED and self.contract is None:
            raise InvalidInput("Provider.contract", "a contracted provider works under a contract; give it")

    def in_force(self, on: dt.date) -> bool:
        """The provider may execute placements on ``on`` (a municipal provider always may)."""
        return self.contract is None or self.contract.in_force(on)


@attrs.frozen(kw_only=True, field_transformer=validated)
class Organisation:
    """A municipality's boards and providers; each id is a tenant, and each unit belongs to one provider."""

    boards: tuple[Board, ...]
    providers: tuple[Provider, ...] = ()

    def __attrs_post_init__(self) -> None:
        ids = [b.board_id for b in self.boards] + [p.provider_id for p in self.providers]
        if len(set(ids)) != len(ids):
            raise InvalidInput("Organisation", "a board or provider id is used twice; each names one tenant")
        units = [u for p in self.providers for u in p.units]
        if len(set(units)) != len(units):
            raise InvalidInput("Organisation.providers", "a unit belongs to one provider only")

    def board(self, tenant: str | None) -> Board | None:
        """The board with id ``tenant``, if it is one."""
        return next((b for b in self.boards if b.board_id == tenant), None)

    def provider(self, tenant: str | None) -> Provider | None:
        """The provider with id ``tenant``, if it is one."""
        return next((p for p in self.providers if p.provider_id == tenant), None)

    def provider_of(self, unit_id: uuid.UUID) -> Provider | None:
        """The provider that runs ``unit_id`` (None for a unit no provider lists)."""
        return next((p for p in self.providers if unit_id in p.units), None)

    def tenants(self) -> tuple[str, ...]:
        """Every board's and provider's id."""
        return (*(b.board_id for b in self.boards), *(p.provider_id for p in self.providers))
