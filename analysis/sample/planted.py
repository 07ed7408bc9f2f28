"""The planted effects of the sample bank, all in one place.

`analysis.sample` draws its data from the models below and from nothing
else that matters for an analysis, so each number here is the *truth* that
the suite must recover from the generated files (within its confidence
intervals). Tests of the analyses import these constants rather than
repeating the numbers.

Every effect is defined on the features exactly as the contracts define them
(shared/contract/RESULTS.md), measured on the rows that `sample` writes:

* churn: a logistic model of 12-month churn on the churn drivers at t0;
* campaigns: per kind, the effect of taking part on the customer's balance
  change and response, and (targeted designs) who takes part;
* satisfaction: the OLS weights of overall_satisfaction on the perc_ columns;
* competitors: the conditional-logit coefficients of bank choice on ratings;
* value: the revenue model that makes revenue concentrate (≈ 20/80) and makes
  some customers lose money month after month.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from analysis.data.contract import ATTRIBUTES
from analysis.data.features import DRIVER_ORDER


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(dict(d))


# ---------------------------------------------------------------------------
# Churn


#: The churn drivers of RESULTS.md (`churn.drivers`), in the order of the table
#: there. Dummies: `mass` and `urban` are the references.
CHURN_FEATURES: tuple[str, ...] = tuple(DRIVER_ORDER)


@dataclass(frozen=True)
class ChurnEffects:
    """12-month churn of the churn cohort: a logistic model at t0.

    For every customer of the cohort of RESULTS.md (a snapshot in months M−12
    and M−18, no close_date before t0), the generator computes the features of
    `CHURN_FEATURES` from the rows it writes, exactly as RESULTS.md defines
    them (age = year(t0) − birth_year; tenure_years = days(t0 − open_date) ÷
    365.25; products_held, digital_active and log_total_balance = ln(1 +
    deposit_balance + wealth_aum) of the M−12 snapshot; balance_trend =
    log_total_balance(M−12) − log_total_balance(M−18); complaints_12m =
    complaints dated in [t0 − 12 months, t0); unresolved_complaint = one of
    them has no resolved_date or was resolved > 30 days after its date;
    vip = vip_since < t0; has_rm = rm_id set; segment and area dummies), and
    draws

        churned ~ Bernoulli(expit(intercept + Σ ln(odds_ratio[f]) · x_f))

    with `intercept` solved per branch so that the *expected* churn rate of
    the cohort equals `target_rate_12m` (the slopes are fixed; only the
    intercept adapts to the branch's customer mix). A churner's close_date is
    uniform over the window's days (t0 … as_of). Nothing else decides who of
    the cohort churns in the window.

    Outside the cohort churn is a plain hazard, unrelated to these features
    beyond the static ones: before t0 (and before the data begin) a monthly
    hazard `pre_window_monthly_hazard` × exp(½ · the static part of the
    logit); customers who open after month M−18 churn in the window with
    probability `new_customer_rate_12m` × (share of the window they are open).
    """

    odds_ratios: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "age": 0.99,  # per year of age
                "tenure_years": 0.96,  # per year with the bank
                "products_held": 0.80,  # per product line held
                "log_total_balance": 0.90,  # per unit of ln(1 + deposits + wealth)
                "balance_trend": 0.50,  # per unit of 6-month log change (falling balances → churn)
                "digital_active": 0.50,
                "complaints_12m": 1.30,  # per complaint
                "unresolved_complaint": 2.60,  # a complaint open or resolved after > 30 days
                "vip": 0.60,
                "has_rm": 0.75,
                "segment[affluent]": 0.85,
                "segment[high_net_worth]": 1.40,  # the seed: big customers increasingly poached
                "segment[sme]": 1.20,
                "area[county]": 0.85,
                "area[rural]": 0.70,
            }
        )
    )
    target_rate_12m: float = 0.12
    pre_window_monthly_hazard: float = 0.009
    new_customer_rate_12m: float = 0.10

    def __post_init__(self) -> None:
        if set(self.odds_ratios) != set(CHURN_FEATURES):
            raise ValueError("churn odds ratios must be given for exactly CHURN_FEATURES")

    @property
    def log_odds(self) -> Mapping[str, float]:
        """The logistic coefficients: ln(odds ratio) per feature."""
        return _frozen({k: math.log(v) for k, v in self.odds_ratios.items()})


CHURN = ChurnEffects()

#: Reasons given by customers who leave (close_reason), before the rules that
#: tie a reason to a customer (an unresolved complaint → `service_quality`,
#: a fees complaint → `fees`, old age → `deceased` more often).
CLOSE_REASON_WEIGHTS: Mapping[str, float] = _frozen(
    {
        "service_quality": 0.16,
        "fees": 0.12,
        "convenience": 0.12,
        "product": 0.10,
        "competitor_offer": 0.30,
        "relocation": 0.10,
        "deceased": 0.03,
        "other": 0.07,
    }
)
#: Relative weights of where churners go, by kind of competitor: city and rural
#: commercial banks (the seed's pressure) take most.
DESTINATION_WEIGHTS: Mapping[str, float] = _frozen({"city": 3.0, "rural": 2.0, "postal": 1.2, "big": 0.8})


# ---------------------------------------------------------------------------
# Campaigns

Design = Literal["randomized", "targeted"]


@dataclass(frozen=True)
class SelectionModel:
    """Who takes part in a targeted campaign (there is no holdout).

    Among the branch's customers with a snapshot in the month before start
    and no close_date before start_date, the probability of being listed is

        expit(a + balance · z(log_total_balance) + vip · vip
                 + products · (products_held − mean) + digital · digital_active
                 + Σ segment[s])

    where the features are those of `analysis.features.driver_features` with
    ref = first day of the start month (snapshot of the month before start;
    z() standardises over the eligible customers; vip = vip_since < ref) and
    `a` is solved so that `invite_share` of the eligible are listed. A listed
    customer takes part with probability `take_up` (independently); listed
    non-participants are contacts with participated false. Since rich,
    engaged customers are listed and their balances grow faster anyway, the
    naive difference participants − pool is several times the true ATT, while
    given the features, taking part is independent of everything else (so a
    sound adjustment on the driver features recovers the ATT).
    """

    balance: float = 1.6
    vip: float = 1.2
    products: float = 0.15
    digital: float = 0.4
    segment: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"affluent": 0.3, "high_net_worth": 0.6, "sme": 0.2})
    )
    invite_share: float = 0.07
    take_up: float = 0.85


@dataclass(frozen=True)
class CampaignEffect:
    """The true effect of one kind of campaign.

    `balance_effect`: CNY added to a participant's deposit_balance (or
    wealth_aum when `to_wealth`) from the month of end_date onward, for
    good; so a participant's balance change as RESULTS.md defines it ((deposit
    + wealth) in month end+3 − in month start−1) is exactly `balance_effect`
    higher than it would have been. Non-participants and controls get nothing.

    randomized: the eligible (`eligibility`) active at start are split at
    random, `control_share` to control (not contacted, participated false);
    a treated contact takes part with probability `participation_rate`. So
    the intention-to-treat effects that RESULTS.md estimates are
    `itt_balance` = participation_rate × balance_effect and `response_ate` =
    participation_rate × response_uplift.

    targeted: participants are chosen by `selection` (see SelectionModel);
    the true ATT on balance change is `balance_effect` (constant effect).

    responded: Bernoulli(response_base + response_uplift · participated);
    response_value when responded: lognormal with median
    `response_value_median` (× a factor that grows with the balance), mean
    independent of treatment. cost = fixed_cost + cost_per_contact ×
    (treated contacts: randomized; participants: targeted).
    """

    kind: str
    name: str
    design: Design
    balance_effect: float
    response_uplift: float
    response_base: float = 0.04
    participation_rate: float = 1.0
    control_share: float = 0.2
    response_value_median: float = 30_000.0
    cost_per_contact: float = 50.0
    fixed_cost: float = 5_000.0
    to_wealth: bool = False
    eligibility: str = "all"
    selection: SelectionModel | None = None

    @property
    def itt_balance(self) -> float:
        """Randomized: the ITT on balance change (treatment − control), CNY."""
        return self.participation_rate * self.balance_effect if self.design == "randomized" else float("nan")

    @property
    def response_ate(self) -> float:
        """Randomized: treatment − control share responded (ITT)."""
        return self.participation_rate * self.response_uplift if self.design == "randomized" else float("nan")

    @property
    def att_balance(self) -> float:
        """The effect of taking part on participants' balance change, CNY."""
        return self.balance_effect


_SEL = SelectionModel()

#: One effect per campaign kind (the seed's VIP services and events). Which
#: design a kind runs as is fixed here: randomized kinds keep a holdout.
CAMPAIGN_EFFECTS: Mapping[str, CampaignEffect] = _frozen(
    {
        e.kind: e
        for e in (
            CampaignEffect(
                "birthday_greeting",
                "生日问候",
                "randomized",
                5_000.0,
                0.03,
                participation_rate=0.8,
                cost_per_contact=20.0,
                fixed_cost=2_000.0,
                eligibility="vip",
                response_value_median=20_000.0,
            ),
            CampaignEffect(
                "health_check",
                "免费体检",
                "randomized",
                30_000.0,
                0.10,
                participation_rate=0.65,
                cost_per_contact=400.0,
                fixed_cost=20_000.0,
                eligibility="affluent_35plus",
            ),
            CampaignEffect(
                "green_channel",
                "绿色通道",
                "randomized",
                12_000.0,
                0.05,
                participation_rate=0.7,
                cost_per_contact=60.0,
                fixed_cost=10_000.0,
                eligibility="vip",
            ),
            CampaignEffect(
                "salon",
                "易经国学财富智慧沙龙",
                "randomized",
                20_000.0,
                0.08,
                participation_rate=0.6,
                cost_per_contact=150.0,
                fixed_cost=15_000.0,
                eligibility="affluent",
                to_wealth=True,
            ),
            CampaignEffect(
                "magazine",
                "赠阅内刊",
                "randomized",
                0.0,
                0.0,
                participation_rate=0.75,
                cost_per_contact=30.0,
                fixed_cost=3_000.0,
                eligibility="vip",
            ),
            CampaignEffect(
                "parenting_lecture",
                "知名育儿大师专题讲座",
                "randomized",
                8_000.0,
                0.06,
                participation_rate=0.6,
                cost_per_contact=80.0,
                fixed_cost=8_000.0,
                eligibility="parents",
            ),
            CampaignEffect(
                "wine_tasting",
                "红酒品鉴会",
                "targeted",
                20_000.0,
                0.08,
                cost_per_contact=600.0,
                fixed_cost=30_000.0,
                selection=_SEL,
                to_wealth=True,
            ),
            CampaignEffect(
                "year_end_gala",
                "年终客户答谢会",
                "targeted",
                20_000.0,
                0.06,
                cost_per_contact=800.0,
                fixed_cost=80_000.0,
                selection=_SEL,
            ),
            CampaignEffect(
                "art_appreciation",
                "艺术品鉴赏会",
                "targeted",
                15_000.0,
                0.07,
                cost_per_contact=700.0,
                fixed_cost=40_000.0,
                selection=_SEL,
                to_wealth=True,
            ),
            CampaignEffect(
                "study_tour",
                "名校名企游学",
                "targeted",
                20_000.0,
                0.10,
                cost_per_contact=3_000.0,
                fixed_cost=20_000.0,
                selection=_SEL,
            ),
            CampaignEffect(
                "wellness",
                "高端养生活动",
                "targeted",
                20_000.0,
                0.08,
                cost_per_contact=1_500.0,
                fixed_cost=30_000.0,
                selection=_SEL,
                to_wealth=True,
            ),
            # kind `other`: the branch's festival theme day, named by its month
            # (七夕主题日 in August; 中秋/重阳/端午/新春 otherwise: sample.FESTIVAL_DAYS)
            CampaignEffect(
                "other",
                "七夕主题日",
                "targeted",
                10_000.0,
                0.05,
                cost_per_contact=300.0,
                fixed_cost=15_000.0,
                selection=_SEL,
            ),
        )
    }
)

#: Eligibility rules of the randomized kinds (on the customer at start).
ELIGIBILITY: Mapping[str, str] = _frozen(
    {
        "all": "every customer active at start",
        "vip": "vip_tier ≠ none and vip_since before start_date",
        "affluent_35plus": "segment affluent/high_net_worth or VIP, and age ≥ 35",
        "affluent": "segment affluent, high_net_worth or sme",
        "parents": "age 25–45",
    }
)


def campaign_effect(kind: str) -> CampaignEffect:
    """The planted effect of a campaign kind (KeyError for an unknown kind)."""
    return CAMPAIGN_EFFECTS[kind]


# ---------------------------------------------------------------------------
# Satisfaction survey


@dataclass(frozen=True)
class SatisfactionEffects:
    """overall_satisfaction = round(intercept + Σ weights[a] · perc_a + ε), ε ~ N(0, noise_sd²),

    clipped to 1–10 (the perceptions are kept in a range where clipping is
    rare), with the *written* integer perc_ values (a perc_ cell blanked as a
    null was still used). recommend = round(recommend_intercept + recommend_slope · overall +
    N(0, recommend_sd²)), clipped to 0–10. Perceptions sit below expectations
    on timeliness, staff attitude and convenience (the seed's low service
    perception) and above them on brand image: `cs_gap_shift` per attribute.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "service_quality": 0.30,
                "staff_attitude": 0.20,
                "convenience": 0.12,
                "timeliness": 0.22,
                "product_quality": 0.25,
                "fees_value": 0.10,
                "brand_image": 0.08,
                "digital_experience": 0.15,
            }
        )
    )
    intercept: float = -0.6
    noise_sd: float = 0.8
    recommend_intercept: float = 1.2
    recommend_slope: float = 0.95
    recommend_sd: float = 1.1
    cs_gap_shift: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "service_quality": -0.3,
                "staff_attitude": -0.6,
                "convenience": -0.5,
                "timeliness": -0.9,
                "product_quality": 0.0,
                "fees_value": -0.2,
                "brand_image": 0.4,
                "digital_experience": -0.1,
            }
        )
    )
    anonymous_share: float = 0.15
    null_share: float = 0.02  # of each exp_/perc_ cell

    def __post_init__(self) -> None:
        if tuple(self.weights) != ATTRIBUTES:
            raise ValueError("satisfaction weights must follow contract.ATTRIBUTES")


SATISFACTION = SatisfactionEffects()


# ---------------------------------------------------------------------------
# Bank choice (market survey)


@dataclass(frozen=True)
class ChoiceEffects:
    """Primary bank: a conditional (McFadden) logit on the written ratings.

    Each respondent rates the 3–5 banks they know; utility of bank j is
    Σ coefficients[a] · rating_a(j) + Gumbel noise, with no bank constants,
    and the bank of highest utility is the primary bank. Ratings blanked as
    nulls (`null_share` of cells) were still used in the choice.
    """

    coefficients: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "service_quality": 0.35,
                "staff_attitude": 0.25,
                "convenience": 0.45,
                "timeliness": 0.20,
                "product_quality": 0.30,
                "fees_value": 0.25,
                "brand_image": 0.40,
                "digital_experience": 0.30,
            }
        )
    )
    null_share: float = 0.01

    def __post_init__(self) -> None:
        if tuple(self.coefficients) != ATTRIBUTES:
            raise ValueError("choice coefficients must follow contract.ATTRIBUTES")


CHOICE = ChoiceEffects()


# ---------------------------------------------------------------------------
# Revenue and value


@dataclass(frozen=True)
class RevenueEffects:
    """Monthly revenue (net contribution), CNY:

        revenue = deposit_balance · deposit_margin / 12 + wealth_aum · wealth_fee / 12
                + loan_balance · loan_margin / 12 + fee_per_product · products_held
                − base_cost − txn_count · (digital_txn_cost if digital_active else counter_txn_cost)
                − heavy_cost (for the cost-heavy customers)
                − loan_balance · provision_rate / 12 (for borrowers in arrears)
                + N(0, noise_sd²)

    Balances are lognormal within segment and segments differ by orders of
    magnitude, so revenue concentrates: the top 20 % of customers make about
    80 % of the 12-month revenue. `heavy_share` of mass customers with small
    balances are counter-heavy (cash, passbook updates, bill payments at the
    counter): they lose money in most months, which with the low-balance
    tail makes 5–10 % of customers unprofitable over 12 months. Borrowers in
    arrears (`arrears_share` of loan holders, twice that among sme) cost a
    provision on their loan every month: few, but they lose the most, so the
    bottom 30 % of customers together lose money (the seed: the least
    profitable customers eat part of the profit of the best).
    """

    deposit_margin: float = 0.012
    wealth_fee: float = 0.006
    loan_margin: float = 0.012
    fee_per_product: float = 2.0
    base_cost: float = 6.0
    counter_txn_cost: float = 2.0
    digital_txn_cost: float = 0.3
    heavy_share: float = 0.06
    arrears_share: float = 0.06
    provision_rate: float = 0.06
    heavy_cost: float = 45.0
    noise_sd: float = 2.0
    # the marginals these produce (checked by tests/sample/test_sample.py)
    top20_share_range: tuple[float, float] = (0.70, 0.90)
    unprofitable_share_range: tuple[float, float] = (0.04, 0.12)


REVENUE = RevenueEffects()


# ---------------------------------------------------------------------------
# Market share


@dataclass(frozen=True)
class MarketShareEffects:
    """Quarterly deposit and loan shares: the home bank loses
    `home_deposit_share_drift` (share points per quarter, negative) to the
    city and rural commercial banks, who gain `challenger_share_drift` each
    (before renormalising); the city's totals grow `market_growth_q` per
    quarter."""

    home_deposit_share_drift: float = -0.0015
    challenger_share_drift: float = 0.0015
    market_growth_q: float = 0.018


MARKET_SHARE = MarketShareEffects()
