from datetime import timedelta

import pytest

from bot.durations import format_duration, parse_duration
from bot.policy.model import PolicyError, load_policy


def test_shipped_defaults_have_four_severities_with_cadences():
    policy = load_policy()
    assert policy.severity_names == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert policy.cadence("SEV1") == timedelta(minutes=30) and policy.cadence("SEV4") == timedelta(hours=4)


def test_a_team_file_merges_over_the_defaults(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[channels]\nannouncements = "C123"\n')
    policy = load_policy(path)
    assert policy.channels.announcements == "C123" and policy.severity_names[0] == "SEV1"


def test_a_team_severity_table_replaces_the_whole_scale(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[severities.P1]\ndescription = "Page now"\ncadence = "15m"\n')
    assert load_policy(path).severity_names == ["P1"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[severities.SEV1]\ndescription = "x"\ncadence = "soon"\n', "severities.SEV1.cadence"),
        ('[incident]\nchannel_name_patern = "x"\n', "incident.channel_name_patern: unknown key"),
        ('[incident]\nchannel_name_pattern = "inc-{slug}"\n', "incident.channel_name_pattern"),
        ('[incident]\nchannel_name_pattern = "inc-{number}-{team}"\n', "unknown placeholder"),
        ("[incident\n", "not valid TOML"),
    ],
)
def test_a_bad_policy_names_the_key(tmp_path, text, named):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert named in str(error.value) and str(path) in str(error.value)


def test_a_missing_policy_file_is_reported():
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy("/nonexistent/policy.toml")


@pytest.mark.parametrize(("text", "seconds"), [("45s", 45), ("30m", 1800), ("1h30m", 5400), ("2d", 172800)])
def test_durations_parse(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "5", "1x", "0m", "m", "1h-5m"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_durations_format_for_people():
    assert format_duration(timedelta(minutes=90)) == "1h 30m"
