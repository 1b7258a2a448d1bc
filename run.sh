#!/usr/bin/env bash
# kaohe — set up the environment (once) and run a job.
#
#   bash run.sh report [kaohe report options]   per-year reports of the bundled sample data
#   bash run.sh test   [pytest options]         the whole test suite (unit, nbval, browser)
#   bash run.sh lab                             JupyterLab with the notebooks
#   bash run.sh kaohe ARGS…                     any kaohe command, e.g. run.sh kaohe score data/sample --year 2024
#   bash run.sh wheelhouse                      (with internet access) every package into wheelhouse/,
#                                               for a machine without it (see README: offline)
#
# The first run creates .venv (Python ≥ 3.11) and installs kaohe with its dependencies; later
# runs reuse it (and reinstall only when pyproject.toml changed). With a wheelhouse/ folder
# beside this script, packages are installed from it alone (no network).
set -euo pipefail
cd "$(dirname "$0")"

venv() {
  local py=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
  fi
}

setup() {
  venv
  local stamp
  stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    local from=()
    if [ -d wheelhouse ]; then
      from=(--no-index --find-links wheelhouse)  # offline: only what the wheelhouse holds
      echo "installing from wheelhouse/ (no network)" >&2
    fi
    .venv/bin/python -m pip install -q "${from[@]}" --upgrade pip
    .venv/bin/python -m pip install -q "${from[@]}" -e ".[test]"
    rm -f .venv/.installed-* && touch "$stamp"
  fi
  # the small plotly.js bundle and its Chinese locale the report pages embed (npm pack, once,
  # into ~/.cache/kaohe; checked against pinned SHA-256); without npm, pages embed plotly's
  # full bundle and kaohe report says so
  if ! .venv/bin/python -c "import sys; from kaohe.charts import bundle; sys.exit(not bundle.available())" 2>/dev/null; then
    .venv/bin/python -m kaohe.charts.bundle >&2 || echo "note: plotly.js bundle not fetched (needs npm: apt-get install npm)" >&2
  fi
}

system_packages() {
  # Debian packages the browser and LibreOffice tests use; installed when missing and possible.
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  { command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "Noto Sans CJK"; } || need+=(fonts-noto-cjk)
  { command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; } || need+=(libreoffice-calc-nogui)
  # the official documents: Word import, PDF tools, and the fonts that stand in for 仿宋/楷体/宋体/Calibri
  [ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  { command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "AR PL UKai"; } || need+=(fonts-arphic-ukai)
  { command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "AR PL UMing"; } || need+=(fonts-arphic-uming)
  { command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "Carlito"; } || need+=(fonts-crosextra-carlito)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing Debian packages: ${need[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
      echo "note: ${need[*]} missing (sudo apt-get install ${need[*]}); their tests will be skipped" >&2
    fi
  fi
  # the font names official documents use → the Debian fonts that stand in for them
  if [ "$(id -u)" = 0 ] && [ -d /etc/fonts/conf.d ] && ! cmp -s kaohe/output/fonts/kaohe-fonts.conf /etc/fonts/conf.d/64-kaohe-fonts.conf; then
    install -m 644 kaohe/output/fonts/kaohe-fonts.conf /etc/fonts/conf.d/64-kaohe-fonts.conf
    command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null || true
  fi
}

cmd=${1:-report}
[ $# -gt 0 ] && shift
case "$cmd" in
  report)
    setup
    exec .venv/bin/kaohe report data/sample "$@"
    ;;
  test)
    system_packages
    setup
    .venv/bin/ruff check kaohe tests benchmarks scripts data
    exec .venv/bin/python -m pytest --nbval --nbval-current-env tests notebooks "$@"
    ;;
  lab)
    setup
    exec .venv/bin/jupyter lab notebooks "$@"
    ;;
  kaohe)
    setup
    exec .venv/bin/kaohe "$@"
    ;;
  wheelhouse)
    # on a machine with internet access and the same system and Python version as the
    # offline one: the wheels of kaohe, its dependencies, pip and the build backend
    venv
    .venv/bin/python -m pip wheel -q -w wheelhouse ".[test]" pip "setuptools>=68" wheel
    echo "wheelhouse/: $(ls wheelhouse | wc -l) packages; copy this folder (with wheelhouse/) to the offline machine" >&2
    ;;
  *)
    echo "usage: bash run.sh report|test|lab|kaohe|wheelhouse …" >&2
    exit 2
    ;;
esac
