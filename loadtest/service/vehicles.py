"""The vehicles of a load test: the plate pool and the colour, make and body tokens reads carry.

The service's prefill (`loadtest.service.prefill`) writes history from this vocabulary, and the load generator
(`loadtest.payloads`) draws its reads and searches from it, so the test's searches find the history. It lives
on the service side because the service never imports its load generator; the generator imports it from here.
`PLATE_POOL` distinct plates (assumption: plates on the road in one test), three letters and four digits;
colours, makes and bodies are common US values (assumption), lower-case as the service stores them.
"""

from __future__ import annotations

from functools import cache

PLATE_POOL = 20_000  # distinct plates on the road in a test (assumption)
COLORS = ["white", "black", "gray", "silver", "blue", "red", "green", "brown"]
MAKES = ["toyota", "ford", "chevrolet", "honda", "nissan", "jeep", "hyundai", "kia", "subaru", "tesla"]
BODIES = ["sedan", "suv", "pickup", "van", "hatchback", "coupe"]


@cache
def plate_pool() -> tuple[str, ...]:
    """The `PLATE_POOL` plates: three letters and four digits."""
    return tuple(
        "".join(chr(ord("A") + (i // 10_000 // 26**k) % 26) for k in range(3)) + f"{i % 10_000:04d}" for i in range(PLATE_POOL)
    )
