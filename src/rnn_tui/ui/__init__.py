"""The Textual dashboard: consumes run events, never calls the engine's maths."""

import os

# Textual paints at most MAX_FPS frames a second (60 by default), on a fixed grid: a key
# pressed just after a frame waited up to 17 ms (and a frame that ran long, the next
# slot) before its change was painted. This dashboard paints when something changed
# (a key, a 5 Hz redraw), never an animation, so a finer grid costs no extra frames and
# a key's frame starts within a few ms (docs/benchmarks.md, "Keys, fourth pass").
# Set before Textual is imported (it reads it once); a user's own setting wins.
os.environ.setdefault("TEXTUAL_FPS", "240")
