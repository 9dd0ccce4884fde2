"""``make bench``: rehabcore side by side with the eventsourcing library and the raw driver floor.

Not a test suite: nothing here is collected by pytest, and nothing asserts a time. See docs/performance.md.
"""
