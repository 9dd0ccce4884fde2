"""Tenant-scoped reads: a store as one board or provider may see it (#16).

Under a ruleset with an organisation (``Ruleset.access.organisation``), every entry names in its metadata the
tenants it belongs to (``"tenants"``): the board responsible for the case, and each provider executing a
placement in it before or after the entry (``rehabcore.domain.permissions.case_tenants``). A
:class:`TenantView` of a store shows a tenant only the entries that name it, so a provider sees a case from
the entry that starts its placement there up to the one that ends it, and never another provider's case; an
entry that names no tenants (recorded without an organisation) is shown to no tenant.

The view is an :class:`~rehabcore.store.EventStore` for reading: :class:`~rehabcore.audit.Audit`, the
projection :class:`~rehabcore.projections.runner.Runner` (and so the read models) and the CLI's ``--tenant``
open it instead of the store and see only the tenant's part. It refuses to append: commands are decided on
the whole case, through ``Cases(store, tenant=…)``, whose reads (``get``, ``history``, ``unit``) are scoped
the same way. On PostgreSQL the same boundary holds for a database role under row-level security
(``rehabcore_sqlalchemy.tenancy``, docs/access.md).
"""

from __future__ import annotations

import orjson

from rehabcore.errors import InvalidInput
from rehabcore.store import EventStore, StoredEvent
from rehabcore.views import ReadOnlyView

__all__ = ["TenantView", "tenants_of", "visible_to"]


def tenants_of(metadata: bytes) -> tuple[str, ...]:
    """The tenants an entry belongs to, as its metadata names them (none when it names none)."""
    try:
        meta = orjson.loads(metadata)
    except orjson.JSONDecodeError:
        return ()
    found = meta.get("tenants") if isinstance(meta, dict) else None
    return tuple(t for t in found if isinstance(t, str)) if isinstance(found, list) else ()


def visible_to(stored: StoredEvent, tenant: str) -> bool:
    """The entry names ``tenant`` among the tenants it belongs to."""
    return tenant in tenants_of(stored.metadata)


class TenantView(ReadOnlyView):
    """``store`` as ``tenant`` may read it: only the entries that name the tenant (see the module)."""

    refusal = (
        "a tenant's view is for reading; record commands through Cases(store, tenant=…), which decides "
        "them on the whole case"
    )

    def __init__(self, store: EventStore, tenant: str) -> None:
        if not isinstance(tenant, str) or not tenant:
            raise InvalidInput("tenant", "a tenant view is for one board or provider id")
        super().__init__(store)
        self.tenant = tenant

    def shows(self, stored: StoredEvent) -> bool:
        """The entry names the tenant."""
        return visible_to(stored, self.tenant)
