# 政务办公 — run, test and deploy plumbing. `make` (or `make help`) lists the targets.
#
# README command 1: `make run`  — embedded default (SQLite + Celery on SQLite), demo data, web+worker+beat.
# README command 2: `make test` — the whole suite on PostgreSQL and Redis, browser tests included.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.ONESHELL:

# The machines' python3 is 3.11 (Django 5.2 LTS); prefer an explicit python3.11 when there is one.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(PY) -m pip --disable-pip-version-check --no-input
RUNTIME_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp

# Local PostgreSQL and Redis for the tests (`make services` starts them).
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
PG_DB ?= office
PSQL := psql -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) -v ON_ERROR_STOP=1 -qAt
REDIS_PORT ?= 6379
# Extra pytest arguments, e.g. make test PYTEST_ARGS="tests/office -k calendar".
PYTEST_ARGS ?=

# `manage.py check --deploy` with production-like settings: it must report nothing at all.
CHECK_DEPLOY = DEBUG=0 ALLOWED_HOSTS=oa.example.gov.cn CSRF_TRUSTED_ORIGINS=https://oa.example.gov.cn \
	SECURE_SSL_REDIRECT=1 SECURE_COOKIES=1 \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming libharfbuzz-subset0 \
	libpango-1.0-0 libpangoft2-1.0-0 chromium poppler-utils
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help run test services system-deps bench bench-incoming bench-outgoing-batch bench-supervision-export bench-supervision bench-supervision-ledger bench-proposals-import lint format install install-dev seed accounts \
	check-deploy

help:  ## 列出所有目标 (this list)
	@echo "政务办公 — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- Python environment ---------------------------------------------------------------------

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), sys.version'
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)  ## 建立 .venv 并安装运行依赖 (requirements.txt)

install-dev: $(DEV_STAMP)  ## 安装开发与测试依赖 (requirements-dev.txt)

# --- README command 1: run ------------------------------------------------------------------

run: export DEBUG := 1
run: export PYTHONUNBUFFERED := 1
run: export PATH := $(CURDIR)/$(BIN):$(PATH)
run: $(RUNTIME_STAMP)  ## 【命令一】迁移、载入演示数据，启动 web + worker + beat（默认内嵌 SQLite）
	@echo "==> manage.py migrate"
	python manage.py migrate --noinput
	echo "==> manage.py seed_demo"
	python manage.py seed_demo
	echo
	echo "============================================================"
	echo "  政务办公已启动：http://127.0.0.1:8000/"
	echo "  用上表中的任一演示账号登录；按 Ctrl-C 停止 web、worker、beat。"
	echo "============================================================"
	echo
	# `-e /dev/null`: the variables set here win over a .env file, as they do in settings.py.
	exec honcho start -e /dev/null -f Procfile

seed: export DEBUG ?= 1
seed: $(RUNTIME_STAMP)  ## 迁移并（重新）载入演示数据，可重复运行
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

accounts: export DEBUG ?= 1
accounts: $(RUNTIME_STAMP)  ## 打印演示账号及密码
	$(PY) manage.py seed_demo --print-accounts

# --- README command 2: test -----------------------------------------------------------------

test: export DATABASE_URL ?= postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PG_DB)
test: export REDIS_URL ?= redis://127.0.0.1:$(REDIS_PORT)/1
test: export CELERY_BROKER_URL = $(REDIS_URL)
test: export SECRET_KEY := test-secret
test: export DEBUG := 0
test: export SECURE_SSL_REDIRECT := 0
test: export PYTHONUNBUFFERED := 1
test: services $(DEV_STAMP)  ## 【命令二】在 PostgreSQL + Redis 上运行全部测试（含浏览器测试）
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make test runs on PostgreSQL only, not on $$DATABASE_URL" >&2; exit 2 ;; esac
	echo "==> tests on $$DATABASE_URL; Redis $$REDIS_URL; Celery broker $$CELERY_BROKER_URL"
	echo "==> manage.py makemigrations --check --dry-run"
	$(PY) manage.py makemigrations --check --dry-run
	echo "==> manage.py check --deploy --fail-level WARNING (production settings)"
	$(CHECK_DEPLOY)
	echo "==> pytest --create-db"
	status=0
	$(BIN)/pytest --create-db $(PYTEST_ARGS) || status=$$?
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure here." >&2; fi
	exit $$status

check-deploy: export DATABASE_URL ?= postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PG_DB)
check-deploy: $(RUNTIME_STAMP)  ## 按生产配置运行 manage.py check --deploy，须无任何提示
	@echo "==> manage.py check --deploy --fail-level WARNING (production settings)"
	$(CHECK_DEPLOY)

services:  ## 启动本机 PostgreSQL 和 Redis（如未运行），建立 UTF-8 (C.UTF-8) 的 office 数据库
	@if ! pg_isready -h $(PG_HOST) -p $(PG_PORT) -q; then
		[ -d /etc/postgresql ] || { echo "PostgreSQL is not installed (/etc/postgresql)" >&2; exit 1; }
		version=$$(ls /etc/postgresql | sort -V | tail -n 1)
		echo "starting PostgreSQL $$version"
		pg_ctlcluster --skip-systemctl-redirect "$$version" main start
	fi
	if ! redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1; then
		echo "starting Redis"
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $(REDIS_PORT) --save "" \
			--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	fi
	for i in $$(seq 60); do
		pg_isready -h $(PG_HOST) -p $(PG_PORT) -q && break
		[ $$i -lt 60 ] || { echo "PostgreSQL does not answer" >&2; exit 1; }
		sleep 0.5
	done
	for i in $$(seq 60); do
		[ "$$(redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping 2>/dev/null)" = PONG ] && break
		[ $$i -lt 60 ] || { echo "Redis does not answer" >&2; exit 1; }
		sleep 0.5
	done
	# pg_trgm sees no Chinese in a database whose ctype is C (FIELD_NOTES.md). The test database
	# is created from template1, so template1 must be UTF-8 too: rebuild it from template0 if not.
	ctype=$$($(PSQL) -d postgres -c "SELECT datctype FROM pg_database WHERE datname = 'template1'")
	case "$$ctype" in
		*.UTF-8|*.utf8|*.UTF8) ;;
		*)
			echo "template1 has ctype '$$ctype': rebuilding it with C.UTF-8"
			$(PSQL) -d postgres -c "UPDATE pg_database SET datistemplate = false WHERE datname = 'template1'"
			$(PSQL) -d postgres -c "DROP DATABASE template1"
			$(PSQL) -d postgres -c "CREATE DATABASE template1 WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
			$(PSQL) -d postgres -c "UPDATE pg_database SET datistemplate = true WHERE datname = 'template1'"
			;;
	esac
	if [ -z "$$($(PSQL) -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'")" ]; then
		createdb -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) --encoding UTF8 --lc-ctype C.UTF-8 \
			--lc-collate C.UTF-8 --template template0 $(PG_DB)
		echo "created database $(PG_DB) (UTF8, C.UTF-8)"
	fi
	echo "PostgreSQL and Redis are up."

system-deps:  ## 安装 Debian 包：中文字体、libharfbuzz-subset0、WeasyPrint 运行库、Chromium、poppler-utils
	@missing=""
	for package in $(SYSTEM_PACKAGES); do
		dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"
	done
	if [ -z "$$missing" ]; then echo "System packages present."; exit 0; fi
	echo "installing:$$missing"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# --- Other ----------------------------------------------------------------------------------

bench: $(RUNTIME_STAMP)  ## PDF 基准测试 (bench/pdf_bench.py)：7 页公文冷启动 ≤ 0.5 s，重印 < 0.05 s
	$(PY) bench/pdf_bench.py

bench-incoming: services $(RUNTIME_STAMP)  ## 收文登记簿、待办与检索基准（10 万件收文，p95 < 150 ms）
	$(PY) bench/incoming_bench.py

bench-outgoing-batch: services $(RUNTIME_STAMP)  ## 发文批量打印基准（50 件约 3 页的发文经后台任务打成 ZIP，每件 ≤ 0.5 s）
	$(PY) bench/outgoing_batch_bench.py

bench-supervision-export: services $(RUNTIME_STAMP)  ## 督查台账导出基准（1 万项经后台任务写成 xlsx，≤ 30 s；报告峰值内存与文件大小）
	$(PY) bench/supervision_export.py

bench-supervision: services $(RUNTIME_STAMP)  ## 督查督办自动催办基准（100 万项督办事项、1% 到期，一次催办在数秒内完成）
	$(PY) bench/supervision_reminders.py

bench-supervision-ledger: services $(RUNTIME_STAMP)  ## 督查台账基准（10 万项督办事项，各种筛选与关键词，p95 < 150 ms）
	$(PY) bench/supervision_ledger.py

bench-proposals-import: services $(RUNTIME_STAMP)  ## 建议提案导入基准（1000 行 xlsx 校验并登记，≤ 5 s，打印秒数）
	$(PY) bench/proposals_import.py

lint: $(DEV_STAMP)  ## ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)  ## ruff format + ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
