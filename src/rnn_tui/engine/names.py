"""The vocabulary's two primitives: the names a registry holds, read live (a kind
registered after import shows up too), and the error for a value outside the vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload


class Names(Sequence[str]):
    """The keys of `registry` (those whose value passes `keep`), in registration order.

    A tuple taken at import would freeze the vocabulary; this reads the registry each
    time, so `from rnn_tui.run.config import CELL_KINDS` in the dashboard sees a cell
    registered later (by a test, say). It compares equal to the tuple of its names."""

    def __init__(self, registry: Mapping[str, Any],
                 keep: Callable[[Any], bool] | None = None) -> None:
        self._registry = registry
        self._keep = keep

    def _names(self) -> tuple[str, ...]:
        if self._keep is None:
            return tuple(self._registry)
        return tuple(k for k, v in self._registry.items() if self._keep(v))

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str) or not isinstance(other, Sequence):
            return NotImplemented
        return self._names() == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # a live view: its value can change

    def __repr__(self) -> str:
        return repr(self._names())

    def __str__(self) -> str:
        return ", ".join(self._names())


class SettingError(ValueError):
    """A setting outside its allowed range; the message names it and says what is allowed:
    "lr = 20 is not allowed; lr must be a number in [1e-30, 10]"."""
