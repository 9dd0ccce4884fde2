"""Privacy by design (#13): the identity vault, a key per case (personakt), identity numbers and age checks.

Needs the ``privacy`` extra (``pip install 'rehabcore[privacy]'``: cryptography and python-stdnum).
See ``docs/privacy.md`` for what is stored where and how erasure is proven.
"""

from __future__ import annotations

from rehabcore.identity.numbers import (
    IdentityNumber,
    InvalidIdentityNumber,
    LegalSex,
    NumberKind,
    in_research_sample,
    parse_identity_number,
)
from rehabcore.identity.vault import (
    MemoryVaultBackend,
    Person,
    PersonRow,
    Tombstone,
    Vault,
    VaultBackend,
    VaultNotFound,
    open_vault,
)

__all__ = [
    "IdentityNumber",
    "InvalidIdentityNumber",
    "LegalSex",
    "MemoryVaultBackend",
    "NumberKind",
    "Person",
    "PersonRow",
    "Tombstone",
    "Vault",
    "VaultBackend",
    "VaultNotFound",
    "in_research_sample",
    "open_vault",
    "parse_identity_number",
]
