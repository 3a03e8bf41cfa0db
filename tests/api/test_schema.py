"""Schemathesis over the OpenAPI schema: generated valid and invalid requests to every operation, bounded to a
few examples each; no answer may be a server error (5xx)."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test dependency (pip install schemathesis)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

MAX_EXAMPLES = 12


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error(app, mode):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}")

        try:
            run()
        except Unsatisfiable:  # nothing invalid to generate (an operation without parameters)
            continue
        checked += 1
    assert checked >= (10 if mode is GenerationMode.POSITIVE else 8)
    assert not failures, "\n".join(failures[:20])
