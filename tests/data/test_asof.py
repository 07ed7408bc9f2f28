"""--as-of: the bank as it stood at the end of month M."""

import pandas as pd
import pytest

import analysis
from analysis.data.asof import as_known_at
from analysis.data.timeframe import Timeframe
from analysis.errors import UsageError

TF = Timeframe(pd.Timestamp("2026-03-01"))  # as_of = 2026-03-31
D = pd.Timestamp


def _tables() -> dict[str, pd.DataFrame]:
    customers = pd.DataFrame(
        {
            "customer_id": ["old", "leaves_later", "left_before", "new", "vip_later"],
            "open_date": [D("2010-01-01"), D("2012-01-01"), D("2015-01-01"), D("2026-04-02"), D("2019-01-01")],
            "close_date": [pd.NaT, D("2026-05-10"), D("2026-02-01"), pd.NaT, pd.NaT],
            "close_reason": [None, "relocation", "fees", None, None],
            "destination_bank": [None, "成都银行", None, None, None],
            "vip_tier": pd.Categorical(
                ["gold", "none", "none", "none", "platinum"], categories=["none", "gold", "platinum", "diamond"]
            ),
            "vip_since": [D("2014-01-01"), pd.NaT, pd.NaT, pd.NaT, D("2026-04-01")],
        }
    )
    snaps = pd.DataFrame(
        {"customer_id": ["old", "old", "new"], "month": [D("2026-03-01"), D("2026-04-01"), D("2026-04-01")]}
    )
    txns = pd.DataFrame(
        {
            "customer_id": ["old", "old", "old"],
            "ts": [D("2026-03-31 23:59:59"), D("2026-04-01 00:00:00"), D("2026-01-05 12:00")],
        }
    )
    inter = pd.DataFrame(
        {
            "customer_id": ["old", "old", "old"],
            "date": [D("2026-03-20"), D("2026-03-25"), D("2026-04-03")],
            "resolved_date": [D("2026-03-28"), D("2026-04-15"), pd.NaT],
            "resolution_score": [4.0, 5.0, float("nan")],
        }
    )
    surveys = pd.DataFrame(
        {"customer_id": [None, "old", "new"], "survey_date": [D("2026-03-15"), D("2026-03-16"), D("2026-03-20")]}
    )
    campaigns = pd.DataFrame({"campaign_id": ["before", "after"], "start_date": [D("2026-01-10"), D("2026-04-10")]})
    contacts = pd.DataFrame({"campaign_id": ["before", "after", "before"], "customer_id": ["old", "old", "new"]})
    share = pd.DataFrame({"period": [D("2025-12-31"), D("2026-03-31"), D("2026-06-30")]})
    return {
        "customers": customers,
        "monthly_snapshots": snaps,
        "transactions": txns,
        "interactions": inter,
        "surveys": surveys,
        "campaigns": campaigns,
        "campaign_contacts": contacts,
        "market_share": share,
    }


def test_rows_after_as_of_are_set_aside_and_later_changes_undone():
    t = as_known_at(_tables(), TF)
    c = t["customers"].set_index("customer_id")
    assert list(c.index) == ["old", "leaves_later", "left_before", "vip_later"]  # "new" opened after as_of
    # closed after as_of: still a customer then
    assert pd.isna(c.at["leaves_later", "close_date"]) and c.at["leaves_later", "close_reason"] is None
    assert pd.isna(c.at["leaves_later", "destination_bank"])
    assert c.at["left_before", "close_date"] == D("2026-02-01") and c.at["left_before", "close_reason"] == "fees"
    # VIP only after as_of: not VIP then
    assert c.at["vip_later", "vip_tier"] == "none" and pd.isna(c.at["vip_later", "vip_since"])
    assert c.at["old", "vip_tier"] == "gold"
    assert t["monthly_snapshots"]["month"].tolist() == [D("2026-03-01")]
    assert t["transactions"]["ts"].tolist() == [D("2026-03-31 23:59:59"), D("2026-01-05 12:00")]
    i = t["interactions"]
    assert i["date"].tolist() == [D("2026-03-20"), D("2026-03-25")]
    assert i["resolved_date"].iloc[0] == D("2026-03-28") and pd.isna(i["resolved_date"].iloc[1])  # open at as_of
    assert pd.isna(i["resolution_score"].iloc[1])
    assert t["surveys"]["customer_id"].tolist() == [None, "old"]  # anonymous kept, the new customer's gone
    assert t["campaigns"]["campaign_id"].tolist() == ["before"]
    assert t["campaign_contacts"].values.tolist() == [["before", "old"]]
    assert t["market_share"]["period"].tolist() == [D("2025-12-31"), D("2026-03-31")]


def test_the_input_tables_are_left_as_they_were():
    tables = _tables()
    before = {k: v.copy() for k, v in tables.items()}
    as_known_at(tables, TF)
    for k, v in tables.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_load_as_of_an_earlier_month(conformance_dir):
    bank = analysis.load(conformance_dir / "good", "fixture-a", as_of="2026-03")
    end = D("2026-04-01")
    assert bank.timeframe.as_of == D("2026-03-31")
    assert bank.monthly_snapshots["month"].max() == D("2026-03-01")
    c = bank.customers
    assert (c["open_date"] < end).all() and not (c["close_date"] >= end).any()
    assert (bank.interactions["date"] < end).all() and (bank.surveys["survey_date"] < end).all()
    # without --as-of nothing is set aside
    whole = analysis.load(conformance_dir / "good", "fixture-a")
    assert len(whole.customers) > len(c) and (whole.customers["close_date"] >= end).any()


def test_as_of_outside_the_snapshots_is_a_usage_error(conformance_dir):
    with pytest.raises(UsageError, match="outside branch fixture-a's snapshots"):
        analysis.load(conformance_dir / "good", "fixture-a", as_of="2019-01")


# ---- what the cut set aside, and how much of a window the data hold (issue 17)


def test_a_table_whose_every_row_came_after_as_of_is_recorded_as_set_aside():
    t = as_known_at(_tables(), Timeframe(pd.Timestamp("2025-12-01")))  # before both campaigns
    assert len(t["campaigns"]) == 0 and len(t["campaign_contacts"]) == 0
    assert set(t.set_aside) == {
        "campaigns",
        "campaign_contacts",
        "transactions",
        "interactions",
        "surveys",
        "monthly_snapshots",  # (a load refuses an as_of before the snapshots: check_as_of)
    }
    assert t.set_aside["monthly_snapshots"]["reason"] == "all snapshot months are after 2025-12"
    c = t.set_aside["campaigns"]
    assert c == {
        "reason": "all campaigns start after 2025-12",
        "column": "start_date",
        "after": "2025-12-31",
        "rows": 2,
    }
    assert t.set_aside["campaign_contacts"]["reason"] == "all campaigns start after 2025-12"
    # a table only partly cut, or empty already, is not set aside
    assert "market_share" not in t.set_aside and "customers" not in t.set_aside
    assert as_known_at(_tables(), TF).set_aside == {}


def test_a_bank_as_of_before_its_first_campaign_says_campaigns_were_set_aside(conformance_dir, tmp_path):
    from analysis.data.bank import Bank
    from analysis.run import runner

    bank = analysis.load(conformance_dir / "good", "fixture-a", as_of="2024-03")
    assert not bank.has("campaigns") and "campaigns" not in bank.missing_tables
    assert bank.set_aside["campaigns"]["reason"] == "all campaigns start after 2024-03"
    card = runner.run_card(bank, runner.RunOptions(out_root=tmp_path, as_of="2024-03"), str(conformance_dir / "good"))
    assert card["run"]["set_aside_tables"]["campaigns"] == "all campaigns start after 2024-03"
    assert "campaigns" not in card["run"]["missing_tables"]
    opened = Bank.open(bank.save(tmp_path / "prep"))
    assert opened.set_aside == bank.set_aside and opened.timeframe == bank.timeframe
    whole = analysis.load(conformance_dir / "good", "fixture-a")
    assert whole.set_aside == {} and whole.has("campaigns")


def test_the_timeframe_knows_the_first_snapshot_month_and_a_windows_coverage(conformance_dir):
    from analysis.data.timeframe import window_coverage

    assert window_coverage(Timeframe(D("2026-06-01"), D("2024-01-01"))) == (12, True)
    assert window_coverage(Timeframe(D("2024-06-01"), D("2024-04-01"))) == (3, False)  # --as-of 3 months in
    assert window_coverage(Timeframe(D("2024-06-01"), D("2024-04-01")), months=3) == (3, True)
    assert window_coverage(Timeframe(D("2024-06-01"))) == (12, True)  # first month unknown: taken as full
    bank = analysis.load(conformance_dir / "good", "fixture-a", as_of="2024-06")
    assert bank.timeframe.first == D("2024-01-01") and window_coverage(bank) == (6, False)
    assert window_coverage(bank, 13) == (6, False) and window_coverage(bank, 6) == (6, True)
