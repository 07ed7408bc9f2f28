"""QVSRS branch strategy suite: loaders, models and reports for bank CRM.

    import analysis
    bank = analysis.load("data/sample", branch="meishan")

`import analysis` is light: it imports neither pandas nor duckdb nor pandera.
The names below come from their modules on first use (PEP 562), and so do
the subpackages (`analysis.data`, `analysis.stats`, …).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name → the module that defines it
_EXPORTS = {
    "Assumptions": "analysis.assumptions",
    "Bank": "analysis.data.bank",
    "DataError": "analysis.errors",
    "DataProblem": "analysis.errors",
    "Timeframe": "analysis.data.timeframe",
    "UsageError": "analysis.errors",
    "load": "analysis.data.bank",
    "load_many": "analysis.data.bank",
    "load_tables": "analysis.data.bank",
}
#: the modules and subpackages under the package, imported when first named
_SUBMODULES = (
    "assumptions",
    "data",
    "errors",
    "figures",
    "questions",
    "report",
    "run",
    "sample",
    "sections",
    "stats",
    "words",
)

__all__ = [
    "Assumptions",
    "Bank",
    "DataError",
    "DataProblem",
    "Timeframe",
    "UsageError",
    "load",
    "load_many",
    "load_tables",
]

if TYPE_CHECKING:
    from analysis.assumptions import Assumptions
    from analysis.data.bank import Bank, load, load_many, load_tables
    from analysis.data.timeframe import Timeframe
    from analysis.errors import DataError, DataProblem, UsageError


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once imported, an ordinary attribute
    return value


def __dir__() -> list[str]:
    """What the package offers (tab completion): its names and its modules, imported or not."""
    return sorted({*__all__, *_SUBMODULES, "__version__"})
