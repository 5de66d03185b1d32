"""`python -m rnn_tui` is `rnn-tui`."""

from rnn_tui.cli import entry

if __name__ == "__main__":
    entry()
