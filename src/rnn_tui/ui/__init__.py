"""The Textual dashboard: consumes run events, never calls the engine's maths."""
