"""Everything a panel can show: one module per view, registered here in the order
the `v` key cycles them. A new view is one new module, its import and one `register` line
(docs/extending.md, "A new view")."""

from __future__ import annotations

from ..registry import register
from .flow import FlowView
from .plots import PlotsView
from .why import WhyView

register("plots", "gradients", PlotsView)
register("flow", "gradient flow", FlowView)
register("why", "law / gates", WhyView)
