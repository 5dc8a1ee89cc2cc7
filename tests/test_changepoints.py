"""Change points of measured series: KernelCPD == Pelt(l2, jump=1); known breakpoints recovered; penalty rule."""

import numpy as np
import pytest
import ruptures as rpt

from incident import generate
from incident.series import changepoints as cp


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("pen", [0.5, 2.0, 8.0])
def test_kernelcpd_matches_pelt_l2_jump1(seed, pen):
    rng = np.random.default_rng(seed)
    n = 120
    bk = sorted(rng.choice(np.arange(10, n - 10), size=3, replace=False).tolist())
    if min(np.diff(bk)) < 3:
        bk = [30, 60, 90]
    x, _ = generate.step_signal(n=n, breakpoints=bk, levels=list(rng.normal(0, 2, 4)), noise=0.5, seed=seed)
    ours = cp.segment(x, pen=pen, min_size=2)
    pelt = rpt.Pelt(model="l2", min_size=2, jump=1).fit(x[:, None]).predict(pen=pen)
    assert ours == [int(b) for b in pelt]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_segment_recovers_known_breakpoints(seed):
    x, truth = generate.step_signal(n=600, breakpoints=[150, 320, 450], levels=[0, 1, 0.3, 0.9], noise=0.1, seed=seed)
    pen = cp.penalty(x, resolution_minutes=1, min_duration_minutes=30)
    found = cp.segment(x, pen=pen)
    assert len(found) == len(truth)
    assert np.max(np.abs(np.array(found[:-1]) - np.array(truth[:-1]))) <= 3


def test_penalty_rule_floor_and_noise_term():
    flat = np.zeros(1000)
    assert cp.penalty(flat, resolution_minutes=5, min_jump=0.2, min_duration_minutes=60) == pytest.approx(
        0.2**2 * 12 / 2
    )
    noisy = np.random.default_rng(0).normal(0, 1.0, 1000)
    assert cp.penalty(noisy, resolution_minutes=5) > 2 * 0.8**2 * np.log(1000)
