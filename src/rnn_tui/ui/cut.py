"""Lines cut to a width at a word's end, never inside one: cut anywhere, "> 100" read
"> 10…", "baseline 0.167" read "baseline 0.1", a number the panel never said."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

# Words that say nothing once what follows them is cut: a legend's line sample ("━━"),
# an arrow or a comparison ("→ > …" of "→ > 100").
DANGLING = set("━┄·─→<>=:;, ")


def first_that_fits(forms: Sequence[Text], width: int) -> Text:
    """The first of a line's forms (longest first) that fits `width` cells whole, measured
    without trailing spaces (a legend entry's gap); else the last, for `cut_text`. Status
    lines, the header and captions give way so, a label at a time, before anything is cut."""
    return next((form for form in forms if cell_len(form.plain.rstrip()) <= width), forms[-1])


def ellipsis_after(kept: str) -> str:
    """ "…" after a word, " …" after a number: "> 10…" reads as a number cut short."""
    return " …" if kept[-1:].isdigit() or kept[-1:] in ".%" else "…"


def kept_length(plain: str, width: int) -> int | None:
    """How many characters of `plain` to keep, ending at a word, so that they and the
    ellipsis fit `width` cells; None when not even the first word does."""
    for end in range(len(plain) - 1, 0, -1):
        if plain[end] != " " or plain[end - 1] == " ":
            continue
        kept = plain[:end].rstrip(",;:")
        while kept and set(kept.rsplit(" ", 1)[-1]) <= DANGLING:
            kept = kept.rsplit(" ", 1)[0].rstrip() if " " in kept else ""
        if kept and cell_len(kept) + len(ellipsis_after(kept)) <= width:
            return len(kept)
    return None


def cut_text(line: Text, width: int) -> Text:
    """`line` (one line) as it fits `width` cells: whole (trailing spaces aside), or cut
    after a word, with an ellipsis (a single word too long is cut where it must)."""
    line = line.copy()
    line.rstrip()
    if line.cell_len <= width:
        return line
    keep = kept_length(line.plain, width)
    if keep is None:
        line.truncate(max(1, width), overflow="ellipsis")
        return line
    cut = line[:keep]
    cut.append(ellipsis_after(cut.plain))
    return cut


def cut_plain(text: str, width: int) -> str:
    """The same for a plain string (an axis title)."""
    if cell_len(text) <= width:
        return text
    keep = kept_length(text, width)
    return text[:keep] + ellipsis_after(text[:keep]) if keep is not None else ""
