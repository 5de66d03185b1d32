"""Views that say *why* a model forgets or remembers: gradient flow over training, the
memory horizon, the note's law against the measurement, the LSTM's forget-gate path,
teaching help text, and a comparison of recorded runs. Each reads plain data (a
`RunHistory`, or Profile events) and never the engine."""
