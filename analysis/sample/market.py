"""The city's market in the sample bank: quarterly market shares of every
bank in the city and the market survey's ratings and primary banks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.contract import ATTRIBUTES
from analysis.sample import planted as P
from analysis.sample.catalog import (
    AWARENESS,
    BANK_KIND,
    BANK_PROFILE,
    BASE_DEPOSIT_SHARE,
    BASE_LOAN_SHARE,
    BASE_OUTLETS,
    CITY_BANKS,
    CITY_DEPOSITS,
    HOME_BANK,
    HOME_PROFILE_SHIFT,
    NATIONAL_BANKS,
)
from analysis.sample.draws import (
    _Calendar,
    _ids,
    _iso,
)


def _market_tables(city: str, city_idx: int, cal: _Calendar, seed: int, respondents: int, prefix: str):
    rng = np.random.default_rng([seed, 10_000 + city_idx])
    banks = list(NATIONAL_BANKS + CITY_BANKS[city])
    B = len(banks)
    kinds = [BANK_KIND[b] for b in banks]

    # market_share: quarter ends, ≥ 8 of them, the last one ≤ as_of
    as_of = np.datetime64(int(cal.as_of), "D")
    last_q_month = as_of.astype("datetime64[M]")
    while (last_q_month.astype(int) % 12 + 1) % 3 != 0 or (last_q_month + 1).astype("datetime64[D]") - 1 > as_of:
        last_q_month -= 1
    nq = max(8, cal.T // 3)
    q_months = last_q_month - 3 * np.arange(nq)[::-1]
    periods = ((q_months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    M = P.MARKET_SHARE
    q = np.arange(nq)[:, None]
    rows = []
    for base, drift_home in (
        (BASE_DEPOSIT_SHARE, M.home_deposit_share_drift),
        (BASE_LOAN_SHARE, 0.7 * M.home_deposit_share_drift),
    ):
        s0 = np.array([base.get(b, 0.06) for b in banks]) * np.exp(0.15 * rng.standard_normal(B))
        s0 = s0 / s0.sum()
        drift = np.array(
            [
                drift_home if b == HOME_BANK else (M.challenger_share_drift if k in ("city", "rural") else -0.0005)
                for b, k in zip(banks, kinds)
            ]
        )
        s = np.clip(s0[None, :] + drift[None, :] * q + 0.002 * rng.standard_normal((nq, B)), 0.002, None)
        rows.append(s / s.sum(axis=1, keepdims=True))
    dep_total = CITY_DEPOSITS.get(city, 2.5e11) * (1 + M.market_growth_q) ** np.arange(nq)
    loan_total = 0.78 * dep_total * (1 + 0.004 * np.arange(nq))
    outlets0 = np.array([BASE_OUTLETS[k] for k in kinds]) * np.exp(0.2 * rng.standard_normal(B))
    share_rows = []
    for qi in range(nq):
        for bi, b in enumerate(banks):
            out_n = (
                None
                if b == "四川银行"
                else int(round(outlets0[bi] * (1 + (0.01 if kinds[bi] in ("city", "rural") else -0.01) * qi)))
            )
            share_rows.append(
                {
                    "city": city,
                    "bank": b,
                    "period": periods[qi],
                    "deposits": round(float(rows[0][qi, bi] * dep_total[qi]), -4),
                    "loans": round(float(rows[1][qi, bi] * loan_total[qi]), -4),
                    "outlets": out_n,
                }
            )
    share = pd.DataFrame(share_rows)
    share["period"] = _iso(share["period"].to_numpy())
    share["outlets"] = pd.array(share["outlets"], dtype="Int64")

    # market_survey: respondents rate the 3–5 banks they know
    R = respondents
    aw = np.log(np.array([AWARENESS[k] for k in kinds]))
    keys = aw[None, :] + rng.gumbel(size=(R, B))
    k_known = rng.integers(3, 6, R).clip(max=B)
    rank = np.argsort(-keys, axis=1)
    known = np.zeros((R, B), dtype=bool)
    for r_k in range(5):
        m = k_known > r_k
        known[np.flatnonzero(m), rank[m, r_k]] = True
    prof = np.array([BANK_PROFILE[k] for k in kinds], dtype=float)
    home = banks.index(HOME_BANK)
    prof[home] += np.array(HOME_PROFILE_SHIFT)
    prof += 0.25 * rng.standard_normal(prof.shape)
    A = len(ATTRIBUTES)
    lat = (
        prof[None, :, :]
        + 0.5 * rng.standard_normal((R, 1, 1))
        + 0.4 * rng.standard_normal((R, B, 1))
        + 0.8 * rng.standard_normal((R, B, A))
    )
    ratings = np.clip(np.round(lat), 1, 7).astype(np.int64)
    beta = np.array([P.CHOICE.coefficients[a] for a in ATTRIBUTES])
    util = ratings @ beta + rng.gumbel(size=(R, B))
    util = np.where(known, util, -np.inf)
    primary = np.argmax(util, axis=1)
    r_idx, b_idx = np.nonzero(known)
    waves = np.array([cal.idx(14), cal.idx(2)])
    wave = rng.integers(0, 2, R)
    day = cal.ms[waves[wave]] + rng.integers(0, 25, R)
    survey = pd.DataFrame(
        {
            "respondent_id": _ids(f"{prefix}R", R, 5)[r_idx],
            "city": city,
            "survey_date": _iso(day[r_idx]),
            "bank": np.array(banks, dtype=object)[b_idx],
            "primary_bank": primary[r_idx] == b_idx,
        }
    )
    for j, a in enumerate(ATTRIBUTES):
        col = pd.array(ratings[r_idx, b_idx, j], dtype="Int64")
        col[rng.random(r_idx.size) < P.CHOICE.null_share] = pd.NA
        survey[f"rating_{a}"] = col
    return share, survey
