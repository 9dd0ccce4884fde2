"""Domain tests (#2): the rulebook, given / when / then over events."""
