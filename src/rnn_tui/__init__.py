"""rnn-tui: watch a simple RNN forget and an LSTM remember, live, in the terminal."""

__version__ = "0.1.0"


def entry() -> None:
    """The `rnn-tui` command. Its modules load here, after the interpreter is up: a
    Ctrl-C while they load (the first ~50 ms) exits 130, as every command does, where
    the console script importing them itself printed a KeyboardInterrupt traceback."""
    try:
        from .cli import entry as command
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    command()
