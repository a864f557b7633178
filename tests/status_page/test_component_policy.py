"""`[status_page.components.<id>]` and `status_page.tag_authority` are validated and named in errors."""

from __future__ import annotations

import pytest

from bot.policy.model import PolicyError
from tests.policies import make_policy


def test_components_and_the_tag_authority_load(tmp_path):
    policy = make_policy(
        tmp_path,
        status_page={
            "tag_authority": "status.example.com",
            "components": {
                "api": {"name": "API", "group": "Core", "order": 2, "only_show_if_degraded": True}
            },
        },
    )
    [(component_id, component)] = policy.status_page.components.items()
    assert component_id == "api" and component.group == "Core" and component.only_show_if_degraded
    assert make_policy(tmp_path, status_page={"tag_authority": "ops@example.com"}).status_page.tag_authority


@pytest.mark.parametrize(
    ("status_page", "named"),
    [
        ({"components": {"Bad Id": {"name": "API"}}}, "status_page.components"),
        ({"components": {"api": {"name": ""}}}, "status_page.components.api.name"),
        ({"components": {"api": {"name": "API", "colour": "red"}}}, "status_page.components.api.colour"),
        ({"tag_authority": "status.example.com:8443"}, "status_page.tag_authority"),
        (
            {"components": {"group-core": {"name": "A"}, "b": {"name": "B", "group": "Core"}}},
            "also the id of a group",
        ),
    ],
)
def test_a_bad_component_or_authority_is_named(tmp_path, status_page, named):
    with pytest.raises(PolicyError, match=named.replace(".", r"\.")):
        make_policy(tmp_path, status_page=status_page)
