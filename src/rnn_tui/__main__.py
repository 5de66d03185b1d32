"""`python -m rnn_tui` is `rnn-tui`, whose console script calls `entry` here."""


def entry() -> None:
    """The `rnn-tui` command. Its modules load here, after the interpreter is up: a
    Ctrl-C while they load (the first ~50 ms) exits 130, as every command does, where
    the console script importing them itself printed a KeyboardInterrupt traceback."""
    try:
        from rnn_tui.cli import entry as command
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    command()


if __name__ == "__main__":
    entry()
