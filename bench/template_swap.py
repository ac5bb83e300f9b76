"""Swapping another family of document templates into the generator, in step with our own.

Shared by ``bench.alt_templates`` and ``bench.alt_templates2``: each family's builders have the generator's
signature (``build_x(spec: DocContent, rng: random.Random) -> Built``) and replace the generator's for a
``with`` block.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from samples.generator import documents
from samples.generator.documents import Built, DocContent

Builder = Callable[[DocContent, random.Random], Built]


def in_step(alt: Builder, ours: Builder, salt: int | None = None) -> Builder:
    """``alt`` drawing from its own rng while ``ours`` advances the shared one (its drawing is discarded).

    corpus.py picks the capture (scan, photo, PDF...) and its noise from the rng the builder used, so a
    builder that draws a different number of numbers would change every file's capture. In step, each file
    keeps the capture it gets with our templates and the corpora of one seed differ only in templates.
    ``salt`` keeps one family's own random stream apart from another's (None: the first family's stream).
    """

    def build(spec: DocContent, rng: random.Random) -> Built:
        state = rng.getstate()[1]  # a tuple of ints: the same hash in every process
        own = random.Random(hash(state) if salt is None else hash((salt, *state)))
        ours(spec, rng)
        return alt(spec, own)

    build.__name__ = build.__qualname__ = f"in_step_{alt.__name__}"
    build.__doc__ = alt.__doc__
    return build


@contextmanager
def installed(builders: Mapping[str, Builder], *, keep_captures: bool = True,
              salt: int | None = None) -> Iterator[dict]:
    """Swap ``builders`` into ``samples.generator.documents.BUILDERS`` for the ``with`` block.

    ``documents.build`` (which corpus.py calls) looks builders up in that dict at call time, so mutating it
    in place reaches every caller in this process and in worker processes forked while it is installed.
    With ``keep_captures`` each file keeps the capture our templates give it (see :func:`in_step`).
    """
    missing = set(builders) - set(documents.BUILDERS)
    if missing:
        raise KeyError(f"generator has no builders for {sorted(missing)}: content names changed?")
    saved = {k: documents.BUILDERS[k] for k in builders}
    documents.BUILDERS.update({k: in_step(b, saved[k], salt) if keep_captures else b for k, b in builders.items()})
    try:
        yield documents.BUILDERS
    finally:
        documents.BUILDERS.update(saved)
