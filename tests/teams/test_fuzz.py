"""POST /api/messages survives any activity: recorded activities with one place broken never get
a 5xx and never crash the work they start; bodies that are not JSON objects are a 400 before the
SDK (or its authentication) sees them; the app stays healthy."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import background_failures, encoded, live, mutated, recorded

RECORDED = recorded("teams.json")
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


mutations = st.sampled_from(sorted(RECORDED)).flatmap(
    lambda kind: st.tuples(
        st.just(kind), mutated(RECORDED[kind]["payload"]), st.sampled_from([2, 2_000, 100_000])
    )
)


async def post(teams, body: bytes, content_type: str = "application/json") -> int:
    session = teams._session or await _session(teams)
    async with session.post(
        f"{teams.base_url}/api/messages", data=body, headers={"Content-Type": content_type}
    ) as response:
        await response.read()
        return response.status


async def _session(teams):
    await teams.send({})  # opens the driver's session (an empty body is a 400)
    return teams._session


@FUZZ
@given(case=mutations)
async def test_a_mutated_activity_never_gets_a_5xx_nor_crashes_its_work(teams, case):
    kind, payload, depth = case
    body = encoded(live(payload, teams.connector.service_url), depth)
    failed_before = background_failures(teams.core)

    status = await post(teams, body.encode())
    await teams.settle()

    assert status < 500, (kind, status, body[:300])
    assert background_failures(teams.core) == failed_before, (kind, body[:300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.one_of(
        st.just(b"[" * 200_000),
        st.just(b'{"a":' * 100_000),
        st.binary(max_size=200),
        st.just(b"{}"),
        st.just(b"\xff\xfe{}"),
        st.just(b"null"),
        st.just(b'"text"'),
    ),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]),
)
async def test_a_body_that_is_not_an_activity_is_a_4xx(teams, raw, content_type):
    status = await post(teams, raw, content_type)

    assert 400 <= status < 500, (raw[:80], status)


async def test_after_the_barrage_the_app_is_healthy(teams):
    await post(teams, b"[" * 200_000)
    async with teams._session.get(f"{teams.base_url}/healthz") as response:
        assert response.status == 200
