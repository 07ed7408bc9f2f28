"""QVSRS branch strategy suite: loaders, models and reports for bank CRM."""
from .bank import Bank, load, load_tables
from .errors import DataError, DataProblem, UsageError
from .timeframe import Timeframe

__all__ = ["Bank", "DataError", "DataProblem", "Timeframe", "UsageError", "load", "load_tables"]
__version__ = "0.1.0"
