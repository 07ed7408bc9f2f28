"""The data contract (shared/contract/DATA.md) as code: one source of truth.

Every table the suite reads is described here once: its columns, their kinds,
vocabularies and ranges, and the rules that join tables together. The loader
(`analysis.io`), the validator (`analysis.validate`) and the sample generator
(`analysis.sample`) all read these specs; nothing else spells a column name
or a vocabulary out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "date", "month", "datetime", "float", "int", "bool", "category"]

ATTRIBUTES: tuple[str, ...] = (
    "service_quality",
    "staff_attitude",
    "convenience",
    "timeliness",
    "product_quality",
    "fees_value",
    "brand_image",
    "digital_experience",
)

SEGMENTS = ("mass", "affluent", "high_net_worth", "sme")
AREAS = ("urban", "county", "rural")
VIP_TIERS = ("none", "gold", "platinum", "diamond")
GENDERS = ("F", "M", "U")
CLOSE_REASONS = (
    "service_quality",
    "fees",
    "convenience",
    "product",
    "competitor_offer",
    "relocation",
    "deceased",
    "other",
)
TXN_DIRECTIONS = ("credit", "debit")
TXN_CHANNELS = ("counter", "atm", "mobile", "online", "pos")
TXN_CATEGORIES = ("transfer", "payment", "cash", "wealth_purchase", "loan_repayment", "fee", "salary")
INTERACTION_TYPES = ("complaint", "service_request", "inquiry", "greeting", "visit")
INTERACTION_CATEGORIES = ("wait_time", "staff_attitude", "fees", "product", "system", "error", "other")
INTERACTION_CHANNELS = ("branch", "phone", "mobile", "online", "rm")
CAMPAIGN_KINDS = (
    "birthday_greeting",
    "salon",
    "health_check",
    "wine_tasting",
    "parenting_lecture",
    "year_end_gala",
    "art_appreciation",
    "study_tour",
    "wellness",
    "green_channel",
    "magazine",
    "hospital_visit",
    "other",
)
CAMPAIGN_DESIGNS = ("randomized", "targeted")
CONTACT_GROUPS = ("treatment", "control")
RM_GRADES = ("junior", "senior", "principal")

BRANCH_ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,39}"


@dataclass(frozen=True)
class Column:
    """One column of a table and the rules on its values alone."""

    name: str
    kind: Kind
    nullable: bool = False
    values: tuple[str, ...] | None = None  # closed vocabulary of a category
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False  # `> min` rather than `>= min`
    unique: bool = False
    pattern: str | None = None  # full-match regular expression

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The closed vocabulary of a category column (every one has it; `values`)."""
        if self.values is None:
            raise TypeError(f"column {self.name} ({self.kind}) has no closed vocabulary")
        return self.values


@dataclass(frozen=True)
class ForeignKey:
    """`column` of this table must be a value of `ref_table.ref_column`.

    With `when_present`, the rule applies only when the referenced table is
    given (rm_id is checked against relationship_managers only then).
    """

    column: str
    ref_table: str
    ref_column: str
    when_present: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    unique_together: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Column whose value names the branch a row belongs to, either directly
    # (`branch_id`) or through `customers` (`customer_id`): how a branch run
    # selects its rows.
    branch_key: str | None = None
    description: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _rating_columns(prefix: str, low: int, high: int) -> tuple[Column, ...]:
    return tuple(Column(f"{prefix}{a}", "int", nullable=True, min=low, max=high) for a in ATTRIBUTES)


BRANCHES = Table(
    "branches",
    (
        Column("branch_id", "str", unique=True, pattern=BRANCH_ID_PATTERN),
        Column("branch_name", "str"),
        Column("city", "str"),
        Column("home_bank", "str"),
    ),
    required=True,
    branch_key="branch_id",
)

CUSTOMERS = Table(
    "customers",
    (
        Column("customer_id", "str", unique=True),
        Column("branch_id", "str"),
        Column("open_date", "date"),
        Column("close_date", "date", nullable=True),
        Column("close_reason", "category", nullable=True, values=CLOSE_REASONS),
        Column("destination_bank", "str", nullable=True),
        Column("birth_year", "int", min=1900),
        Column("gender", "category", values=GENDERS),
        Column("area", "category", values=AREAS),
        Column("segment", "category", values=SEGMENTS),
        Column("vip_tier", "category", values=VIP_TIERS),
        Column("vip_since", "date", nullable=True),
        Column("rm_id", "str", nullable=True),
    ),
    required=True,
    foreign_keys=(
        ForeignKey("branch_id", "branches", "branch_id"),
        ForeignKey("rm_id", "relationship_managers", "rm_id", when_present=True),
    ),
    branch_key="branch_id",
    notes=(
        "close_date >= open_date",
        "close_reason only with close_date",
        "birth_year <= year(open_date) - 16",
        "vip_since set exactly when vip_tier != none",
    ),
)

MONTHLY_SNAPSHOTS = Table(
    "monthly_snapshots",
    (
        Column("customer_id", "str"),
        Column("month", "month"),
        Column("deposit_balance", "float", min=0),
        Column("loan_balance", "float", min=0),
        Column("wealth_aum", "float", min=0),
        Column("products_held", "int", min=0, max=20),
        Column("txn_count", "int", min=0),
        Column("digital_active", "bool"),
        Column("revenue", "float"),
    ),
    required=True,
    unique_together=(("customer_id", "month"),),
    foreign_keys=(ForeignKey("customer_id", "customers", "customer_id"),),
    branch_key="customer_id",
)

TRANSACTIONS = Table(
    "transactions",
    (
        Column("txn_id", "str", unique=True),
        Column("customer_id", "str"),
        Column("ts", "datetime"),
        Column("amount", "float", min=0, min_exclusive=True),
        Column("direction", "category", values=TXN_DIRECTIONS),
        Column("channel", "category", values=TXN_CHANNELS),
        Column("category", "category", values=TXN_CATEGORIES),
    ),
    foreign_keys=(ForeignKey("customer_id", "customers", "customer_id"),),
    branch_key="customer_id",
    notes=("ts within the customer's relationship",),
)

INTERACTIONS = Table(
    "interactions",
    (
        Column("interaction_id", "str", unique=True),
        Column("customer_id", "str"),
        Column("date", "date"),
        Column("type", "category", values=INTERACTION_TYPES),
        Column("category", "category", values=INTERACTION_CATEGORIES),
        Column("channel", "category", values=INTERACTION_CHANNELS),
        Column("resolved_date", "date", nullable=True),
        Column("resolution_score", "int", nullable=True, min=1, max=5),
    ),
    foreign_keys=(ForeignKey("customer_id", "customers", "customer_id"),),
    branch_key="customer_id",
    notes=("resolved_date >= date",),
)

SURVEYS = Table(
    "surveys",
    (
        Column("response_id", "str", unique=True),
        Column("customer_id", "str", nullable=True),
        Column("branch_id", "str"),
        Column("survey_date", "date"),
        *_rating_columns("exp_", 1, 7),
        *_rating_columns("perc_", 1, 7),
        Column("overall_satisfaction", "int", min=1, max=10),
        Column("recommend", "int", min=0, max=10),
    ),
    foreign_keys=(
        ForeignKey("branch_id", "branches", "branch_id"),
        ForeignKey("customer_id", "customers", "customer_id"),
    ),
    branch_key="branch_id",
)

MARKET_SURVEY = Table(
    "market_survey",
    (
        Column("respondent_id", "str"),
        Column("city", "str"),
        Column("survey_date", "date"),
        Column("bank", "str"),
        Column("primary_bank", "bool"),
        *_rating_columns("rating_", 1, 7),
    ),
    unique_together=(("respondent_id", "bank"),),
    notes=("exactly one primary_bank per respondent",),
)

MARKET_SHARE = Table(
    "market_share",
    (
        Column("city", "str"),
        Column("bank", "str"),
        Column("period", "date"),
        Column("deposits", "float", min=0),
        Column("loans", "float", min=0),
        Column("outlets", "int", nullable=True, min=0),
    ),
    unique_together=(("city", "bank", "period"),),
)

CAMPAIGNS = Table(
    "campaigns",
    (
        Column("campaign_id", "str", unique=True),
        Column("branch_id", "str"),
        Column("name", "str"),
        Column("kind", "category", values=CAMPAIGN_KINDS),
        Column("start_date", "date"),
        Column("end_date", "date"),
        Column("cost", "float", min=0),
        Column("design", "category", values=CAMPAIGN_DESIGNS),
    ),
    foreign_keys=(ForeignKey("branch_id", "branches", "branch_id"),),
    branch_key="branch_id",
    notes=("end_date >= start_date",),
)

CAMPAIGN_CONTACTS = Table(
    "campaign_contacts",
    (
        Column("campaign_id", "str"),
        Column("customer_id", "str"),
        Column("group", "category", values=CONTACT_GROUPS),
        Column("participated", "bool"),
        Column("responded", "bool"),
        Column("response_value", "float", nullable=True, min=0),
    ),
    unique_together=(("campaign_id", "customer_id"),),
    foreign_keys=(
        ForeignKey("campaign_id", "campaigns", "campaign_id"),
        ForeignKey("customer_id", "customers", "customer_id"),
    ),
    branch_key="customer_id",
    notes=(
        "control only in randomized campaigns",
        "participated is false for every control",
    ),
)

RELATIONSHIP_MANAGERS = Table(
    "relationship_managers",
    (
        Column("rm_id", "str", unique=True),
        Column("branch_id", "str"),
        Column("hire_date", "date"),
        Column("grade", "category", values=RM_GRADES),
    ),
    foreign_keys=(ForeignKey("branch_id", "branches", "branch_id"),),
    branch_key="branch_id",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        BRANCHES,
        CUSTOMERS,
        MONTHLY_SNAPSHOTS,
        TRANSACTIONS,
        INTERACTIONS,
        SURVEYS,
        MARKET_SURVEY,
        MARKET_SHARE,
        CAMPAIGNS,
        CAMPAIGN_CONTACTS,
        RELATIONSHIP_MANAGERS,
    )
}
REQUIRED_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.required)
OPTIONAL_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if not t.required)
