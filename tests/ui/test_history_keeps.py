"""The kept profiles: evenly spread over a long run, yet a one-off profile that reaches
back level survives the thinning (the log has it, so the views must)."""

from __future__ import annotations

import math

from rnn_tui.run.events import Profile
from rnn_tui.ui.history import PROFILE_KEEP, Decimated, RunHistory, reaches_back
from rnn_tui.ui.views.heatmap import pick_rows


def profile(step: int, horizon: float, *, lstm: bool = False) -> Profile:
    series = {"dc_norms": [1.0] * 4} if lstm else {}
    name = "horizon_c" if lstm else "horizon_h"
    return Profile(step=step, dh_norms=[1.0] * 4, h_norms=[1.0] * 4, series=series,
                   scalars={name: horizon})


def test_reaching_back_is_the_memory_series_horizon_beyond_the_sequence() -> None:
    assert reaches_back(profile(1, math.inf)) and not reaches_back(profile(1, 7.0))
    assert reaches_back(profile(1, "inf"))  # as a log writes it
    assert reaches_back(profile(1, math.inf, lstm=True))
    lstm_h_only = Profile(step=1, dh_norms=[1.0], h_norms=[1.0], series={"dc_norms": [1.0]},
                          scalars={"horizon_h": math.inf, "horizon_c": 30.0})
    assert not reaches_back(lstm_h_only)  # the LSTM's memory is its cell path
    assert not reaches_back((1, 0.5, 0.5)) and not reaches_back(profile(1, None))


def test_a_one_off_level_profile_survives_every_thinning() -> None:
    history = RunHistory()
    steps = range(1, 1001)
    for step in steps:  # profile 18 (step 18) is the only one that reaches back
        history.apply(profile(step, math.inf if step == 18 else 6.0))
    kept = [p.step for p in history.profiles.rows]
    assert history.profiles.stride == 16 and len(kept) < PROFILE_KEEP
    assert 18 in kept and kept[0] == 1
    # everything else as evenly spread as before: one row per window of 16, the first
    assert [s for s in kept if s != 18] == [s for s in range(1, 1001, 16) if s != 17]


def test_without_a_preference_rows_are_thinned_evenly() -> None:
    rows = Decimated(8)
    for i in range(100):
        rows.append(i)
    assert rows.rows == list(range(0, 100, 16))


def test_the_first_row_stays_even_against_a_preferred_one() -> None:
    rows = Decimated(4, preferred=lambda row: row == 1)
    for i in range(10):
        rows.append(i)
    assert rows.rows[0] == 0


def test_the_flow_map_shows_the_level_profile_among_the_rows_it_picks() -> None:
    profiles = [profile(step, math.inf if step == 37 else 6.0) for step in range(100)]
    rows = pick_rows(profiles, 10)
    assert 37 in [p.step for p in rows]
    assert rows[0].step == 0 and rows[-1].step == 99 and len(rows) == 10
    even = pick_rows([profile(step, 6.0) for step in range(100)], 10)
    assert [p.step for p in even] == [round(i * 99 / 9) for i in range(10)]
