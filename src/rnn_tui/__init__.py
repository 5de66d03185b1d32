"""rnn-tui: watch a simple RNN forget and an LSTM remember, live, in the terminal."""

__version__ = "0.1.0"
