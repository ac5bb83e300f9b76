"""`run_eval` on packets drawn with the alternative templates (``bench.alt_templates``).

    python -m bench.run_eval_alt --seed N [--count N] [--mix public|uniform] [--engine E] [--work DIR]
                                 [--family alt|alt2|alt3]

Same arguments and the same scoring as ``bench.run_eval``; the packets, defects and truth are the generator's,
only the clinical documents and forms are drawn by other templates. Everything this writes in WORK carries an
``alt`` tag (``corpus-alt-<seed>-<count>-<mix>``, ``run-alt-...``, ``eval-alt-...``), so it never reuses a corpus
of ``run_eval`` nor ``run_eval`` one of its own, even in the same WORK folder.

``--family alt2`` draws with the second family (``bench.alt_templates2``) instead; its files carry the ``alt2``
tag (``corpus-alt2-...``, ``run-alt2-...``, ``eval-alt2-...``), so the two families never share a corpus either;
``--family alt3`` draws with the third (``bench.alt_templates3``) under the ``alt3`` tag in the same way.

How: the corpus is generated in this process with the alternative builders swapped into
``samples.generator.documents.BUILDERS`` (worker processes are forked while they are installed, or there is one
worker), then ``run_eval.main`` runs unchanged except that the paths it builds from ``--work`` get the tag and
it is not allowed to generate a corpus itself (its generator runs in a subprocess, without the swap).
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from bench import run_eval
from samples.generator import generate_corpus

TAG = "alt"
_PREFIXES = ("corpus-", "run-", "eval-")
# --family: the tag its files carry and the package of its templates (``installed`` and ``TEMPLATES_TAG``)
FAMILIES = {"alt": "bench.alt_templates", "alt2": "bench.alt_templates2", "alt3": "bench.alt_templates3"}


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


def _family(family: str):
    """The templates package of ``family`` (its ``installed`` and ``TEMPLATES_TAG``)."""
    return importlib.import_module(FAMILIES[family])


def corpus_dir(work: Path, seed: int, count: int, mix: str, *, family: str = "alt") -> Path:
    return work / f"corpus-{family}-{seed}-{count}-{mix}"


def generate(corpus: Path, *, seed: int, count: int, mix: str, family: str = "alt") -> dict:
    """Generate the packets of (seed, count, mix) into ``corpus`` with the alternative templates of ``family``."""
    package = _family(family)
    tag, install = package.TEMPLATES_TAG, package.installed
    shutil.rmtree(corpus, ignore_errors=True)
    workers = 2 if multiprocessing.get_start_method() == "fork" else 1  # a forked worker inherits the swap
    started = time.perf_counter()
    with install():
        truth = generate_corpus(corpus, seed=seed, count=count, mix=mix, workers=workers)
    truth["templates"] = tag
    (corpus / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"generated {count} packets with {tag} in {time.perf_counter() - started:.0f} s")
    return truth


def _is_alt_corpus(corpus: Path, *, family: str = "alt") -> bool:
    tag = _family(family).TEMPLATES_TAG
    try:
        truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(truth, dict) and truth.get("templates") == tag


def _without_family(argv: list[str]) -> list[str]:
    """``argv`` less its ``--family`` option (run_eval does not know it)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--family":
            skip = True
        elif not arg.startswith("--family="):
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.run_eval_alt", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--mix", choices=["public", "uniform"], default="public")
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--work", type=Path, default=run_eval.ROOT / "out" / "eval")
    parser.add_argument("--family", choices=sorted(FAMILIES), default="alt",
                        help="which alternative templates draw the corpus (default: alt, bench.alt_templates)")
    args, _rest = parser.parse_known_args(argv)  # the rest is run_eval's to accept or refuse
    if args.seed in run_eval.TEST_SEEDS:
        parser.error(f"seed {args.seed} is used by the committed samples; pick another")
    global TAG
    family = args.family
    templates = _family(family).TEMPLATES_TAG
    saved_tag, TAG = TAG, family  # _TaggedPath tags run_eval's paths with the family
    try:
        corpus = corpus_dir(args.work, args.seed, args.count, args.mix, family=family)
        if not _is_alt_corpus(corpus, family=family):
            generate(corpus, seed=args.seed, count=args.count, mix=args.mix, family=family)
        # run_eval derives every path from --work and its own defaults: pin them to the values used above
        pinned = [*_without_family(argv), "--seed", str(args.seed), "--count", str(args.count), "--mix", args.mix,
                  "--work", str(args.work)]
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
            print(f"run_eval did not write under the {TAG} names: its path building changed?", file=sys.stderr)
            return 1
        result = json.loads(report.read_text(encoding="utf-8"))
        result.setdefault("run", {})["templates"] = templates
        report.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"templates: {templates} (corpus {corpus})")
        return 0
    finally:
        TAG = saved_tag


if __name__ == "__main__":
    sys.exit(main())
