import json
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerhub.assist import corpus, evaluation, model
from partnerhub.assist.services import check_text, readings_rescore


class Command(BaseCommand):
    help = "SDG suggestion model: train, evaluate, suggest (JSON lines on standard input), rescore."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="Rebuild the model artefact from the shipped training data")
        train.add_argument("-o", "--output", default=str(model.MODEL_PATH))
        train.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Goals fitted in parallel threads (faster; the bytes may then differ in the last bits)",
        )
        evaluate = sub.add_parser(
            "evaluate",
            help="Micro and macro F1 and yes/no accuracy per goal and per language on the held-out split, "
            "and on its abstracts cut into short passages",
        )
        evaluate.add_argument("--model", default=str(model.MODEL_PATH))
        evaluate.add_argument(
            "--limit", type=int, default=0, help="Evaluate on every n-th held-out text only (a small split)"
        )
        evaluate.add_argument("--json", action="store_true")
        suggest = sub.add_parser(
            "suggest", help='Read {"text": …, "lang": …} lines, write one JSON line each'
        )
        suggest.add_argument("--model", default=str(model.MODEL_PATH))
        suggest.add_argument("--explain", action="store_true", help="Add the weighty words and target texts")
        sub.add_parser("rescore", help="Re-score every published partnership (as the background task does)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _train(self, *, output, jobs, **options):
        started = time.perf_counter()
        train, held = corpus.split()
        blob = model.train(train, jobs=jobs, progress=lambda line: self.stderr.write(line))
        Path(output).write_bytes(blob)
        self.stdout.write(f"Wrote {output} ({len(blob) / 1e6:.1f} MB) from {len(train)} texts "
                          f"({len(held)} held out) in {time.perf_counter() - started:.0f} s.")  # fmt: skip

    def _evaluate(self, *, model: str, limit, json: bool, **options):
        _train, held = corpus.split()
        if limit:
            held = held[:: max(1, len(held) // limit)]
        loaded = _load(model)
        report = evaluation.evaluate(loaded, held)
        passages = evaluation.evaluate(loaded, corpus.passages(held))
        if json:
            self.stdout.write(_dumps({**report.as_dict(), "passages": passages.as_dict()}))
            return
        out = self.stdout.write
        out(f"Held-out texts: {report.texts}   micro F1 {report.micro.f1:.3f}   macro F1 {report.macro_f1:.3f}   "
            f"yes/no accuracy {report.yes_no:.3f}   goals per text {report.goals_per_text:.2f}")  # fmt: skip
        out("\ngoal  precision  recall     F1  yes/no  support")
        for goal, s in report.per_goal.items():
            out(
                f"{goal:>4}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.yes_no:6.3f}  {s.tp + s.fn:7d}"
            )
        out("\nlanguage  texts  micro F1  macro F1  yes/no  target top-1")
        for lang, (n, micro, macro, yes_no) in report.per_language.items():
            top1 = report.target_top1.get(lang)
            out(
                f"{lang:>8}  {n:5d}  {micro:8.3f}  {macro:8.3f}  {yes_no:6.3f}  {'' if top1 is None else f'{top1:12.3f}'}"
            )
        out(f"\nThe held-out abstracts cut into passages of up to {corpus.PASSAGE_SENTENCES} sentences: "
            f"{passages.texts}   micro F1 {passages.micro.f1:.3f}   macro F1 {passages.macro_f1:.3f}   "
            f"yes/no accuracy {passages.yes_no:.3f}   goals per text {passages.goals_per_text:.2f}")  # fmt: skip
        out(
            "yes/no accuracy: per goal, the mean of the share of its texts that get it and the share of the "
            "others that do not."
        )

    def _suggest(self, *, model: str, explain, **options):
        loaded = _load(model)
        stream = sys.stdin.buffer
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            self.stdout.write(_dumps(_suggest_line(loaded, raw, number, explain)))
            self.stdout.flush()

    def _rescore(self, **options):
        with tqdm(unit="partnerships", file=sys.stderr, disable=options["verbosity"] == 0) as bar:
            count = readings_rescore(progress=bar.update)
        self.stdout.write(f"Re-scored {count} published partnerships.")


def _load(path: str) -> model.Model:
    try:
        return model.load(Path(path))
    except (OSError, ValueError, KeyError) as error:
        raise CommandError(f"Cannot load the model from {path}: {error}") from None


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _suggest_line(loaded: model.Model, raw: bytes, number: int, explain: bool) -> dict:
    """One output object per input line; a bad line gets {"line": n, "error": …} and the rest go on."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"line": number, "error": "The line is not valid UTF-8."}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"line": number, "error": f"Not a JSON object: {error.msg} (column {error.colno})."}
    if not isinstance(item, dict):
        return {"line": number, "error": 'Give an object: {"text": "...", "lang": "fr"}.'}
    try:
        text, lang = check_text(item.get("text"), item.get("lang"))
    except ValidationError as error:
        return {"line": number, "error": " ".join(m for ms in error.message_dict.values() for m in ms)}
    result = loaded.suggest(text, lang).as_dict()
    if not explain:
        for goal in result["goals"]:
            goal.pop("words")
        for target in result["targets"]:
            target.pop("text")
    return result
