"""Agency types as the service names them (the tokens file, `agencies.kind`, transparency pages: ``local``,
``sheriff``, ``state``, ``federal``) and as the model names them (`sim.world.types.AGENCY_TYPES`:
``local_police``, ``sheriff``, ``state_police``, ``federal``), in a module that imports nothing, so the load
generator's processes map a token's type to the model's (whose scope mixes are keyed by it) without the model.
"""

from __future__ import annotations

# model -> service; ``private``: a company's or HOA's network (`sim.world.types.OWNER_TYPES`), an owner row of
# `agencies` that gets no token (it never searches)
TYPE_NAMES = {"local_police": "local", "sheriff": "sheriff", "state_police": "state", "federal": "federal",
              "private": "private"}
MODEL_TYPES = {name: model for model, name in TYPE_NAMES.items()}  # service -> model
