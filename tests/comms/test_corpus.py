"""The labelled drafts: integrity, and recall/false-positive floors on the TUNE split only.

The kept_aside and blind splits are reported by benchmarks/checks_eval.py and deliberately not asserted
here, so their numbers stay an honest estimate rather than something tuned to pass. Blind drafts are
only counted and checked for well-formed labels, with messages that never show their text.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.comms.checks import REQUIRED_KEYS
from bot.enums import Stage
from bot.policy.check_rules import CheckRules

EVAL_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "checks_eval.py"


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("checks_eval", EVAL_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("checks_eval", module)
    spec.loader.exec_module(module)
    return module


checks_eval = load_eval()
DRAFTS = checks_eval.load_corpus()
SEEN = [draft for draft in DRAFTS if draft["split"] != "blind"]
TUNE = [draft for draft in DRAFTS if draft["split"] == "tune"]
BLIND = [draft for draft in DRAFTS if draft["split"] == "blind"]


def test_corpus_has_the_three_splits_and_at_least_400_drafts() -> None:
    assert {draft["split"] for draft in DRAFTS} == {"tune", "kept_aside", "blind"}
    assert len(DRAFTS) >= 400
    assert len([d for d in DRAFTS if d["split"] == "kept_aside"]) == 26
    assert len(BLIND) == 220


INCIDENT_STAGES = {Stage.INITIAL, Stage.UPDATE, Stage.RESOLVED, Stage.POST_INCIDENT}


def test_every_stage_appears_in_every_split() -> None:
    """The maintenance stages (issue 21) came after the kept-aside and blind drafts were written."""
    for split in checks_eval.SPLITS:
        stages = {Stage(d["stage"]) for d in DRAFTS if d["split"] == split}
        assert stages == (set(Stage) if split == "tune" else INCIDENT_STAGES)


def test_draft_ids_are_unique() -> None:
    ids = [draft["id"] for draft in DRAFTS]
    assert len(ids) == len(set(ids))


def _well_formed(draft: dict) -> bool:
    if set(draft["required"]) != set(REQUIRED_KEYS[Stage(draft["stage"])]):
        return False
    try:
        CheckRules(**draft.get("rules", {}))
    except ValueError:  # pydantic's ValidationError; its message would quote the draft
        return False
    return all(
        finding["kind"] in checks_eval.FINDING_KINDS
        and (finding["kind"] == "length" or finding["match"] in draft["text"])
        for finding in draft.get("findings", [])
    )


@pytest.mark.parametrize("draft", SEEN, ids=lambda d: d["id"])
def test_labels_cover_the_stage_and_point_into_the_text(draft: dict) -> None:
    assert _well_formed(draft)


def test_blind_labels_are_well_formed() -> None:
    """Counted only: a failure says how many, never which or what."""
    assert sum(not _well_formed(draft) for draft in BLIND) == 0


def test_tune_split_meets_recall_and_false_positive_floors() -> None:
    evaluation = checks_eval.evaluate(TUNE)
    for kind, counts in evaluation.counts.items():
        if counts.recall is not None:
            assert counts.recall >= 0.9, (kind, evaluation.errors)
        if counts.fp_rate is not None:
            assert counts.fp_rate <= 0.03, (kind, evaluation.errors)
