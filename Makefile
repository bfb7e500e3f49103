# sagebox: `make demo` runs a real sample job; `make test` runs every test. Both install what they need.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
# The SageMaker Python SDK v3 (`sagemaker` 3.x) cannot share .venv with the SDK v2: its client tests have their own.
SDK3_VENV := .venv-sdk3
DEMO_ROOT := $(CURDIR)/demo-root
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)
SAGEBOX = $(RELEASE_BIN)/sagebox --root $(DEMO_ROOT)
DEMO_JOB := churn-$(shell date +%Y%m%d-%H%M%S)
DEMO_TRAINING := $(DEMO_JOB)-xgboost
# e2fsprogs formats the instances' volumes; fuse2fs and fuse (its setuid fusermount) mount them for a normal user.
# slirp4netns gives a job's own network namespace the outside network (without the host's loopback).
SYSTEM_PACKAGES := libarchive-dev libsqlite3-dev pkg-config e2fsprogs fuse2fs fuse slirp4netns

.PHONY: setup system-packages venv sdk3-venv spark-runtime build release demo test bench bench-tools clean

## setup: Debian packages for the build, and the samples' Python environment (idempotent).
setup: system-packages venv

# The Debian packages of $(1) that are missing, installed with apt-get.
# (dpkg -s succeeds for a removed package whose configuration files remain: ask for its status.)
apt_install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q ' installed$$' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

system-packages:
	@$(call apt_install,$(SYSTEM_PACKAGES))
	@# Debian's udev rule opens /dev/fuse to every user; containers without udev leave it to root alone.
	@if [ -c /dev/fuse ] && [ "$$(stat -c %a /dev/fuse)" != 666 ]; then $(SUDO) chmod 0666 /dev/fuse; fi

venv: $(VENV)/.installed $(VENV)/.plugin-installed

$(VENV)/.installed: samples/requirements.txt tests/clients/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r samples/requirements.txt -r tests/clients/requirements.txt
	touch $@

# The pytest plugin of this repo (clients/python, pytest-sagebox), reinstalled whenever its sources change.
# Inert in other test runs: it acts only for tests that ask for its fixtures or set sagebox_autoreset.
$(VENV)/.plugin-installed: $(VENV)/.installed clients/python/pyproject.toml $(wildcard clients/python/pytest_sagebox/*.py)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./clients/python
	touch $@

sdk3-venv: $(SDK3_VENV)/.installed

$(SDK3_VENV)/.installed: tests/clients/requirements-sdk3.txt
	python3 -m venv $(SDK3_VENV)
	$(SDK3_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/clients/requirements-sdk3.txt
	touch $@

## spark-runtime: what the sagemaker-spark-processing images run on (runtimes/spark/README.md): Debian's JDK
## and a venv with pyspark 3.5 and the two S3A jars of sagemaker-pyspark 1.4.5. Nothing of it is in the repo.
SPARK_VENV := .venv-spark
spark-runtime: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: runtimes/spark/requirements.txt
	@# Spark 3.5 runs on Java 17: Debian's (runtimes/spark looks there first), or a java 17 on PATH.
	@ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1 || java -version 2>&1 | grep -q 'version "17' \
	  || { $(call apt_install,openjdk-17-jre-headless); }
	python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check -r runtimes/spark/requirements.txt
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps sagemaker-pyspark==1.4.5
	touch $@

## build: a debug build of sagebox and its launcher.
build: system-packages
	$(SWIFT) build

release: system-packages
	$(SWIFT) build -c release

## demo: seed the fake S3 with the churn sample and run it (see samples/churn/README.md).
demo: setup release
	@mkdir -p $(DEMO_ROOT)/seed
	python3 samples/churn/generate_data.py --rows 5000 --out $(DEMO_ROOT)/seed/churn.csv
	$(SAGEBOX) s3 mb s3://sagebox-samples 2>/dev/null || true
	$(SAGEBOX) s3 cp samples/churn/preprocessing.py s3://sagebox-samples/churn/code/preprocessing.py
	$(SAGEBOX) s3 cp $(DEMO_ROOT)/seed/churn.csv s3://sagebox-samples/churn/raw/churn.csv
	$(SAGEBOX) run samples/churn/job.json --name $(DEMO_JOB) --wait --logs
	$(SAGEBOX) s3 ls --recursive s3://sagebox-samples/churn/processed/
	@rm -rf $(DEMO_ROOT)/out && mkdir -p $(DEMO_ROOT)/out
	@for s in train validation test; do \
	  $(SAGEBOX) s3 cp s3://sagebox-samples/churn/processed/$$s/$$s.csv $(DEMO_ROOT)/out/$$s.csv >/dev/null; done
	python3 tools/check_churn_outputs.py $(DEMO_ROOT)/out/train.csv $(DEMO_ROOT)/out/validation.csv $(DEMO_ROOT)/out/test.csv --total 5000
	@# Step 2: the built-in XGBoost algorithm trains on those splits (samples/churn/training-job.json).
	$(SAGEBOX) train samples/churn/training-job.json --name $(DEMO_TRAINING) --wait
	$(SAGEBOX) s3 ls s3://sagebox-samples/churn/model/$(DEMO_TRAINING)/output/
	@$(SAGEBOX) describe --training $(DEMO_TRAINING) | python3 tools/print_final_metrics.py
	@echo "Root: $(DEMO_ROOT)  (try: $(SAGEBOX) list)"

## test: every test, against real processes, files and databases.
test: setup sdk3-venv spark-runtime
	$(SWIFT) build --build-tests
	SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) $(SWIFT) test --skip-build --skip HostProtectionTests
	@# Jobs that fill the shared cgroup on purpose (issue 11) run alone: beside them, other tests' jobs
	@# would get a sliver of the CPU and of the host's page cache, and time out. The same as a normal user
	@# (NormalUserHostProtectionTests, also skipped above) runs after them, not beside them.
	SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) $(SWIFT) test --skip-build --filter 'ProcessingEngineTests\.HostProtectionTests'
	SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) $(SWIFT) test --skip-build --filter NormalUserHostProtectionTests
	@# The runtimes' own programs, run as the platform runs them (tests/runtimes; about 40 s).
	$(VENV)/bin/python -m pytest -q tests/runtimes
	@# The real AWS clients (boto3, the AWS CLI) against `sagebox serve`; see tests/clients/conftest.py.
	SAGEBOX_BIN="$$($(SWIFT) build --show-bin-path)/sagebox" SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) \
	  $(VENV)/bin/python -m pytest -q tests/clients
	@# pytest-sagebox (clients/python): its own tests, then the sample project that uses it (tests/plugin_sample,
	@# run from its folder's pytest.ini).
	SAGEBOX_BIN="$$($(SWIFT) build --show-bin-path)/sagebox" SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) \
	  $(VENV)/bin/python -m pytest -q clients/python/tests
	SAGEBOX_BIN="$$($(SWIFT) build --show-bin-path)/sagebox" SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) \
	  $(VENV)/bin/python -m pytest -q tests/plugin_sample
	@# The same against the SDK v3, in its own venv: only tests/clients/sdk3 (see tests/clients/conftest.py).
	SAGEBOX_BIN="$$($(SWIFT) build --show-bin-path)/sagebox" SAGEBOX_PYTHON_ENV=$(CURDIR)/$(VENV) \
	  $(SDK3_VENV)/bin/python -m pytest -q tests/clients/sdk3

## bench: speed and memory against baselines timed in the same run (issue 6; see bench/README.md).
## Not part of `make test`. BENCH_ARGS passes options, e.g. BENCH_ARGS="--rows listing --quick".
BENCH_VENV := .venv-bench
BENCH_TOOLS := hyperfine curl
bench: release venv spark-runtime bench-tools $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m bench --sagebox "$(RELEASE_BIN)/sagebox" $(BENCH_ARGS)

bench-tools:
	@$(call apt_install,$(BENCH_TOOLS))

$(BENCH_VENV)/.installed: bench/requirements.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

clean:
	rm -rf .build $(VENV) $(SDK3_VENV) $(SPARK_VENV) $(BENCH_VENV) $(DEMO_ROOT) bench/.work
