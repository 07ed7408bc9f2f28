"""Reports built from a branch's results: the briefing, the deck, the index."""
