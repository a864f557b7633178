"""The labelled corpus: integrity, and recall/false-positive floors on the TUNE split only.

The holdout split is reported by benchmarks/checks_eval.py and deliberately not asserted here, so
its numbers stay an honest estimate rather than something tuned to pass.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.comms.checks import REQUIRED_KEYS
from bot.enums import Stage

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
TUNE = [draft for draft in DRAFTS if draft["split"] == "tune"]


def test_corpus_is_large_and_about_a_third_is_held_out() -> None:
    holdout = [draft for draft in DRAFTS if draft["split"] == "holdout"]
    assert len(DRAFTS) >= 60
    assert 0.25 <= len(holdout) / len(DRAFTS) <= 0.4
    assert {draft["split"] for draft in DRAFTS} == {"tune", "holdout"}


def test_every_stage_appears_in_both_splits() -> None:
    for split in ("tune", "holdout"):
        assert {Stage(d["stage"]) for d in DRAFTS if d["split"] == split} == set(Stage)


def test_draft_ids_are_unique() -> None:
    ids = [draft["id"] for draft in DRAFTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d["id"])
def test_labels_cover_the_stage_and_point_into_the_text(draft: dict) -> None:
    assert set(draft["required"]) == set(REQUIRED_KEYS[Stage(draft["stage"])])
    for finding in draft.get("findings", []):
        assert finding["kind"] in checks_eval.FINDING_KINDS
        assert finding["kind"] == "length" or finding["match"] in draft["text"]


def test_tune_split_meets_recall_and_false_positive_floors() -> None:
    evaluation = checks_eval.evaluate(TUNE)
    for kind, counts in evaluation.counts.items():
        if counts.recall is not None:
            assert counts.recall >= 0.9, (kind, evaluation.errors)
        assert counts.fp <= 1, (kind, evaluation.errors)
    total_fp = sum(c.fp for c in evaluation.counts.values())
    assert total_fp <= 3, evaluation.errors
