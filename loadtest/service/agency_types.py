"""Agency types as the service names them (the tokens file, `agencies.kind`, transparency pages, the access SQL:
``local``, ``sheriff``, ``state``, ``federal``, ``private``) against the model's names (`sim.config.base.OWNER_TYPES`:
``local_police``, ``sheriff``, ``state_police``, ``federal``, ``private``), so that the load generator maps a token's
type to the model's (whose scope mixes are keyed by it). The model's names are imported, not copied: only the
service's short names are declared here, one per model type in the model's order.
"""

from __future__ import annotations

from sim.config.base import OWNER_TYPES

# the service's name of each model type, in OWNER_TYPES' order; ``private``: a company's or HOA's network, an owner
# row of `agencies` that gets no token (it never searches)
SERVICE_NAMES: tuple[str, ...] = ("local", "sheriff", "state", "federal", "private")
TYPE_NAMES = dict(zip(OWNER_TYPES, SERVICE_NAMES, strict=True))  # model -> service
MODEL_TYPES = {name: model for model, name in TYPE_NAMES.items()}  # service -> model
