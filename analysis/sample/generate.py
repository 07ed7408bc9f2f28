"""The sample bank: a data folder in the contract's shape, with planted effects.

    from analysis.sample import generate
    summary = generate(Path("data/sample"), branches=3, customers=3000, seed=0)

writes, for the first `branches` branches of `BRANCH_CATALOG` (建行眉山分行
first), every table of shared/contract/DATA.md:

* `monthly_snapshots/` and `transactions/`: Parquet folders Hive-partitioned
  by branch (`monthly_snapshots/branch_id=meishan/part-0.parquet`), dates
  and timestamps as Parquet date/timestamp types;
* every other table as one UTF-8 CSV, dates as ISO strings.

Everything is drawn from one `numpy.random.Generator` per branch (and per
city for the market tables), seeded from `seed` and the branch's position,
so the output is a function of the arguments only, and branch k's data do
not depend on how many branches are generated.

The generator's jobs, one module each: `catalog` (branches, cities, their
banks), `draws` (random draws, dates, ids, the calendar), `people`
(customers, balances, products, interactions), `churn` (closures before t0
and churn in the window), `campaigns` (schedule, placement, participants),
`tables` (one branch's tables in the contract's columns), `market` (the
city's market share and survey); this module joins them into one branch,
runs the branches and writes the files.

The effects an analysis must find are planted by the models of
`analysis.sample.planted` and by nothing else; see that module for their values.
How the generator keeps them recoverable:

* Churn: the customer base and its history are simulated up to t0 first
  (balances, products, digital activity, complaints, campaigns that end
  before t0, closures before t0 by a plain hazard), the churn drivers are
  computed on exactly the values that are written (rounded balances of the
  M−12 and M−18 snapshots, complaints of the written interactions), and
  churn in the window is drawn from `planted.CHURN`'s logistic model.
  Nothing written later changes a feature at t0.
* Campaigns: eight per branch at months relative to M: four randomized at
  fixed months, four targeted one- or two-day events placed within allowed
  months (on a year-end month for the gala and a festival month for a theme
  day when the calendar allows). A campaign's balance effect is added to its
  participants' balances from the month of end_date on, for good. The
  months are placed so that no campaign's end month falls between the
  month before start and the month end+3 of a targeted campaign (whose ATT
  would otherwise absorb another campaign's effect), campaigns that start
  before t0 measure their outcome no later than M−12 (before any churn in
  the window), and campaigns in the window start in month M−11 or later (so
  that their effects never touch a churn feature, and their selection can
  see who has churned). Churn never depends on taking part in a campaign.
* Surveys and the market survey: outcomes are computed from the integer
  ratings as written.

Balances (deposits + wealth) follow, per customer, a lognormal level by
segment, a monthly growth rate, occasional episodes of money moving out (or
in) over several months, monthly noise, and for VIPs a steady inflow in CNY
per month that grows with the tier. Rich customers' deviations are damped
(large balances sit in term deposits), so that balance changes in CNY are
not dominated by a few very large accounts; VIPs' growth is what makes a
targeted campaign's naive comparison several times its true effect.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.data.contract import TABLES
from analysis.sample import planted as P
from analysis.sample.campaigns import Campaigns
from analysis.sample.catalog import (
    BANK_KIND,
    BRANCH_CATALOG,
    CITY_BANKS,
    HOME_BANK,
    NATIONAL_BANKS,
    BranchInfo,
    branch_catalog,
)
from analysis.sample.churn import Closures
from analysis.sample.draws import (
    FAR,
    _Calendar,
    _ids,
)
from analysis.sample.market import _market_tables
from analysis.sample.people import People
from analysis.sample.tables import Tables

__all__ = ["BANK_KIND", "BRANCH_CATALOG", "HOME_BANK", "BranchInfo", "branch_catalog", "generate"]

PARTITIONED = ("monthly_snapshots", "transactions")


# ---------------------------------------------------------------------------
# one branch: its jobs are the mixins People, Closures, Campaigns and Tables


class _Branch(People, Closures, Campaigns, Tables):
    """Simulates one branch; every array is indexed by customer (n) and month (T)."""

    def __init__(self, info: BranchInfo, n: int, cal: _Calendar, seed_seq: np.random.SeedSequence):
        # one stream for the simulation and one per table written after it,
        # so that a change in how one table is drawn leaves the others alone
        sim, snap, txn, tables = (np.random.default_rng(s) for s in seed_seq.spawn(4))
        self.info, self.n, self.cal, self.rng = info, n, cal, sim
        self.rng_snap, self.rng_txn, self.rng_tables = snap, txn, tables
        self.city_banks = NATIONAL_BANKS + CITY_BANKS[info.city]
        self.campaigns: list[dict] = []
        self.contacts: list[pd.DataFrame] = []

    # -- the whole branch -------------------------------------------------
    def simulate(self, bidx: int) -> None:
        cal = self.cal
        self.customers()
        self.cust_ids = _ids(self.info.prefix, self.n, max(6, len(str(self.n))))
        self.paths()
        self.interactions()
        self.close_before_t0()
        plan = self.plan_campaigns(bidx)
        for j, (design, s_idx, e_idx, kind, name) in enumerate(plan):
            if s_idx < cal.t0_idx:
                self.run_campaign(j, design, s_idx, e_idx, kind, name)
        self.churn_in_window()
        for j, (design, s_idx, e_idx, kind, name) in enumerate(plan):
            if s_idx >= cal.t0_idx:
                self.run_campaign(j, design, s_idx, e_idx, kind, name)
        # a VIP who left: vip_since no later than the close (changes no feature:
        # such a vip_since stays on or after t0 and after every start it was
        # compared with)
        self.vip_since = np.where(self.tier > 0, np.minimum(self.vip_since, self.close_d), FAR)


# ---------------------------------------------------------------------------
# writing


def _write_parquet(table: pa.Table, folder: Path, branch_id: str) -> Path:
    part = folder / f"branch_id={branch_id}"
    part.mkdir(parents=True, exist_ok=True)
    path = part / "part-0.parquet"
    pq.write_table(table, path, compression="snappy")
    return path


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8")


def _branch_job(
    out_dir: Path, info: BranchInfo, bidx: int, customers: int, seed: int, months: int, end_month: str
) -> dict:
    """Simulate one branch, write its Parquet partitions and return its CSV rows.

    A function of its arguments only (the branch's own random streams), so
    branches can run in any process and in any order.
    """
    cal = _Calendar(months, end_month)
    br = _Branch(info, customers, cal, np.random.SeedSequence([seed, bidx]))
    br.simulate(bidx)
    rows = {}
    arr = br.snapshot_arrays()
    snap = br.snapshots_table(arr)
    _write_parquet(snap, out_dir / "monthly_snapshots", info.branch_id)
    rows["monthly_snapshots"] = snap.num_rows
    del snap
    txn = br.transactions_table(arr)
    _write_parquet(txn, out_dir / "transactions", info.branch_id)
    rows["transactions"] = txn.num_rows
    del arr, txn
    camp, contacts = br.campaigns_tables()
    parts = {
        "customers": br.customers_table(),
        "relationship_managers": br.rm_table(),
        "interactions": br.interactions_table(),
        "surveys": br.surveys_table(),
        "campaigns": camp,
        "campaign_contacts": contacts,
        "branches": pd.DataFrame(
            [{"branch_id": info.branch_id, "branch_name": info.branch_name, "city": info.city, "home_bank": HOME_BANK}]
        ),
    }
    # CSV text is made here, in the branch's process: the parent only joins it.
    csv = {name: df[list(TABLES[name].column_names)].to_csv(index=False, header=False) for name, df in parts.items()}
    campaigns = []
    for c in camp.itertuples(index=False):
        e = P.campaign_effect(c.kind)
        campaigns.append(
            {
                "campaign_id": c.campaign_id,
                "branch_id": c.branch_id,
                "kind": c.kind,
                "design": c.design,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "balance_effect_per_participant": e.balance_effect,
                "itt_balance": e.itt_balance if c.design == "randomized" else None,
                "response_ate": e.response_ate if c.design == "randomized" else None,
                "att_balance": e.att_balance,
            }
        )
    return {
        "csv": csv,
        "csv_rows": {name: len(df) for name, df in parts.items()},
        "rows": rows,
        "campaigns": campaigns,
        "intercept": float(br.churn_intercept),
    }


def _market_job(
    city: str, city_idx: int, months: int, end_month: str, seed: int, respondents: int, prefix: str
) -> dict:
    share, survey = _market_tables(city, city_idx, _Calendar(months, end_month), seed, respondents, prefix)
    parts = {"market_share": share, "market_survey": survey}
    return {
        "csv": {n: df[list(TABLES[n].column_names)].to_csv(index=False, header=False) for n, df in parts.items()},
        "csv_rows": {n: len(df) for n, df in parts.items()},
    }


def generate(
    out_dir: Path,
    branches: int = 3,
    customers: int = 3000,
    seed: int = 0,
    months: int = 30,
    end_month: str = "2026-09",
    jobs: int = 1,
) -> dict:
    """Write a sample bank folder in the contract's shape; return a summary.

    `branches`: the first K of `BRANCH_CATALOG` (建行眉山分行 first);
    `customers`: rows of `customers` per branch (including those who closed
    before the data begin and those who open during the data period);
    `months`: months of monthly_snapshots (≥ 24), the last being `end_month`;
    `jobs`: branches simulated at once in separate processes (the files
    are the same, byte for byte, for any number of jobs).

    The summary: out_dir, branches, first_month, last_month, each table's
    path and rows (`tables`: {name: {"path", "rows"}}; `rows`: {name: rows}),
    `campaigns` (per campaign: id,
    branch, kind, design and its planted effects) and the churn logit's
    intercept per branch (`churn_intercepts`).

    Tables are replaced whole: a table's existing file or folder in
    `out_dir` is removed before it is written.
    """
    if branches < 1:
        raise ValueError("branches must be at least 1")
    if customers < 100:
        raise ValueError("customers must be at least 100 per branch")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cal = _Calendar(months, end_month)
    infos = branch_catalog(branches)
    for name in TABLES:
        for p in (out_dir / f"{name}.csv", out_dir / f"{name}.parquet", out_dir / f"{name}.xlsx"):
            if p.is_file():
                p.unlink()
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)

    respondents = int(np.clip(customers // 6, 300, 1500))
    # Each city's market is drawn once, with the first of its branches.
    cities: dict[str, BranchInfo] = {}
    for info in infos:
        cities.setdefault(info.city, info)
    catalog_cities = [b.city for b in BRANCH_CATALOG]
    branch_args = [(out_dir, info, bidx, customers, seed, months, end_month) for bidx, info in enumerate(infos)]
    market_args = [
        (city, catalog_cities.index(city), months, end_month, seed, respondents, info.prefix)
        for city, info in cities.items()
    ]
    if jobs > 1 and len(infos) > 1:
        # A fresh interpreter per worker: no fork of a parent's threads (BLAS, Arrow).
        with ProcessPoolExecutor(max_workers=min(jobs, len(infos)), mp_context=mp.get_context("spawn")) as pool:
            done = list(pool.map(_branch_job, *zip(*branch_args)))
            markets = list(pool.map(_market_job, *zip(*market_args)))
    else:
        done = [_branch_job(*a) for a in branch_args]
        markets = [_market_job(*a) for a in market_args]

    rows = {n: 0 for n in TABLES}
    for d in done:
        for n, k in d["rows"].items():
            rows[n] += k
    tables: dict[str, dict] = {}
    for name in TABLES:
        if name in PARTITIONED:
            continue
        source = markets if name in ("market_share", "market_survey") else done
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(TABLES[name].column_names) + "\n")
            for d in source:
                f.write(d["csv"][name])
        rows[name] = sum(d["csv_rows"][name] for d in source)
        tables[name] = {"path": str(path), "rows": rows[name]}
    for name in PARTITIONED:
        tables[name] = {"path": str(out_dir / name), "rows": rows[name]}
    return {
        "out_dir": str(out_dir),
        "branches": [b.branch_id for b in infos],
        "seed": seed,
        "first_month": str(cal.first_month),
        "last_month": str(cal.first_month + (cal.T - 1)),
        "tables": {n: tables[n] for n in TABLES},
        "rows": {n: tables[n]["rows"] for n in TABLES},
        "campaigns": [c for d in done for c in d["campaigns"]],
        "churn_intercepts": {info.branch_id: d["intercept"] for info, d in zip(infos, done)},
    }
