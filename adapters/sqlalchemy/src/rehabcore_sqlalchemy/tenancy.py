"""PostgreSQL row-level security: a database role bound to one tenant reads only that tenant's events (#16).

Every entry recorded under a ruleset with an organisation names its tenants in its metadata (``"tenants"``:
the board responsible for the case, the providers executing a placement in it; see ``rehabcore.tenancy``).
:func:`enable_row_level_security` puts the events table under a policy that shows a role only the rows whose
``tenants`` name the tenant the role is bound to, in the table ``rehabcore_tenant_role`` that only the owner
writes; :func:`bind_role` binds a role and grants it reading. The boundary then holds for raw SQL too.

* The **owner** of the tables (the role the application writes with) is not subject to the policy: PostgreSQL
  applies row-level security to other roles unless ``FORCE ROW LEVEL SECURITY`` is set, and commands are
  decided on whole cases. Superusers and roles with ``BYPASSRLS`` bypass every policy: bind neither.
* A bound role may only read: it is granted ``SELECT`` (and ``USAGE`` on the schema), nothing else. A role
  bound to no tenant sees no event.

The set-up, as a database administrator runs it (docs/access.md): create a login role without superuser,
then ``enable_row_level_security(engine)`` once and ``bind_role(engine, role, tenant)`` per role, both as
the owner.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from rehabcore.errors import InvalidInput
from rehabcore_sqlalchemy.schema import EVENTS, PREFIX

TENANT_ROLES = f"{PREFIX}tenant_role"
POLICY = f"{PREFIX}tenant_read"
_TENANT_OF = f"{PREFIX}tenant_of"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _name(kind: str, value: str) -> str:
    """A role or schema name put into SQL: plain lower-case identifiers only (no quoting to get wrong)."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidInput(kind, "must be a plain lower-case SQL identifier (letters, digits, _)")
    return value


def _schema(conn: sa.Connection) -> str:
    return _name("schema", str(conn.exec_driver_sql("SELECT current_schema()").scalar_one()))


def enable_row_level_security(engine: sa.Engine) -> None:
    """Put the events table of the connection's schema under the tenant policy (idempotent; as the owner)."""
    with engine.begin() as conn:
        schema = _schema(conn)
        for statement in (
            f"CREATE TABLE IF NOT EXISTS {schema}.{TENANT_ROLES} "
            "(role_name text PRIMARY KEY, tenant text NOT NULL)",
            # Run as the owner, so a bound role reads its own binding without reading the table itself;
            # called with current_user, evaluated as the role that queries.
            f"CREATE OR REPLACE FUNCTION {schema}.{_TENANT_OF}(role_name text) RETURNS text "
            f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema} AS "
            f"$$ SELECT tenant FROM {schema}.{TENANT_ROLES} WHERE {TENANT_ROLES}.role_name = $1 $$",
            f"ALTER TABLE {schema}.{EVENTS} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS {POLICY} ON {schema}.{EVENTS}",
            f"CREATE POLICY {POLICY} ON {schema}.{EVENTS} FOR SELECT USING ("
            f"(convert_from(metadata, 'UTF8')::jsonb -> 'tenants') "
            f"? {schema}.{_TENANT_OF}(current_user::text))",
        ):
            conn.exec_driver_sql(statement)


def bind_role(engine: sa.Engine, role: str, tenant: str) -> None:
    """Bind an existing non-superuser ``role`` to ``tenant`` and let it read the store (as the owner)."""
    role = _name("role", role)
    if not isinstance(tenant, str) or not tenant:
        raise InvalidInput("tenant", "a role is bound to one board or provider id")
    with engine.begin() as conn:
        schema = _schema(conn)
        bypass = conn.exec_driver_sql(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %(role)s", {"role": role}
        ).scalar_one_or_none()
        if bypass is None:
            raise InvalidInput("role", "no such role; create it first (CREATE ROLE … LOGIN)")
        if bypass:
            raise InvalidInput("role", "a superuser or BYPASSRLS role is not held by row-level security")
        conn.exec_driver_sql(
            f"INSERT INTO {schema}.{TENANT_ROLES} (role_name, tenant) VALUES (%(role)s, %(tenant)s) "
            "ON CONFLICT (role_name) DO UPDATE SET tenant = excluded.tenant",
            {"role": role, "tenant": tenant},
        )
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        tables = conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = %(schema)s AND tablename LIKE %(prefix)s "
            "AND tablename <> %(roles)s",
            {"schema": schema, "prefix": f"{PREFIX}%", "roles": TENANT_ROLES},
        ).scalars()
        for table in list(tables):
            conn.exec_driver_sql(f"GRANT SELECT ON {schema}.{_name('table', table)} TO {role}")
