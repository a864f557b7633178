"""Evaluate the draft checks on the labelled drafts in tests/data/drafts/*.toml.

    .venv/bin/python benchmarks/checks_eval.py [--split tune|kept_aside|blind|all] [--verbose]

Splits: ``tune`` (what the rules are tuned on), ``kept_aside`` (written by the rules' author before the
first detector; reported separately) and ``blind`` (blind_*.toml: written by other writers before the
rule changes of issue 20; never tuned on). ``--verbose`` lists misses and false alarms, and refuses the
blind split so its per-draft errors stay unseen.

Per split and measure it prints the positives (pos), the look-alikes (look: the drafts the measure
must not flag), TP, FN, FP, recall and the false-positive rate:

- Required keys: the positive class is *missing* content, which is what the checklist reports.
  pos = drafts where the key is missing, look = drafts where it is present; TP = missing and reported
  missing, FN = missing but reported present, FP = present but reported missing.
  FP rate = FP / drafts where the key is present.
- Findings: an expected finding is found when a predicted finding of the same kind overlaps the
  expected substring (one-to-one); unmatched predictions are false findings. pos = expected findings,
  look = drafts of the split with no expected finding of that kind.
  FP rate = false findings / drafts of the split with no expected finding of that kind.
"""

import argparse
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.comms.checks import FINDING_KINDS, REQUIRED_KEYS, Finding, check_draft  # noqa: E402
from bot.enums import Stage  # noqa: E402
from bot.policy.check_rules import CheckRules  # noqa: E402

DRAFTS_DIR = ROOT / "tests" / "data" / "drafts"
CORPUS = DRAFTS_DIR / "corpus.toml"
SPLITS: tuple[str, ...] = ("tune", "kept_aside", "blind")
REQUIRED_KINDS: tuple[str, ...] = tuple(dict.fromkeys(key for keys in REQUIRED_KEYS.values() for key in keys))


@dataclass
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    lookalikes: int = 0

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def fp_rate(self) -> float | None:
        return self.fp / self.lookalikes if self.lookalikes else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None


@dataclass
class Evaluation:
    counts: dict[str, Counts]
    errors: list[str]


def corpus_files(directory: Path = DRAFTS_DIR) -> list[Path]:
    """corpus.toml first, then every other drafts file (tune_more.toml, blind_*.toml)."""
    others = sorted(path for path in directory.glob("*.toml") if path.name != CORPUS.name)
    return [directory / CORPUS.name, *others]


def load_corpus(path: Path | None = None) -> list[dict]:
    """Every labelled draft: of one file when ``path`` is given, else of all drafts files."""
    drafts: list[dict] = []
    for file in [path] if path else corpus_files():
        with file.open("rb") as handle:
            drafts += tomllib.load(handle)["draft"]
    return drafts


def evaluate(drafts: Iterable[dict]) -> Evaluation:
    """Score the checks on ``drafts``; ``errors`` describes every miss and false alarm."""
    counts = {kind: Counts() for kind in (*REQUIRED_KINDS, *FINDING_KINDS)}
    errors: list[str] = []
    for draft in drafts:
        stage = Stage(draft["stage"])
        report = check_draft(
            draft["text"],
            stage,
            named_accounts=draft.get("named_accounts", []),
            may_name=draft.get("may_name", []),
            rules=CheckRules(**draft.get("rules", {})),
        )
        errors += _score_required(draft, report.required, counts)
        errors += _score_findings(draft, report.findings, counts)
    return Evaluation(counts, errors)


def _score_required(draft: dict, predicted: dict[str, bool], counts: dict[str, Counts]) -> list[str]:
    expected = draft["required"]
    if set(expected) != set(REQUIRED_KEYS[Stage(draft["stage"])]):
        raise ValueError(f"{draft['id']}: required keys {sorted(expected)} do not match the stage")
    errors = []
    for key, present in expected.items():
        if present:
            counts[key].lookalikes += 1
        if not present and not predicted[key]:
            counts[key].tp += 1
        elif not present:
            counts[key].fn += 1
            errors.append(f"{draft['id']}: {key} missing but detected as present")
        elif not predicted[key]:
            counts[key].fp += 1
            errors.append(f"{draft['id']}: {key} present but reported missing")
    return errors


def _expected_span(draft: dict, item: dict) -> tuple[int, int] | None:
    if "match" not in item:
        return None
    text, match = draft["text"], item["match"]
    start = -1
    for _ in range(item.get("occurrence", 1)):
        start = text.find(match, start + 1)
        if start < 0:
            raise ValueError(f"{draft['id']}: expected match {match!r} not in text")
    return start, start + len(match)


def _score_findings(draft: dict, predicted: Sequence[Finding], counts: dict[str, Counts]) -> list[str]:
    unmatched = list(predicted)
    errors = []
    expected_kinds = {item["kind"] for item in draft.get("findings", [])}
    for kind in FINDING_KINDS:
        if kind not in expected_kinds:
            counts[kind].lookalikes += 1
    for item in draft.get("findings", []):
        span = _expected_span(draft, item)
        hit = next(
            (
                f
                for f in unmatched
                if f.kind == item["kind"] and (span is None or (f.start < span[1] and span[0] < f.end))
            ),
            None,
        )
        if hit is None:
            counts[item["kind"]].fn += 1
            errors.append(f"{draft['id']}: missed {item['kind']} {item.get('match', '')!r}")
        else:
            counts[item["kind"]].tp += 1
            unmatched.remove(hit)
    for finding in unmatched:
        counts[finding.kind].fp += 1
        errors.append(f"{draft['id']}: false {finding.kind} {finding.match!r}")
    return errors


def _percent(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.0%}"


def format_table(title: str, evaluation: Evaluation, n_drafts: int) -> str:
    """One split's table: per measure pos, look, TP, FN, FP, recall and FP rate."""
    lines = [
        f"{title} ({n_drafts} drafts)",
        f"  {'measure':<22}{'pos':>5}{'look':>5}{'TP':>5}{'FN':>4}{'FP':>4}  {'recall':>6}  {'FP rate':>7}",
    ]
    for section, kinds in (("required (positive = missing)", REQUIRED_KINDS), ("findings", FINDING_KINDS)):
        lines.append(f"  -- {section}")
        for kind in kinds:
            c = evaluation.counts[kind]
            lines.append(
                f"  {kind:<22}{c.positives:>5}{c.lookalikes:>5}{c.tp:>5}{c.fn:>4}{c.fp:>4}  "
                f"{_percent(c.recall):>6}  {_percent(c.fp_rate):>7}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--corpus", type=Path, help="one drafts file instead of tests/data/drafts/*.toml")
    parser.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "all" else (args.split,)
    if args.verbose and "blind" in splits:
        parser.error("--verbose is refused for the blind split: its per-draft errors stay unseen")
    drafts = load_corpus(args.corpus)
    for split in splits:
        subset = [d for d in drafts if d["split"] == split]
        evaluation = evaluate(subset)
        print(format_table(f"split: {split}", evaluation, len(subset)))
        if args.verbose:
            print("\n".join(f"    {error}" for error in evaluation.errors) or "    no errors")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
