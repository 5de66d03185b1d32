"""The memory estimate that refuses a run before it is spawned."""

from __future__ import annotations

from rnn_tui.run.config import RunConfig
from rnn_tui.run.memory import does_not_fit, human, run_bytes

GiB = 2**30


def test_the_estimate_grows_with_every_size_and_the_lstm_costs_more() -> None:
    base = RunConfig(cell="lstm", seq_len=100, hidden_size=64, batch_size=16)
    for change in ({"seq_len": 200}, {"hidden_size": 128}, {"batch_size": 32},
                   {"dtype": "float64"}, {"task": "copy"}):
        assert run_bytes(base.with_(**change)) > run_bytes(base), change
    assert run_bytes(base) > run_bytes(base.with_(cell="rnn"))


def test_a_billion_steps_is_refused_with_what_it_needs_and_what_there_is() -> None:
    huge = [RunConfig(cell=c, seq_len=10**9) for c in ("rnn", "lstm")]
    message = does_not_fit(huge, available=int(21.6 * GiB))
    assert message is not None and message.endswith("; 21.6 GiB available")
    assert message.startswith("needs about ") and "TiB" in message


def test_the_shipped_default_fits_in_a_small_machine() -> None:
    assert does_not_fit([RunConfig(cell="rnn"), RunConfig(cell="lstm")],
                        available=1 * GiB) is None


def test_a_restart_counts_the_memory_of_the_run_it_replaces() -> None:
    old = RunConfig(cell="lstm", seq_len=1000)
    new = old.with_(seq_len=1100)
    tight = int(run_bytes(new) * 0.8)              # not enough on top of the old run...
    assert does_not_fit([new], available=tight) is not None
    assert does_not_fit([new], [old], available=tight) is None   # ...but it leaves room


def test_human_sizes() -> None:
    assert human(477 * GiB) == "477 GiB" and human(21.6 * GiB) == "21.6 GiB"
    assert human(512) == "512 B" and human(3 * 2**20) == "3 MiB"
