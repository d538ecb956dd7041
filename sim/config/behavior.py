"""`behavior:` how actors behave: requests, opt-in, plate reads, searches, exposure sampling."""

from __future__ import annotations

from pydantic import Field

from sim.config.base import StrictModel
from sim.config.behavior_alpr import Alpr, Exposure, Searches
from sim.config.behavior_requests import Clips, Incidents, OptIn, Requests


class Behavior(StrictModel):
    incidents: Incidents = Field(default_factory=Incidents)
    requests: Requests = Field(default_factory=Requests)
    optin: OptIn = Field(default_factory=OptIn)
    clips: Clips = Field(default_factory=Clips)
    alpr: Alpr = Field(default_factory=Alpr)
    searches: Searches = Field(default_factory=Searches)
    exposure: Exposure = Field(default_factory=Exposure)
