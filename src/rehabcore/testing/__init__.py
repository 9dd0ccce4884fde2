"""Test kit shipped to users: given/when/then, hypothesis strategies, the rule machine, the store contract.

Importing this package needs the ``testing`` extra (``pip install 'rehabcore[testing]'``);
``import rehabcore`` never imports it.

    from rehabcore.testing import given, an_id                  # given / when / then over events
    from rehabcore.testing import strategies, case_histories    # hypothesis strategies
    from rehabcore.testing import CaseMachine                   # the stateful rule machine
    from rehabcore.testing import StoreContract                 # the store contract suite for adapters
"""

from rehabcore.testing.gwt import Given, GivenUnit, Then, given, given_unit
from rehabcore.testing.readable import an_id

__all__ = ["Given", "GivenUnit", "Then", "an_id", "given", "given_unit"]
