"""The analysis's assumptions as one typed object, passed all the way through.

Every figure that depends on a choice of the analyst (how long the window is,
when a complaint counts as unresolved, how long a campaign's balance effect
lasts …) reads it from an `Assumptions`, never from a module constant. The
defaults reproduce `RESULTS.md` exactly; a report built on anything else says
so (`Assumptions.changed()`).

    from analysis import Assumptions
    a = Assumptions(unresolved_days=14)
    a = Assumptions.from_file("assumptions.toml")      # or .yaml / .yml
    a.to_dict()                                         # echoed in the run card

Set them from Python, from the papermill parameter `assumptions` (a mapping)
or from `python -m analysis run --assumptions FILE`.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from analysis.errors import UsageError

ESTIMATORS = ("aipw", "ipw", "matching")


@dataclass(frozen=True)
class Assumptions:
    """What the analyst assumes; the defaults are the results contract's.

    Months are calendar months, shares are fractions (0.2 = 20 %), money is
    CNY, days are calendar days.
    """

    window_months: int = 12
    """Length of the analysis window M−(n−1) … M, in months (RESULTS.md: 12)."""
    churn_history_months: int = 6
    """A churn-cohort customer must also have a snapshot this many months before
    the window's reference month (RESULTS.md: M−18, i.e. 6 before M−12)."""
    unresolved_days: int = 30
    """A complaint resolved later than this (or never) counts as unresolved."""
    campaign_pre_months: int = 1
    """A campaign's balance change starts this many months before the month of start_date."""
    campaign_post_months: int = 3
    """… and ends this many months after the month of end_date."""
    campaign_covariates: tuple[str, ...] | None = None
    """Features a targeted campaign is adjusted for; None: the churn drivers (RESULTS.md)."""
    campaign_estimator: str = "aipw"
    """How a targeted campaign's effect on participants is estimated: one of ESTIMATORS."""
    top_share: float = 0.2
    """The seed's "top 20 % of customers"."""
    bottom_share: float = 0.3
    """The seed's "bottom 30 % of customers"."""
    discount_rate: float = 0.10
    """Yearly discount rate of customer lifetime value."""
    effect_persistence_months: int = 12
    """How long a campaign's balance effect is assumed to last when it is turned
    into profit (RESULTS.md's profit_12m: a year)."""
    plan_budget_share: float = 0.05
    """The next quarter's plan may spend at most this share of the branch's yearly profit."""
    rm_contacts_per_quarter: int = 120
    """Customer contacts a relationship manager can make in a quarter on top of the daily work."""
    alpha: float = 0.05
    """Significance level: 95 % intervals, "significant" means p < alpha."""
    notes: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Free text per field: why an assumption was changed (shown in the run card)."""

    def __post_init__(self) -> None:
        problems = []
        for name in ("window_months", "churn_history_months", "campaign_post_months", "effect_persistence_months"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                problems.append(f"{name} must be a whole number of months ≥ 1, not {getattr(self, name)!r}")
        if not (isinstance(self.campaign_pre_months, int) and self.campaign_pre_months >= 1):
            problems.append(f"campaign_pre_months must be ≥ 1, not {self.campaign_pre_months!r}")
        if not (isinstance(self.unresolved_days, int) and self.unresolved_days >= 0):
            problems.append(f"unresolved_days must be a whole number of days ≥ 0, not {self.unresolved_days!r}")
        for name in ("top_share", "bottom_share", "plan_budget_share", "alpha"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and 0 < v < 1):
                problems.append(f"{name} must be a share between 0 and 1, not {v!r}")
        if not (isinstance(self.discount_rate, (int, float)) and 0 <= self.discount_rate < 1):
            problems.append(f"discount_rate must be between 0 and 1, not {self.discount_rate!r}")
        if not (isinstance(self.rm_contacts_per_quarter, int) and self.rm_contacts_per_quarter >= 0):
            problems.append(f"rm_contacts_per_quarter must be a whole number ≥ 0, not {self.rm_contacts_per_quarter!r}")
        if self.campaign_estimator not in ESTIMATORS:
            problems.append(
                f"campaign_estimator must be one of {', '.join(ESTIMATORS)}, not {self.campaign_estimator!r}"
            )
        if self.campaign_covariates is not None:
            object.__setattr__(self, "campaign_covariates", tuple(self.campaign_covariates))
        if problems:
            raise UsageError("assumptions: " + "; ".join(problems))

    # -- reading and echoing ---------------------------------------------------

    @classmethod
    def checked_names(cls, values: Mapping[str, Any] | None) -> dict[str, Any]:
        """`values` as a plain dict, once its names are checked (unknown names are an error)."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UsageError(
                f"unknown assumption{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        return values

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> Assumptions:
        """Assumptions from a mapping of field names, the contract's defaults for the others."""
        return cls(**cls.checked_names(values))

    @staticmethod
    def read_file(path: str | Path) -> dict[str, Any]:
        """The `name = value` pairs of a TOML or YAML file (a top-level
        `[assumptions]` table, or the file's top level), names checked."""
        path = Path(path)
        if not path.is_file():
            raise UsageError(f"assumptions file not found: {path}")
        text = path.read_text(encoding="utf-8")
        try:
            if path.suffix.lower() == ".toml":
                values = tomllib.loads(text)
            elif path.suffix.lower() in (".yaml", ".yml"):
                import yaml  # the base imports only the standard library; YAML is an optional format

                values = yaml.safe_load(text) or {}
            else:
                raise UsageError(f"assumptions file must be .toml, .yaml or .yml, not {path.name}")
        except UsageError:
            raise
        except Exception as exc:  # a syntax error in the user's file, not a bug
            raise UsageError(f"assumptions file {path} cannot be read: {exc}") from None
        if not isinstance(values, Mapping):
            raise UsageError(f"assumptions file {path} must hold name = value pairs")
        return Assumptions.checked_names(values.get("assumptions", values))

    @classmethod
    def from_file(cls, path: str | Path) -> Assumptions:
        """Assumptions from a TOML or YAML file of `name = value` lines, the defaults for the others."""
        return cls(**cls.read_file(path))

    def to_dict(self) -> dict[str, Any]:
        """Every assumption as plain JSON values (the run card's `assumptions`)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["campaign_covariates"] = list(self.campaign_covariates) if self.campaign_covariates is not None else None
        out["notes"] = dict(self.notes)
        return out

    def changed(self) -> dict[str, tuple[Any, Any]]:
        """Field → (default, this value) for every assumption that differs from the contract's."""
        default = Assumptions()
        out = {}
        for f in fields(self):
            if f.name == "notes":
                continue
            a, b = getattr(default, f.name), getattr(self, f.name)
            same = math.isclose(a, b) if isinstance(a, float) and isinstance(b, (int, float)) else a == b
            if not same:
                out[f.name] = (a, b)
        return out

    @property
    def is_default(self) -> bool:
        return not self.changed()

    def replace(self, **changes: Any) -> Assumptions:
        return dataclasses.replace(self, **changes)


DEFAULT = Assumptions()
