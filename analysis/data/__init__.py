"""Data: the contract, reading and checking a bank's files, one branch's tables
(`Bank`), its time frame, cohorts and features. Nothing above this layer
reads files; nothing here knows a question, a language or a figure."""
