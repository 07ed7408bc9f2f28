"""The sample bank's tables of one branch, in the contract's columns:
customers, relationship managers, monthly snapshots, transactions,
interactions, surveys, campaigns and their contacts. A mixin of the
generator's branch (`generate._Branch`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.data.contract import (
    AREAS,
    ATTRIBUTES,
    GENDERS,
    INTERACTION_CATEGORIES,
    INTERACTION_CHANNELS,
    INTERACTION_TYPES,
    RM_GRADES,
    SEGMENTS,
    TABLES,
    TXN_CATEGORIES,
    TXN_CHANNELS,
    TXN_DIRECTIONS,
    VIP_TIERS,
)
from analysis.sample import planted as P
from analysis.sample.catalog import (
    BANK_KIND,
    HOME_BANK,
)
from analysis.sample.draws import (
    FAR,
    _arrow_ids,
    _choice,
    _day,
    _ids,
    _iso,
)


class Tables:
    """The written tables of one simulated branch."""

    # -- tables -----------------------------------------------------------
    def customers_table(self) -> pd.DataFrame:
        rng, n = self.rng_tables, self.n
        closed = self.close_d < FAR
        reasons = _choice(rng, n, list(P.CLOSE_REASON_WEIGHTS.values()))
        names = list(P.CLOSE_REASON_WEIGHTS)
        ix = self.ix
        comp = ix["type"] == 0
        late = comp & ((ix["resolved"] >= FAR) | (ix["resolved"] - ix["day"] > 30))
        any_late = np.bincount(ix["cust"][late], minlength=n) > 0
        any_fee = np.bincount(ix["cust"][comp & (ix["cat"] == 2)], minlength=n) > 0
        age = self.cal.as_of_year - self.birth_year
        u = rng.random(n)
        reasons = np.where(any_late & (u < 0.5), names.index("service_quality"), reasons)
        reasons = np.where(~any_late & any_fee & (u < 0.4), names.index("fees"), reasons)
        reasons = np.where((age >= 75) & (u > 0.75), names.index("deceased"), reasons)
        reasons = np.where((self.area == 2) & (reasons == names.index("other")), names.index("convenience"), reasons)
        reason = np.array(names, dtype=object)[reasons]
        reason[~closed] = None
        comp_banks = [b for b in self.city_banks if b != HOME_BANK]
        wts = np.array([P.DESTINATION_WEIGHTS[BANK_KIND[b]] for b in comp_banks])
        dest = np.array(comp_banks, dtype=object)[_choice(rng, n, wts)]
        unknown = (~closed) | np.isin(reason, ["relocation", "deceased"]) | (rng.random(n) < 0.15)
        dest[unknown] = None
        rm_ids = np.array([f"{self.info.branch_id}-rm{k + 1:02d}" for k in range(self.n_rm)], dtype=object)
        rm = np.where(self.rm_idx >= 0, rm_ids[np.clip(self.rm_idx, 0, None)], None)
        return pd.DataFrame(
            {
                "customer_id": self.cust_ids,
                "branch_id": self.info.branch_id,
                "open_date": _iso(self.open_d),
                "close_date": _iso(self.close_d),
                "close_reason": reason,
                "destination_bank": dest,
                "birth_year": self.birth_year,
                "gender": np.array(GENDERS, dtype=object)[self.gender],
                "area": np.array(AREAS, dtype=object)[self.area],
                "segment": np.array(SEGMENTS, dtype=object)[self.segment],
                "vip_tier": np.array(VIP_TIERS, dtype=object)[self.tier],
                "vip_since": _iso(self.vip_since),
                "rm_id": rm,
            }
        )

    def rm_table(self) -> pd.DataFrame:
        rng, k = self.rng_tables, self.n_rm
        grade = np.where(np.arange(k) < max(1, k // 5), 2, np.where(np.arange(k) < max(2, k // 2), 1, 0))
        hire = _day("2006-01-01") + (rng.random(k) * (self.cal.as_of - 180 - _day("2006-01-01"))).astype(np.int64)
        hire = np.sort(hire)  # the principals are the longest-serving
        return pd.DataFrame(
            {
                "rm_id": [f"{self.info.branch_id}-rm{i + 1:02d}" for i in range(k)],
                "branch_id": self.info.branch_id,
                "hire_date": _iso(hire),
                "grade": np.array(RM_GRADES, dtype=object)[grade],
            }
        )

    def snapshot_arrays(self) -> dict:
        """The written monthly values and the relationship's coverage."""
        cal, rng, n, T = self.cal, self.rng_snap, self.n, self.cal.T
        ms = cal.ms
        close_idx = np.where(self.close_d < FAR, cal.month_idx(np.minimum(self.close_d, cal.as_of)), T - 1)
        t = np.arange(T)
        covered = (
            (~self.pre_closed)[:, None] & (t[None, :] >= self.open_idx[:, None]) & (t[None, :] <= close_idx[:, None])
        )
        # days of each month inside [open_date, close_date): transactions fall there
        s0 = np.maximum(ms[None, :T], self.open_d[:, None])
        s1 = np.minimum(ms[None, 1:], self.close_d[:, None])
        ndays = np.where(covered, (s1 - s0).clip(0), 0)
        frac = ndays / (ms[1:] - ms[:T])[None, :]
        lam = self.txn_rate[:, None] * (1.0 + 0.4 * self.digital) * frac
        txn = rng.poisson(lam)
        dep = np.round(self.dep_base + self.dep_add, 2)
        wealth = np.round(self.wealth_base + self.wealth_add, 2)
        R = P.REVENUE
        unit = np.where(self.digital, R.digital_txn_cost, R.counter_txn_cost)
        revenue = (
            dep * R.deposit_margin / 12
            + wealth * R.wealth_fee / 12
            + self.loan * R.loan_margin / 12
            + R.fee_per_product * self.products
            - R.base_cost
            - txn * unit
            - R.heavy_cost * self.heavy[:, None] * rng.uniform(0.6, 1.4, (n, T))
            - self.loan * R.provision_rate / 12 * self.arrears[:, None]
            + R.noise_sd * rng.standard_normal((n, T))
        )
        return {
            "covered": covered,
            "s0": s0,
            "ndays": ndays,
            "txn": txn,
            "dep": dep,
            "wealth": wealth,
            "revenue": np.round(revenue, 2),
        }

    def snapshots_table(self, arr: dict) -> pa.Table:
        covered = arr["covered"]
        i, t = np.nonzero(covered)
        ids = pa.array(self.cust_ids)
        months = self.cal.ms[t].astype("datetime64[D]")
        return pa.table(
            {
                "customer_id": ids.take(pa.array(i)),
                "month": pa.array(months, type=pa.date32()),
                "deposit_balance": pa.array(arr["dep"][i, t]),
                "loan_balance": pa.array(self.loan[i, t]),
                "wealth_aum": pa.array(arr["wealth"][i, t]),
                "products_held": pa.array(self.products[i, t], type=pa.int64()),
                "txn_count": pa.array(arr["txn"][i, t], type=pa.int64()),
                "digital_active": pa.array(self.digital[i, t]),
                "revenue": pa.array(arr["revenue"][i, t]),
            }
        )

    def transactions_table(self, arr: dict) -> pa.Table:
        rng, T = self.rng_txn, self.cal.T
        txn = arr["txn"]
        flat = np.flatnonzero(txn)
        cnt = txn.ravel()[flat]
        cell = np.repeat(flat, cnt)
        m = cell.size
        i, t = cell // T, cell % T
        # a day inside the relationship's part of the month, 07:00–22:00;
        # rows in time order within each customer
        day = (rng.random(m) * arr["ndays"][i, t]).astype(np.int64)
        offset = day * 86_400 + 25_200 + (rng.random(m) * 54_000).astype(np.int64)
        order = np.argsort(cell.astype(np.int64) * (1 << 32) + offset)
        cell, i, t, offset = cell[order], i[order], t[order], offset[order]
        ts = (arr["s0"][i, t] * 86_400 + offset) * 1_000_000
        dig = self.digital[i, t]
        cat = _choice(rng, m, (0.25, 0.32, 0.14, 0.04, 0.04, 0.06, 0.15))
        C = {c: k for k, c in enumerate(TXN_CATEGORIES)}
        cat = np.where((cat == C["loan_repayment"]) & ~self.loan_holder[i], C["payment"], cat)
        cat = np.where((cat == C["wealth_purchase"]) & ~self.wealth_holder[i], C["transfer"], cat)
        # channel probabilities (counter, atm, mobile, online, pos) by category, digital vs not
        ch_dig = {
            "transfer": (0.15, 0.10, 0.60, 0.15, 0.0),
            "payment": (0.0, 0.0, 0.50, 0.05, 0.45),
            "cash": (0.25, 0.75, 0.0, 0.0, 0.0),
            "wealth_purchase": (0.20, 0.0, 0.60, 0.20, 0.0),
            "loan_repayment": (0.20, 0.0, 0.30, 0.50, 0.0),
            "fee": (0.30, 0.0, 0.30, 0.40, 0.0),
            "salary": (0.0, 0.0, 0.0, 1.0, 0.0),
        }
        ch_off = {
            "transfer": (0.60, 0.40, 0.0, 0.0, 0.0),
            "payment": (0.15, 0.0, 0.0, 0.0, 0.85),
            "cash": (0.40, 0.60, 0.0, 0.0, 0.0),
            "wealth_purchase": (1.0, 0.0, 0.0, 0.0, 0.0),
            "loan_repayment": (1.0, 0.0, 0.0, 0.0, 0.0),
            "fee": (0.70, 0.0, 0.0, 0.0, 0.30),
            "salary": (0.0, 0.0, 0.0, 1.0, 0.0),
        }
        # cumulative channel probabilities per (category, digital): draw by inverse CDF
        cum = np.array([[np.cumsum(ch_off[c]), np.cumsum(ch_dig[c])] for c in TXN_CATEGORIES])
        cum /= cum[:, :, -1:]
        key = cat * 2 + dig
        flat_cum = cum.reshape(-1, len(TXN_CHANNELS))
        u = rng.random(m)
        chan = np.zeros(m, dtype=np.int64)
        for k in range(len(TXN_CHANNELS) - 1):
            chan += u >= flat_cum[key, k]
        credit = np.where(
            cat == C["salary"],
            True,
            np.where(cat == C["transfer"], rng.random(m) < 0.5, np.where(cat == C["cash"], rng.random(m) < 0.3, False)),
        )
        median = np.array([2_000.0, 300.0, 1_000.0, 50_000.0, 3_000.0, 15.0, 6_000.0])[cat]
        level = (self.dep_base[i, t] + self.wealth_base[i, t]) / 50_000.0
        scale = np.where(cat == C["fee"], 1.0, np.clip(level, 1e-6, None) ** 0.3).clip(0.3, 6.0)
        sd = np.where(cat == C["fee"], 0.5, 0.9)
        amount = np.maximum(np.round(median * scale * np.exp(sd * rng.standard_normal(m)), 2), 0.01)
        width = max(9, len(str(m)))
        return pa.table(
            {
                "txn_id": _arrow_ids(f"{self.info.prefix}T", m, width),
                "customer_id": pa.array(self.cust_ids).take(pa.array(i)),
                "ts": pa.array(ts, type=pa.timestamp("us")),
                "amount": pa.array(amount),
                "direction": pa.array(list(TXN_DIRECTIONS)).take(pa.array(np.where(credit, 0, 1))),
                "channel": pa.array(list(TXN_CHANNELS)).take(pa.array(chan)),
                "category": pa.array(list(TXN_CATEGORIES)).take(pa.array(cat)),
            }
        )

    def interactions_table(self) -> pd.DataFrame:
        ix = self.ix
        order = np.lexsort((ix["day"], ix["cust"]))
        ix = {k: v[order] for k, v in ix.items()}
        m = ix["cust"].size
        score = pd.array(np.where(ix["score"] > 0, ix["score"], 0), dtype="Int64")
        score[ix["score"] == 0] = pd.NA
        return pd.DataFrame(
            {
                "interaction_id": _ids(f"{self.info.prefix}I", m, max(8, len(str(m)))),
                "customer_id": self.cust_ids[ix["cust"]],
                "date": _iso(ix["day"]),
                "type": np.array(INTERACTION_TYPES, dtype=object)[ix["type"]],
                "category": np.array(INTERACTION_CATEGORIES, dtype=object)[ix["cat"]],
                "channel": np.array(INTERACTION_CHANNELS, dtype=object)[ix["chan"]],
                "resolved_date": _iso(ix["resolved"]),
                "resolution_score": score,
            }
        )

    def surveys_table(self) -> pd.DataFrame:
        cal, rng, n = self.cal, self.rng_tables, self.n
        S = P.SATISFACTION
        ix = self.ix
        n_comp = np.bincount(ix["cust"][ix["type"] == 0], minlength=n)
        frames = []
        shift = np.array([S.cs_gap_shift[a] for a in ATTRIBUTES])
        w = np.array([S.weights[a] for a in ATTRIBUTES])
        for t in range(cal.T):
            if cal.cal_month[t] not in (2, 5, 8, 11):
                continue
            day = int(cal.ms[t]) + int(rng.integers(4, 25))
            active = np.flatnonzero(~self.pre_closed & (self.open_d <= day) & (self.close_d >= day))
            k = int(np.clip(round(0.04 * active.size), 30, 600))
            if active.size < k:
                continue
            who = np.sort(rng.choice(active, k, replace=False))
            person = 0.5 * rng.standard_normal(k)
            exp_lat = 5.2 + person[:, None] + 0.7 * rng.standard_normal((k, len(ATTRIBUTES)))
            tilt = 0.4 * rng.standard_normal(k) - 0.3 * np.minimum(n_comp[who], 3)
            perc_lat = exp_lat + shift[None, :] + tilt[:, None] + 0.9 * rng.standard_normal((k, len(ATTRIBUTES)))
            exp_ = np.clip(np.round(exp_lat), 1, 7).astype(np.int64)
            perc = np.clip(np.round(perc_lat), 1, 7).astype(np.int64)
            overall = np.clip(np.round(S.intercept + perc @ w + S.noise_sd * rng.standard_normal(k)), 1, 10).astype(
                np.int64
            )
            rec = np.clip(
                np.round(S.recommend_intercept + S.recommend_slope * overall + S.recommend_sd * rng.standard_normal(k)),
                0,
                10,
            ).astype(np.int64)
            f = pd.DataFrame({"customer_id": self.cust_ids[who].astype(object), "survey_date": _iso(np.full(k, day))})
            for j, a in enumerate(ATTRIBUTES):
                f[f"exp_{a}"] = pd.array(exp_[:, j], dtype="Int64")
            for j, a in enumerate(ATTRIBUTES):
                f[f"perc_{a}"] = pd.array(perc[:, j], dtype="Int64")
            for col in [f"exp_{a}" for a in ATTRIBUTES] + [f"perc_{a}" for a in ATTRIBUTES]:
                f.loc[rng.random(k) < S.null_share, col] = pd.NA
            f["overall_satisfaction"] = overall
            f["recommend"] = rec
            f.loc[rng.random(k) < S.anonymous_share, "customer_id"] = None
            frames.append(f)
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TABLES["surveys"].column_names)
        out.insert(0, "response_id", _ids(f"{self.info.prefix}S", len(out), 6))
        out.insert(2, "branch_id", self.info.branch_id)
        return out[list(TABLES["surveys"].column_names)]

    def campaigns_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        cols = TABLES["campaigns"].column_names
        if not self.campaigns:
            return pd.DataFrame(columns=cols), pd.DataFrame(columns=TABLES["campaign_contacts"].column_names)
        camp = pd.DataFrame(self.campaigns).sort_values("campaign_id").reset_index(drop=True)
        camp["start_date"] = _iso(camp["start_date"].to_numpy())
        camp["end_date"] = _iso(camp["end_date"].to_numpy())
        contacts = pd.concat(self.contacts, ignore_index=True)
        contacts = contacts.sort_values(["campaign_id", "customer_id"], kind="stable").reset_index(drop=True)
        return camp[list(cols)], contacts
