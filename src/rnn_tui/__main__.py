"""`python -m rnn_tui` is `rnn-tui`."""

from rnn_tui import entry

if __name__ == "__main__":
    entry()
