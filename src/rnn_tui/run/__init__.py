"""Everything about a run outside the maths: events, worker processes, run logs, presets."""
