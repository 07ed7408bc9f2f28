"""Campaigns of the sample bank: the schedule (months counted back from M),
the placement of each branch's eight campaigns, and each campaign's
participants, responses and planted balance effect. A mixin of the
generator's branch (`generate._Branch`)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from analysis.data.contract import SEGMENTS
from analysis.sample import planted as P
from analysis.sample.draws import (
    _expit,
    _solve_intercept,
)

# ---------------------------------------------------------------------------
# Campaign schedule, in months counted back from M (k = month M−k).
#
# A campaign's balance change runs from month start−1 to month end+3, and its
# effect enters from month `end` on. Rules (see the module docstring):
# no campaign's end month falls in months start … end+3 of a targeted
# campaign; campaigns that start before t0 (M−11) have end+3 ≤ M−12; the
# others start in M−11 or later and have end+3 ≤ M.

#: randomized campaigns: (start k, end k), fixed
RANDOMIZED_SLOTS: tuple[tuple[int, int], ...] = ((22, 18), (20, 18), (11, 10), (10, 10))
#: targeted one- or two-day events: the months each may fall on (k), defaults first
TARGETED_SLOTS: tuple[tuple[int, ...], ...] = (
    (22, 23, 24, 25, 26, 27, 28),
    (17, 16, 15),
    (9, 8, 7, 6),
    (4, 3, 5, 6, 7, 8, 9),
)
#: the festival theme days of kind `other`, by calendar month
FESTIVAL_DAYS = {8: "七夕主题日", 9: "中秋主题日", 10: "重阳敬老主题日", 6: "端午主题日", 2: "新春客户联谊会"}
FESTIVAL_PREFERENCE = {8: 1.5}  # the seed's 七夕 first; other festivals score 1
RANDOMIZED_ROTATION = ("health_check", "salon", "green_channel", "magazine", "parenting_lecture")
TARGETED_ROTATION = ("wine_tasting", "art_appreciation", "wellness", "study_tour")


class Campaigns:
    """The campaigns of one branch: planned, then run."""

    # -- campaigns --------------------------------------------------------
    def plan_campaigns(self, bidx: int) -> list[tuple[str, int, int, str, str]]:
        """(design, start index, end index, kind, name) of the branch's campaigns,
        in order of start. Targeted events are placed, within their allowed
        months, on a year-end month (the gala) and a festival month (a theme
        day of kind `other`) when the calendar allows."""
        cal = self.cal
        ends = [e for _, e in RANDOMIZED_SLOTS]
        # every month must exist from start−7 (the balance_trend of the
        # driver features at start) when it can; else from start−1
        cands = []
        for ks in TARGETED_SLOTS:
            full = tuple(k for k in ks if k + 7 <= cal.T - 1)
            cands.append(full or tuple(k for k in ks if k + 1 <= cal.T - 1)[:1])

        def month(k: int) -> int:
            return int(cal.cal_month[cal.idx(k)])

        def assign(ks: tuple[int, ...]) -> tuple[float, list[str]]:
            kinds = [""] * len(ks)
            score = 0.0
            gala = [j for j, k in enumerate(ks) if month(k) in (12, 1)]
            if gala:
                kinds[gala[0]] = "year_end_gala"
                score += 2.0
            fest = [j for j, k in enumerate(ks) if not kinds[j] and month(k) in FESTIVAL_DAYS]
            if fest:
                best = max(fest, key=lambda j: FESTIVAL_PREFERENCE.get(month(ks[j]), 1.0))
                kinds[best] = "other"
                score += FESTIVAL_PREFERENCE.get(month(ks[best]), 1.0)
            return score, kinds

        best: tuple[float, tuple[int, ...], list[str]] | None = None
        for ks in itertools.product(*cands):
            ok = all(
                not (k - 3 <= e <= k)
                for j, k in enumerate(ks)
                for e in ends + [k2 for j2, k2 in enumerate(ks) if j2 != j]
            )
            if not ok:
                continue
            score, kinds = assign(ks)
            score -= 0.01 * sum(c.index(k) for c, k in zip(cands, ks))  # nearer the defaults
            if best is None or score > best[0]:
                best = (score, ks, kinds)
        assert best is not None, "no campaign schedule satisfies the rules"
        _, t_ks, t_kinds = best

        slots = [("randomized", s, e) for s, e in RANDOMIZED_SLOTS] + [("targeted", k, k) for k in t_ks]
        slots.sort(key=lambda x: (-x[1], -x[2]))
        out = []
        r_ptr, t_ptr = bidx, bidx
        t_kind_of = dict(zip(t_ks, t_kinds))
        for design, ks, ke in slots:
            s_idx, e_idx = cal.idx(ks), cal.idx(ke)
            if design == "randomized":
                if ks - ke >= 4:
                    kind = "birthday_greeting"
                else:
                    kind = RANDOMIZED_ROTATION[r_ptr % len(RANDOMIZED_ROTATION)]
                    r_ptr += 1
            else:
                kind = t_kind_of[ks] or TARGETED_ROTATION[t_ptr % len(TARGETED_ROTATION)]
                if not t_kind_of[ks]:
                    t_ptr += 1
            name = FESTIVAL_DAYS[month(ke)] if kind == "other" else P.campaign_effect(kind).name
            out.append((design, s_idx, e_idx, kind, name))
        return out

    def run_campaign(self, j: int, design: str, s_idx: int, e_idx: int, kind: str, name: str) -> None:
        cal, rng, n = self.cal, self.rng, self.n
        eff = P.campaign_effect(kind)
        assert eff.design == design, (kind, design)
        ms = cal.ms
        if design == "targeted":  # a one- or two-day event
            start = int(ms[s_idx]) + int(rng.integers(7, 24))
            end = start + int(rng.integers(0, 2))
        else:
            start = int(ms[s_idx]) + int(rng.integers(0, 10))
            end = int(ms[e_idx]) + int(rng.integers(14, 27))
        pre = s_idx - 1
        ref = int(ms[s_idx])
        active = (~self.pre_closed) & (self.open_idx <= pre) & (self.open_d < ms[pre + 1]) & (self.close_d >= start)
        age = int(cal.cal_year[s_idx]) - self.birth_year
        vip_now = self.vip_since < start
        rule = eff.eligibility
        if design == "randomized":
            if rule == "vip":
                elig = vip_now
            elif rule == "affluent_35plus":
                elig = ((self.segment == 1) | (self.segment == 2) | vip_now) & (age >= 35)
            elif rule == "affluent":
                elig = self.segment > 0
            elif rule == "parents":
                elig = (age >= 25) & (age <= 45)
            else:
                elig = np.ones(n, dtype=bool)
            pool = np.flatnonzero(active & elig)
            cap = max(300, int(0.25 * n))
            if pool.size > cap:
                pool = np.sort(rng.choice(pool, cap, replace=False))
            if pool.size < 10:
                return
            control = rng.random(pool.size) < eff.control_share
            participated = ~control & (rng.random(pool.size) < eff.participation_rate)
            group = np.where(control, "control", "treatment")
            n_paid = int((~control).sum())
        else:
            pool_all = np.flatnonzero(active)
            if pool_all.size < 30:
                return
            sel = eff.selection
            d, w = self.balances_at(pre)
            ltb = np.log1p(d + w)[pool_all]
            z = (ltb - ltb.mean()) / (ltb.std() or 1.0)
            prod = self.products[pool_all, pre].astype(float)
            lp = (
                sel.balance * z
                + sel.vip * (self.vip_since[pool_all] < ref)
                + sel.products * (prod - prod.mean())
                + sel.digital * self.digital[pool_all, pre]
            )
            for s_i, s in enumerate(SEGMENTS[1:], start=1):
                lp = lp + sel.segment.get(s, 0.0) * (self.segment[pool_all] == s_i)
            a = _solve_intercept(lp, sel.invite_share)
            invited = rng.random(pool_all.size) < _expit(a + lp)
            pool = pool_all[invited]
            if pool.size < 5:
                return
            participated = rng.random(pool.size) < sel.take_up
            group = np.full(pool.size, "treatment")
            n_paid = int(participated.sum())
        # balance effect from the month of end_date on
        part = pool[participated]
        if eff.balance_effect:
            target = self.wealth_add if eff.to_wealth else self.dep_add
            target[part, e_idx:] += eff.balance_effect
        # responses
        p_resp = eff.response_base + eff.response_uplift * participated
        responded = rng.random(pool.size) < p_resp
        d, w = self.balances_at(pre)
        scale = np.clip(((d + w)[pool] / 100_000.0) ** 0.3, 0.3, 5.0)
        value = np.round(np.exp(np.log(eff.response_value_median * scale) + 0.8 * rng.standard_normal(pool.size)), 2)
        cid = f"{self.info.prefix}-C{j + 1:02d}"
        cost = eff.fixed_cost + eff.cost_per_contact * n_paid
        cost = float(np.round(cost * rng.uniform(0.9, 1.1), -2))
        year = int(cal.cal_year[s_idx])
        self.campaigns.append(
            {
                "campaign_id": cid,
                "branch_id": self.info.branch_id,
                "name": f"{year}年{name}",
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "cost": cost,
                "design": design,
            }
        )
        self.contacts.append(
            pd.DataFrame(
                {
                    "campaign_id": cid,
                    "customer_id": self.cust_ids[pool],
                    "group": group,
                    "participated": participated,
                    "responded": responded,
                    "response_value": np.where(responded, value, np.nan),
                }
            )
        )
