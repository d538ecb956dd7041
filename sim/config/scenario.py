"""The whole scenario: model parameters (world, behavior, platform, policy) apart from run control.

Beside them, what the scenario is: its ``name``, ``description`` and ``period``, the platform period (`PERIODS`:
2024, 2025, 2026) whose real figures its rates and rules stand for. The period changes no simulated number; it says
which period's figures `fedsim calibration-report` compares the run with by default and which portals a comparison
brief (`fedsim compare`) sets its agencies' search rates against. None: the scenario declares none.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import Field, PrivateAttr, field_validator, model_validator

from sim.config.base import StrictModel
from sim.config.behavior import Behavior
from sim.config.platform import Platform
from sim.config.policy import Policy
from sim.config.run import RunControl, Sweep
from sim.config.world import World

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
# The platform periods a scenario can stand for (`sim.calibration.observed` holds each one's real figures)
Period = Literal[2024, 2025, 2026]
PERIODS: tuple[int, ...] = get_args(Period)


class Scenario(StrictModel):
    name: str
    description: str = ""
    period: Period | None = None
    world: World = Field(default_factory=World)
    behavior: Behavior = Field(default_factory=Behavior)
    platform: Platform = Field(default_factory=Platform)
    policy: Policy = Field(default_factory=Policy)
    run: RunControl = Field(default_factory=RunControl)
    sweep: Sweep | None = None
    meta: dict[str, Any] | None = Field(None, description="provenance written by fedsim; ignored on input")
    # keys read under a name they had in older files (`sim.config.renamed`): not a parameter, so neither dumped
    # nor hashed; `sim.config.checks.scenario_warnings` says them
    _renamed_keys: list[str] = PrivateAttr(default_factory=list)

    @property
    def renamed_keys(self) -> list[str]:
        """One note per key of the scenario's files or --set read under its older name."""
        return list(self._renamed_keys)

    @renamed_keys.setter
    def renamed_keys(self, notes: list[str]) -> None:
        self._renamed_keys = list(notes)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_RE.match(v):
            raise ValueError(
                "name must be 1-80 characters of letters, digits, '_', '.' or '-', starting with a letter "
                "or digit (it names the output folder)"  # the error adds "(got ...)"
            )
        return v

    @model_validator(mode="after")
    def _cross(self) -> Scenario:
        req = self.behavior.requests
        if req.area_sq_mi_min > self.policy.request_area_cap_sq_mi:
            raise ValueError(
                f"behavior.requests.area_sq_mi_min ({req.area_sq_mi_min}) exceeds "
                f"policy.request_area_cap_sq_mi ({self.policy.request_area_cap_sq_mi})"
            )
        return self
