"""Test kit shipped to users: the store contract suite, hypothesis strategies and the rule machine.

Importing this package needs the ``testing`` extra (``pip install 'rehabcore[testing]'``).
"""
