"""Audit: the record as known at any moment, the situation on any date, every step explained, tamper evidence.

* :func:`verify` walks every stream's hash chain and names what was edited, inserted, deleted or reordered;
  :class:`HeadDigest` pins the streams' heads so that a truncated tail is caught later.

Reads stores through the :class:`~rehabcore.store.EventStore` port only; never imports a driver.
"""

from rehabcore.audit.digest import HeadDigest, StreamHead
from rehabcore.audit.verify import Finding, FindingKind, VerifyReport, verify

__all__ = [
    "Finding",
    "FindingKind",
    "HeadDigest",
    "StreamHead",
    "VerifyReport",
    "verify",
]
