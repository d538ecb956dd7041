"""The vehicles of a load test: the plate pool and the colour, make and body tokens reads carry.

The service's prefill (`loadtest.service.prefill`) writes history from this vocabulary, and the load generator
(`loadtest.payloads`) draws its reads and searches from it, so the test's searches find the history. It lives
on the service side because the service never imports its load generator; the generator imports it from here.
`PLATE_POOL` distinct plates (assumption: plates on the road in one test), three letters and four digits;
colours, makes and bodies are common US values (assumption), lower-case as the service stores them.

Read confidences (0-1, `confidences`): the service shows a read in search results only at or above
`CONFIDENCE_MIN_RESULT` (0.75, City of Orange PD: the platform keeps low-confidence reads, likely misreads, out
of results). A scenario's ``behavior.alpr.misread_share`` of reads fall below it, uniform from `CONFIDENCE_LOW`,
the rest uniform from the threshold to 1 (assumption: the reads the threshold hides are the model's misreads; no
published figure gives the share of reads under 75%, and a misread may carry a high confidence).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from loadtest.service.limits import CONFIDENCE_MIN_RESULT

PLATE_POOL = 20_000  # distinct plates on the road in a test (assumption)
COLORS = ["white", "black", "gray", "silver", "blue", "red", "green", "brown"]
MAKES = ["toyota", "ford", "chevrolet", "honda", "nissan", "jeep", "hyundai", "kia", "subaru", "tesla"]
BODIES = ["sedan", "suv", "pickup", "van", "hatchback", "coupe"]
CONFIDENCE_LOW = 0.6  # assumption: the lowest confidence of a read a camera sends
CONFIDENCE_STEP = 0.001  # confidences carry 3 decimals


def confidences(rng: np.random.Generator, n: int, misread_share: float) -> list[float]:
    """`n` read confidences, `misread_share` of them (in expectation) below `CONFIDENCE_MIN_RESULT` (see module doc)."""
    u = rng.random(n)
    low = rng.random(n) < misread_share
    below = CONFIDENCE_LOW + u * (CONFIDENCE_MIN_RESULT - CONFIDENCE_STEP - CONFIDENCE_LOW)  # rounds below the threshold
    above = CONFIDENCE_MIN_RESULT + u * (1.0 - CONFIDENCE_MIN_RESULT)
    return np.round(np.where(low, below, above), 3).tolist()


@cache
def plate_pool() -> tuple[str, ...]:
    """The `PLATE_POOL` plates: three letters and four digits."""
    return tuple(
        "".join(chr(ord("A") + (i // 10_000 // 26**k) % 26) for k in range(3)) + f"{i % 10_000:04d}" for i in range(PLATE_POOL)
    )
