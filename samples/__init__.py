"""Synthetic sample packets for the pre-check pipeline: a seeded generator and a small committed corpus.

``samples.generator`` renders application packets (SPEC section 2) with ground truth;
``python -m samples.generate`` writes a corpus and its ``truth.json``.
"""
