"""Processing stages of the pre-check. Each module has one job; ``run.py`` orders them."""
