# Two commands for a new user on a fresh Debian 12 machine (see README):
#   make demo   pre-check the bundled sample packets
#   make test   run the test suite
# Both install what is missing (Debian packages, .venv, Python packages) and are fast when it is there.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming \
  fonts-arphic-ukai poppler-utils postgresql chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SEED ?= 20261123
COUNT ?= 60
MIX ?= public
BENCH_SEED ?= 909
BENCH_COUNT ?= 40

.PHONY: demo test test-fast eval eval-real eval-alt eval-alt2 eval-alt3 bench lint system-deps venv clean

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@# rapidocr pulls the GUI build of OpenCV; both ship cv2, so put the headless files back on top.
	$(PY) -m pip install -q --no-deps --force-reinstall -c constraints.txt opencv-python-headless
	@touch $(STAMP)

venv: system-deps $(STAMP)

demo: venv
	rm -rf out/demo
	$(VENV)/bin/precheck run samples/corpus --out out/demo

test: venv
	$(VENV)/bin/ruff check .
	PRECHECK_REQUIRE_POSTGRES=1 PRECHECK_REQUIRE_BROWSER=1 $(PY) -m pytest -q

eval: venv
	$(PY) -m bench.run_eval --seed $(SEED) --count $(COUNT) --mix $(MIX)

eval-real: venv
	$(PY) -m bench.run_eval_real

# the same packets and truth drawn with other templates (bench/alt_templates): reading beyond our own layouts
eval-alt: venv
	$(PY) -m bench.run_eval_alt --seed $(SEED) --count $(COUNT) --mix $(MIX)

eval-alt2: venv
	$(PY) -m bench.run_eval_alt --family alt2 --seed $(SEED) --count $(COUNT) --mix $(MIX)

eval-alt3: venv
	$(PY) -m bench.run_eval_alt --family alt3 --seed $(SEED) --count $(COUNT) --mix $(MIX)

bench: venv
	$(PY) -m bench.speed --seed $(BENCH_SEED) --count $(BENCH_COUNT)

test-fast: venv
	$(PY) -m pytest -q -x -m "not slow"

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf out .pytest_cache .ruff_cache
