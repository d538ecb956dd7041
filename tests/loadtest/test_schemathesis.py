"""Schemathesis against the service's own OpenAPI document, on both backends: no input gives a 5xx.

Every operation is fuzzed with schema-conforming (positive) and schema-violating (negative) cases, with the
token of the actor the operation is for, seeded (`derandomize`) and bounded (`MAX_EXAMPLES` per operation and
mode), and sent through the running app. Operations without inputs have no negative cases (skipped).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.loadtest.worlds import RALEIGH

MAX_EXAMPLES = 12
ACTOR_BY_PREFIX = [
    ("/v1/feed", ("residents", 0)),
    ("/v1/requests/{request_id}/submissions", ("residents", 0)),
    ("/v1/alpr/reads", ("cameras", 0)),
    ("/v1/admin", ("admin", None)),
    ("/v1/transparency", None),
    ("/v1/", ("agencies", RALEIGH)),
    ("/", None),
]


def auth_for(service, path: str) -> dict[str, str]:
    actor = next(actor for prefix, actor in ACTOR_BY_PREFIX if path.startswith(prefix))
    if actor is None:
        return {}
    return service.h("admin") if actor[0] == "admin" else service.h(*actor)


def fuzz(service, op, mode: GenerationMode, auth: dict[str, str], failures: list[str]) -> int:
    """Send up to MAX_EXAMPLES cases of one operation; how many were sent."""
    sent = 0

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case) -> None:
        nonlocal sent
        kw = case.as_transport_kwargs(base_url="http://testserver", headers=auth)
        kw.pop("cookies", None)
        if "data" in kw:
            kw["content"] = kw.pop("data")
        r = service.client.request(**kw)
        sent += 1
        if r.status_code >= 500:
            failures.append(f"{op.method.upper()} {op.path} [{mode.value}] -> {r.status_code}: {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"no positive case for {op.method} {op.path}"
    return sent


def test_no_server_errors(service):
    schema = schemathesis.openapi.from_dict(service.client.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    failures: list[str] = []
    sent = sum(fuzz(service, op, mode, auth_for(service, op.path), failures) for op in operations for mode in GenerationMode)
    assert sent >= len(operations) * MAX_EXAMPLES
    assert not failures, "\n".join(failures[:10])
