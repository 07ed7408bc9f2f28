"""QVSRS branch strategy suite: loaders, models and reports for bank CRM."""

from analysis.data.bank import Bank, load, load_tables
from analysis.errors import DataError, DataProblem, UsageError
from analysis.data.timeframe import Timeframe

__all__ = ["Bank", "DataError", "DataProblem", "Timeframe", "UsageError", "load", "load_tables"]
__version__ = "0.1.0"
