"""Words: the glossary, one way to choose the language, one formatter for
money, shares, points and multiples, and the sentences of each question, used
by the notebooks and the briefing alike."""
