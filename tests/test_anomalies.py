"""Dense count series: baseline rule, start/end rules, change points on generated series."""

import numpy as np
import pandas as pd
import pytest

from incident import generate
from incident.config import TIMEZONE
from incident.errors import ReconstructionError
from incident.series import anomalies


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_known_anomaly_is_found_with_start_and_end(seed):
    series, truth = generate.count_series(days=7, bin_minutes=15, base=40, seed=seed)
    flags, bkps = anomalies.detect(series, bin_minutes=15)
    eps = flags[flags["anomalous"]].groupby("episode")["start"].agg(["min", "max"])
    assert len(eps) == 1
    t = truth.iloc[0]
    assert abs((eps["min"].iloc[0] - t["start"]).total_seconds()) <= 15 * 60
    assert abs((eps["max"].iloc[0] + pd.Timedelta(minutes=15) - t["end"]).total_seconds()) <= 2 * 15 * 60
    # the change points of the residual include the anomaly's edges (within one bin)
    inner = np.array(bkps[:-1])
    for edge in (t["start_bin"], t["end_bin"]):
        assert np.min(np.abs(inner - edge)) <= 1


def test_no_anomaly_in_a_normal_week():
    series, _ = generate.count_series(days=7, bin_minutes=15, anomalies=[], seed=5)
    flags, _ = anomalies.detect(series, bin_minutes=15)
    assert not flags["anomalous"].any()


def test_outage_day_does_not_raise_its_own_baseline():
    series, truth = generate.count_series(days=7, bin_minutes=15, base=40, seed=2)
    flags, _ = anomalies.detect(series, bin_minutes=15)
    t = truth.iloc[0]
    inside = flags.iloc[t["start_bin"] : t["end_bin"]]
    assert (inside["baseline"] < 60).all()  # typical level near the daily peak of 40, not the 8-fold outage
    assert (inside["value"] > inside["threshold"]).mean() > 0.8


def test_end_rule_needs_consecutive_calm_bins():
    above = np.array([0, 1, 1, 0, 1, 0, 0, 0], bool)
    calm = ~np.array([0, 1, 1, 1, 1, 0, 0, 0], bool)
    assert anomalies.episodes(above, calm, min_bins=2, end_bins=2) == [(1, 5)]
    assert anomalies.episodes(above, calm, min_bins=3, end_bins=2) == []


def test_irregular_series_is_refused():
    s = pd.DataFrame(
        {
            "start": pd.to_datetime(["2021-01-11 00:00", "2021-01-11 00:15", "2021-01-11 00:45"]).tz_localize(TIMEZONE),
            "value": [1, 2, 3],
        }
    )
    with pytest.raises(ReconstructionError):
        anomalies.detect(s, bin_minutes=15)


def test_dense_series_found_among_claims():
    t0 = pd.Timestamp("2021-01-11", tz=TIMEZONE)
    n = 10
    claims = pd.DataFrame(
        {
            "table": "counts",
            "quantity": "x|error_reports",
            "value": np.arange(n, dtype=float),
            "start": [t0 + pd.Timedelta(minutes=15 * i) for i in range(n)],
            "end": [t0 + pd.Timedelta(minutes=15 * (i + 1)) for i in range(n)],
            "claim_id": [f"gen-s#{i}" for i in range(n)],
            "platform": "x",
            "resolved": True,
        }
    )
    found = anomalies.dense_series(claims)
    assert list(found) == ["x|error_reports"] and len(found["x|error_reports"]) == n
    assert anomalies.dense_series(claims.iloc[:5]) == {}
