"""The bodies the simulated users send are valid under the service's own API models (its contract)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from loadtest import payloads
from loadtest.service.models.alpr import HotlistIn, ReadBatch, SearchIn
from loadtest.service.models.requests import RequestIn, SubmissionIn


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def test_plates_are_valid_and_repeat(rng: np.random.Generator) -> None:
    plates = [payloads.plate(rng) for _ in range(5000)]
    assert all(re.fullmatch(r"[A-Z0-9]{1,8}", p) for p in plates)
    assert len(set(plates)) < len(plates)  # a finite pool, so searches find earlier reads


def test_reads_search_hotlist_bodies_validate(rng: np.random.Generator) -> None:
    batch = ReadBatch.model_validate(payloads.reads(rng, 50, "NC"))
    assert len(batch.reads) == 50
    for by_plate in (True, False):
        for _ in range(50):
            SearchIn.model_validate(payloads.search(rng, by_plate, "CASE-1" if by_plate else None))
    HotlistIn.model_validate(payloads.hotlist(rng, "list 1", "NC"))


def test_request_and_submission_bodies_validate(rng: np.random.Generator) -> None:
    for _ in range(50):
        body = payloads.request(rng, "LT-1", 35.78, -78.64)
        req = RequestIn.model_validate(body)
        assert 0.025 <= req.area_sq_mi <= 0.5
        sub = SubmissionIn.model_validate(payloads.submission(rng, "17", 64, (body["window_start"], body["window_end"]), clips=2))
        for clip in sub.clips:  # clips lie inside the request's window, as the service requires
            assert req.window_start <= clip.start < clip.end <= req.window_end
