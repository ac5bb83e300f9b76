"""`run_eval` on packets drawn with the alternative templates (``bench.alt_templates``).

    python -m bench.run_eval_alt --seed N [--count N] [--mix public|uniform] [--engine E] [--work DIR]

Same arguments and the same scoring as ``bench.run_eval``; the packets, defects and truth are the generator's,
only the clinical documents and forms are drawn by other templates. Everything this writes in WORK carries an
``alt`` tag (``corpus-alt-<seed>-<count>-<mix>``, ``run-alt-...``, ``eval-alt-...``), so it never reuses a corpus
of ``run_eval`` nor ``run_eval`` one of its own, even in the same WORK folder.

How: the corpus is generated in this process with the alternative builders swapped into
``samples.generator.documents.BUILDERS`` (worker processes are forked while they are installed, or there is one
worker), then ``run_eval.main`` runs unchanged except that the paths it builds from ``--work`` get the tag and
it is not allowed to generate a corpus itself (its generator runs in a subprocess, without the swap).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from bench import run_eval
from bench.alt_templates import TEMPLATES_TAG, installed
from samples.generator import generate_corpus

TAG = "alt"
_PREFIXES = ("corpus-", "run-", "eval-")


class _TaggedPath(type(Path())):  # type: ignore[misc]
    """A path whose children named ``corpus-…``, ``run-…`` or ``eval-…`` get the ``alt-`` tag after the prefix."""

    def __truediv__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            for prefix in _PREFIXES:
                if key.startswith(prefix) and not key.startswith(f"{prefix}{TAG}-"):
                    key = f"{prefix}{TAG}-{key[len(prefix):]}"
                    break
        return super().__truediv__(key)


def _no_generation(cmd, *args, **kwargs):
    """``subprocess.run`` for run_eval: refuses to generate a corpus (it would be drawn with our own templates)."""
    if any(str(c) == "samples.generate" for c in cmd):
        raise RuntimeError("run_eval tried to generate a corpus itself; the alternative corpus should exist already")
    return subprocess.run(cmd, *args, **kwargs)


def corpus_dir(work: Path, seed: int, count: int, mix: str) -> Path:
    return work / f"corpus-{TAG}-{seed}-{count}-{mix}"


def generate(corpus: Path, *, seed: int, count: int, mix: str) -> dict:
    """Generate the packets of (seed, count, mix) into ``corpus`` with the alternative templates."""
    shutil.rmtree(corpus, ignore_errors=True)
    workers = 2 if multiprocessing.get_start_method() == "fork" else 1  # a forked worker inherits the swap
    started = time.perf_counter()
    with installed():
        truth = generate_corpus(corpus, seed=seed, count=count, mix=mix, workers=workers)
    truth["templates"] = TEMPLATES_TAG
    (corpus / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"generated {count} packets with {TEMPLATES_TAG} in {time.perf_counter() - started:.0f} s")
    return truth


def _is_alt_corpus(corpus: Path) -> bool:
    try:
        truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(truth, dict) and truth.get("templates") == TEMPLATES_TAG


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.run_eval_alt", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--mix", choices=["public", "uniform"], default="public")
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--work", type=Path, default=run_eval.ROOT / "out" / "eval")
    args, _rest = parser.parse_known_args(argv)  # the rest is run_eval's to accept or refuse
    if args.seed in run_eval.TEST_SEEDS:
        parser.error(f"seed {args.seed} is used by the committed samples; pick another")

    corpus = corpus_dir(args.work, args.seed, args.count, args.mix)
    if not _is_alt_corpus(corpus):
        generate(corpus, seed=args.seed, count=args.count, mix=args.mix)
    # run_eval derives every path from --work and its own defaults: pin them to the values used above
    pinned = [*argv, "--seed", str(args.seed), "--count", str(args.count), "--mix", args.mix, "--work", str(args.work)]
    saved = run_eval.Path, run_eval.subprocess
    run_eval.Path = _TaggedPath
    run_eval.subprocess = SimpleNamespace(run=_no_generation)  # type: ignore[assignment]
    try:
        code = run_eval.main(pinned)
    finally:
        run_eval.Path, run_eval.subprocess = saved
    if code != 0:
        return code
    report = args.work / f"eval-{TAG}-{args.seed}-{args.count}-{args.mix}-{args.engine}.json"
    if not (args.work / f"run-{TAG}-{args.seed}-{args.count}-{args.mix}-{args.engine}").is_dir() or not report.exists():
        print("run_eval did not write under the alt names: its path building changed?", file=sys.stderr)
        return 1
    result = json.loads(report.read_text(encoding="utf-8"))
    result.setdefault("run", {})["templates"] = TEMPLATES_TAG
    report.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"templates: {TEMPLATES_TAG} (corpus {corpus})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
