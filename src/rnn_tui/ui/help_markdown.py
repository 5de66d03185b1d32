"""The help's Markdown as one `Content`: what Textual's `Markdown` widget would show,
for the little Markdown the help is written in (`##` and `###` headings, paragraphs,
**bold**, *italic*, `code`), styled with the same theme variables.

Why not the `Markdown` widget: it builds a widget per block and lays them out, a few
hundred ms for the help, so the `?` key took that long to answer. One `Content` in one
`Static` is built in well under a millisecond and laid out like any other text."""

from __future__ import annotations

import re

from textual.content import Content

# Spaced as Textual's Markdown spaces them: a `##` heading has two blank lines above
# it, a `###` heading and a paragraph one, the first block only what its heading needs.
HEADINGS = {
    "## ": ("$markdown-h2-color $markdown-h2-text-style", 2),
    "### ": ("$markdown-h3-color $markdown-h3-text-style", 1),
}
STRONG, EMPHASIS = "bold", "italic"
CODE = {True: "$text-warning 95% on $warning 10%", False: "$text-error 95% on $error 5%"}

# A code span first (its text is taken as it is, stars and all), then **bold**, then
# *italic*; an emphasis opens and closes next to a non-space, as CommonMark's does,
# at the nearest closing mark (`??`: "**a** b **c**" is two bold words, not one run).
INLINE = re.compile(r"`(?P<code>[^`]+)`"
                    r"|\*\*(?P<strong>\S(?:.*?\S)??)\*\*"
                    r"|\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*")


def inline(text: str, dark: bool = True) -> Content:
    """One paragraph's text with its bold, italic and code spans styled."""
    parts: list[str | Content | tuple[str, str]] = []
    at = 0
    for match in INLINE.finditer(text):
        parts.append(text[at:match.start()])
        if match["code"] is not None:
            parts.append((match["code"], CODE[dark]))
        elif match["strong"] is not None:
            parts.append(inline(match["strong"], dark).stylize_before(STRONG))
        else:
            parts.append(inline(match["em"], dark).stylize_before(EMPHASIS))
        at = match.end()
    parts.append(text[at:])
    return Content.assemble(*parts)


def block(text: str, dark: bool = True) -> tuple[Content, int]:
    """One block (a heading or a paragraph) and the blank lines it wants above it."""
    text = text.strip()
    for mark, (style, space) in HEADINGS.items():
        if text.startswith(mark):
            return inline(text[len(mark):].strip(), dark).stylize_before(style), space
    # A line break inside a paragraph is a space, as in Markdown.
    return inline(" ".join(line.strip() for line in text.splitlines()), dark), 1


def markdown_content(source: str, dark: bool = True) -> Content:
    """The whole text, its blocks separated by blank lines as Textual's Markdown does."""
    texts = [text for text in re.split(r"\n\s*\n", source) if text.strip()]
    parts: list[str | Content] = []
    for index, text in enumerate(texts):
        content, space = block(text, dark)
        if index == 0 and not text.lstrip().startswith("#"):
            space = 0  # a paragraph at the top starts at the top
        parts += ["\n" * (space + (index > 0)), content]
    return Content.assemble(*parts)
