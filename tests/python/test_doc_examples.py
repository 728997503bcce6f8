"""Every Linux example in psutil 7.2.2's documentation runs unchanged.

    python -m pytest tests/python/test_doc_examples.py -q

The examples are read from the psutil 7.2.2 sdist (docs/index.rst and
README.rst) by ``doc_examples.py``, which only records where they are. Each one runs in a
fresh interpreter (``sys.executable``, so whichever psutil that venv has)
the way a doctest runs it: every ``>>>`` statement in turn, in one
namespace, expression values captured by ``sys.displayhook``. A statement
must not raise. Where the docs show a result, the result must have the
shape shown (values differ per machine): the namedtuple's type name and
fields (in order; the docs may leave out platform-specific ones), enum class, container kind and element shape, int/float/str/bool.

Harness code around the examples (never inside them):
- ``CONTEXT``: code a block assumes from an earlier block of the same
  page (``import psutil``, ``pp``), run first;
- processes the examples act on are spawned by the harness (a small tree
  of sleeping Python processes with a listening TCP socket and an open
  log file); ``PID_LITERALS``: the few examples that name a pid from the
  author's machine (``psutil.Process(7055)``) get the pid of such a
  process in its place, so an example only touches processes this test
  created;
- ``AFTER``: calls of the functions a recipe defines, on our processes;
- ``DOC_ERRATA``: where the output the docs show is not what psutil
  7.2.2 itself returns (checked against real psutil 7.2.2), the shown
  output is corrected before it is used as the expected shape;
- ``SKIP`` / ``NEEDS``: examples for other platforms, or that need
  hardware or files this machine may not have.

Running this file with real psutil 7.2.2 installed checks the harness
and the errata themselves: everything passes there except the README's
``psutil.test()`` (README.rst:278), which psutil 7.2.2 no longer has
although its README still shows it; ours has it, so the README runs.
"""

import ast
import contextlib
import doctest
import io
import json
import os
import re
import subprocess
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from doc_examples import EXAMPLES  # noqa: E402

# --- which examples don't apply, and why ----------------------------------

SKIP = {
    "docs/index.rst:1360": "Windows only (psutil.HIGH_PRIORITY_CLASS)",
    "docs/index.rst:2297": "Windows only (win_service_iter / win_service_get)",
    "README.rst:452": "Windows only (win_service_iter / win_service_get)",
}


def _has_battery():
    base = "/sys/class/power_supply"
    try:
        names = os.listdir(base)
    except OSError:
        return False
    for n in names:
        try:
            with open(os.path.join(base, n, "type")) as f:
                if f.read().strip() == "Battery":
                    return True
        except OSError:
            pass
    return False


def _has_cpus_0_1():
    return {0, 1} <= os.sched_getaffinity(0)


# where -> (predicate, reason it is skipped when the predicate is false)
NEEDS = {
    "docs/index.rst:843": (_has_battery, "needs a battery (sensors_battery() is None)"),
    "docs/index.rst:1395": (lambda: os.geteuid() == 0, "IOPRIO_CLASS_RT needs root"),
    "docs/index.rst:1604": (_has_cpus_0_1, "sets affinity to CPUs 0 and 1: needs both"),
    "README.rst:278": (_has_cpus_0_1, "sets affinity to CPUs 0 and 1: needs both"),
    "docs/index.rst:2129": (
        lambda: os.path.exists("/usr/bin/python"),
        "runs /usr/bin/python, which this machine does not have",
    ),
}

# --- harness code around the examples -------------------------------------

_SETUP_TREE = "p = _spawn_tree()\n"
CONTEXT = {
    # the block continues a session that imported psutil a block earlier
    "docs/index.rst:243": "import psutil\n",
    "docs/index.rst:970": "import psutil\n",
    "README.rst:191": "import psutil\n",
    "README.rst:202": "import psutil\n",
    "README.rst:218": "import psutil\n",
    # "terminates and waits all the children of this process": give it some
    "docs/index.rst:1008": "_spawn_tree([]); _spawn_tree([])\n",
    # ``p`` is process A of the tree drawn in the block
    "docs/index.rst:1830": _SETUP_TREE,
    # ``procs_list``: processes of ours that end by themselves
    "README.rst:416": "procs_list = _spawn_short_lived(3)\n",
}
for _w in ("2626", "2634", "2641", "2652", "2659"):
    # the "Filtering and sorting processes" recipes share the setup block
    CONTEXT["docs/index.rst:" + _w] = ("example", "docs/index.rst:2621")

# where -> the pid literal the example uses (a process on the author's machine)
PID_LITERALS = {
    "docs/index.rst:1954": "1694",
    "docs/index.rst:2084": "9891",
    "README.rst:278": "7055",
}

AFTER = {
    "docs/index.rst:1830": (
        "assert len(p.children()) == 3\n"
        "assert len(p.children(recursive=True)) == 5\n"
    ),
    "docs/index.rst:1008": "assert not psutil.Process().children()\n",
    "docs/index.rst:2558": (
        "_t = _spawn_tree()\n"
        "assert _t.pid in [x.pid for x in find_procs_by_name(_t.name())]\n"
    ),
    "docs/index.rst:2573": (
        "_t = _spawn_tree()\n"
        "assert _t.pid in [x.pid for x in find_procs_by_name(_t.name())]\n"
        "assert _t.pid in [x.pid for x in find_procs_by_name(os.path.basename(_t.exe()))]\n"
        "assert _t.pid in [x.pid for x in find_procs_by_name(_t.cmdline()[0])]\n"
    ),
    "docs/index.rst:2591": (
        "_t = _spawn_tree([[[[]]], [], []])\n"
        "_all = [_t] + _t.children(recursive=True)\n"
        "assert len(_all) == 6\n"
        "_gone, _alive = kill_proc_tree(_t.pid, timeout=10)\n"
        "assert not _alive, _alive\n"
        "assert sorted(x.pid for x in _gone) == sorted(x.pid for x in _all)\n"
    ),
    "README.rst:416": "assert not alive\n",
}

# where -> [(shown output, what psutil 7.2.2 really returns there)]
DOC_ERRATA = {
    # system-wide connections are ``sconn``, ``pconn`` is per process
    "docs/index.rst:652": [("pconn(", "sconn(")],
    # pernic counters are ``snetio``
    "README.rst:218": [("netio(", "snetio(")],
    # ``[`` is missing from the shown output
    "docs/index.rst:2626": [("(16832, 'bash'),", "[(16832, 'bash'),")],
    # the shown pids are examples; after terminate() wait() gives the signal
    "README.rst:278": [("<Exitcode.EX_OK: 0>", "<Negsignal.SIGTERM: -15>")],
}

# shown output that is a sketch, not Python ("B, C, D"); AFTER checks it
SHOWN_NOT_PYTHON = {"docs/index.rst:1830"}

# results psutil documents as possibly None (no battery, no tty, unknown)
MAY_BE_NONE = ("sensors_battery()", "terminal()", "cpu_count(logical=False)")

# enum classes whose name changed in Python since the docs were written
ENUM_RENAMES = {"SocketType": "SocketKind"}

# --- the child: runs one example -----------------------------------------

_TREE_SCRIPT = r"""
import json, socket, subprocess, sys, time
spec = json.loads(sys.argv[1])
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
log = open("monit.log", "a")
kids = [subprocess.Popen([sys.executable, __file__, json.dumps(k)],
                         stdout=subprocess.PIPE) for k in spec]
for k in kids:
    k.stdout.readline()
print("ok", flush=True)
time.sleep(120)
"""

_PROC_ATTRS = None


class _Rec:
    def __init__(self, name, kwargs):
        self.name, self.kwargs = name, kwargs

    def __repr__(self):
        return "%s(%s)" % (self.name, ", ".join(self.kwargs))


class _Enum:
    def __init__(self, cls, name, value):
        self.cls, self.name, self.value = ENUM_RENAMES.get(cls, cls), name, value


class _Proc:
    pass


class _Names(dict):
    def __missing__(self, key):
        if key == "__Proc__":
            return lambda **kw: _Proc()
        if key == "__E__":
            return _Enum
        return lambda **kw: _Rec(key, kw)


def parse_shown(text):
    """The output the docs show -> a model of its shape (or raise)."""
    t = text.strip()
    if not t:
        raise ValueError("empty")
    t = re.sub(r"<(\w+)\.(\w+): (-?\d+)>", r"__E__('\1', '\2', \3)", t)
    t = re.sub(r"\b(\d+)L\b", r"\1", t)
    t = t.replace("psutil.Process(", "__Proc__(")
    t = re.sub(r",?\s*\.\.\.\s*]", "]", t)
    t = re.sub(r",?\s*\.\.\.\s*}", ", '__more__': ...}", t)
    return eval(compile(t, "<shown>", "eval"), {"__builtins__": {}}, _Names())


def _proc_attrs():
    global _PROC_ATTRS
    if _PROC_ATTRS is None:
        import psutil

        _PROC_ATTRS = set(psutil.Process().as_dict()) | {"pid"}
    return _PROC_ATTRS


def _is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_shape(model, actual, path="result", top=True):
    """Return a list of mismatches between the shown shape and `actual`."""
    import psutil

    if model is Ellipsis:
        return []
    if isinstance(model, _Rec):
        if model.name == "addr" and actual == ():
            return []  # no remote address
        fields = getattr(type(actual), "_fields", None)
        if fields is None:
            return ["%s: expected a %s namedtuple, got %r" % (path, model.name, actual)]
        errs = []
        if type(actual).__name__ != model.name:
            errs.append("%s: type %s, docs show %s" % (path, type(actual).__name__, model.name))
        it = iter(fields)
        if not all(f in it for f in model.kwargs):
            # the docs may leave out platform-specific fields, nothing else
            errs.append("%s: fields %s, docs show %s" % (path, list(fields), list(model.kwargs)))
            return errs
        for f, m in model.kwargs.items():
            v = getattr(actual, f)
            if v is None or m is None:
                continue
            errs += check_shape(m, v, "%s.%s" % (path, f), top=False)
        return errs
    if isinstance(model, _Enum):
        if type(actual).__name__ != model.cls or not isinstance(actual, int):
            return ["%s: expected a %s enum, got %r" % (path, model.cls, actual)]
        return []
    if isinstance(model, _Proc):
        if not isinstance(actual, psutil.Process):
            return ["%s: expected a psutil.Process, got %r" % (path, actual)]
        return []
    if isinstance(model, list):
        if not isinstance(actual, list):
            return ["%s: expected a list, got %r" % (path, actual)]
        elems = [m for m in model if m is not Ellipsis]
        if not elems:
            return []
        errs = []
        for i, v in enumerate(actual[:200]):
            errs += check_shape(elems[0], v, "%s[%d]" % (path, i), top=False)
            if errs:
                break
        return errs
    if isinstance(model, dict):
        if not isinstance(actual, dict):
            return ["%s: expected a dict, got %r" % (path, actual)]
        partial = model.pop("__more__", None) is Ellipsis
        if not model:
            return []
        keys = list(model)
        errs = []
        if all(isinstance(k, str) for k in keys) and set(keys) <= _proc_attrs():
            # a record: {'pid': .., 'name': ..}
            if partial:
                if not set(keys) <= set(actual):
                    errs.append("%s: keys %s, docs show %s" % (path, sorted(actual), keys))
            elif set(keys) != set(actual):
                errs.append("%s: keys %s, docs show %s" % (path, sorted(actual), sorted(keys)))
            for k in keys:
                if k in actual and actual[k] is not None:
                    errs += check_shape(model[k], actual[k], "%s[%r]" % (path, k), top=False)
            return errs
        for k, v in list(actual.items())[:200]:
            if type(k) is not type(keys[0]):
                errs.append("%s: key %r, docs show keys like %r" % (path, k, keys[0]))
            errs += check_shape(model[keys[0]], v, "%s[%r]" % (path, k), top=False)
            if errs:
                break
        return errs
    if isinstance(model, tuple):
        if type(actual) is not tuple or len(actual) != len(model):
            return ["%s: expected a %d-tuple, got %r" % (path, len(model), actual)]
        errs = []
        for i, (m, v) in enumerate(zip(model, actual)):
            errs += check_shape(m, v, "%s[%d]" % (path, i), top=False)
        return errs
    if isinstance(model, bool):
        if not isinstance(actual, bool):
            return ["%s: expected a bool, got %r" % (path, actual)]
        return []
    if _is_num(model):
        if not _is_num(actual):
            return ["%s: expected a number, got %r" % (path, actual)]
        if top and type(actual) is not type(model):
            return ["%s: expected %s, got %r" % (path, type(model).__name__, actual)]
        return []
    if isinstance(model, str):
        if not isinstance(actual, str):
            return ["%s: expected a str, got %r" % (path, actual)]
        return []
    if model is None:
        return []
    return ["%s: cannot check a shown %r" % (path, model)]


def _literal(text):
    try:
        return True, ast.literal_eval(text.strip())
    except Exception:
        return False, None


def check_printed(shown, printed):
    """Shown vs printed text: compare whatever both sides parse as literals."""
    ok_m, model = _literal(shown)
    ok_a, actual = _literal(printed)
    if ok_m and ok_a:
        return check_shape(parse_shown(shown), actual, "printed")
    s_lines = [ln for ln in shown.strip().splitlines() if ln.strip() != "..."]
    p_lines = printed.strip().splitlines()
    if len(s_lines) == len(p_lines):
        pairs = list(zip(s_lines, p_lines))
    else:
        firsts = [ln for ln in s_lines if _literal(ln)[0]]
        if not firsts:
            return []
        pairs = [(firsts[0], ln) for ln in p_lines]
    errs = []
    for i, (s, p) in enumerate(pairs):
        if not _literal(s)[0]:
            continue
        ok, val = _literal(p)
        if not ok:
            errs.append("printed line %d: %r, docs show %r" % (i + 1, p, s))
        else:
            errs += check_shape(parse_shown(s), val, "printed line %d" % (i + 1))
    return errs


def _child(job):
    import psutil

    res = {"errors": [], "steps": 0}
    ours = []  # every process the harness started

    def _spawn_tree(spec=None):
        if spec is None:
            spec = [[[[]]], [], []]  # A: B (X (Y)), C, D
        sp = subprocess.Popen(
            [sys.executable, "tree.py", json.dumps(spec)], stdout=subprocess.PIPE
        )
        sp.stdout.readline()
        p = psutil.Process(sp.pid)
        ours.append(p)
        ours.extend(p.children(recursive=True))
        return p

    def _spawn_short_lived(n):
        procs = []
        for _ in range(n):
            sp = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
            procs.append(psutil.Process(sp.pid))
        ours.extend(procs)
        return procs

    with open("tree.py", "w") as f:
        f.write(_TREE_SCRIPT)
    # orphans of our trees are re-parented to us, so they can be reaped
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass

    ns = {"__name__": "__main__", "_spawn_tree": _spawn_tree,
          "_spawn_short_lived": _spawn_short_lived}
    values = []

    def displayhook(value):
        if value is not None:
            values.append(value)

    sys.displayhook = displayhook

    def run(source, mode, label):
        values.clear()
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(source, label, mode), ns)
        except BaseException:
            res["errors"].append("%s raised:\n%s\n%s" % (label, source, traceback.format_exc()))
            return None, None
        return list(values), out.getvalue()

    def run_example(ex, pid=None):
        code = ex["code"]
        where = ex["where"]
        fix = dict(DOC_ERRATA.get(where, ()))
        if not re.search(r"^>>>", code, re.M):
            vals, printed = run(code, "exec", where)
            res["steps"] += 1
            if printed is not None and ex.get("prints"):
                res["errors"] += ["%s: %s" % (where, e) for e in check_printed(ex["prints"], printed)]
            return
        for i, step in enumerate(doctest.DocTestParser().get_examples(code)):
            source, want = step.source, step.want
            if pid is not None:
                source = source.replace(
                    "psutil.Process(%s)" % PID_LITERALS[where], "psutil.Process(%d)" % pid
                )
            for old, new in fix.items():
                want = want.replace(old, new)
            label = "%s step %d" % (where, i + 1)
            vals, printed = run(source, "single", label)
            res["steps"] += 1
            if vals is None:
                continue
            if not want.strip() or where in SHOWN_NOT_PYTHON:
                continue
            if not vals and source.strip().endswith(MAY_BE_NONE):
                continue
            try:
                if len(vals) == 1:
                    errs = check_shape(parse_shown(want), vals[0])
                elif len(vals) > 1:
                    lines = want.strip().splitlines()
                    errs = []
                    if len(lines) == len(vals):
                        for ln, v in zip(lines, vals):
                            errs += check_shape(parse_shown(ln), v)
                else:
                    errs = check_printed(want, printed)
            except SyntaxError:
                errs = []  # shown output that is not Python (e.g. "B, C, D")
            except Exception:
                errs = ["cannot check:\n" + traceback.format_exc()]
            res["errors"] += ["%s (%s): %s" % (label, source.strip(), e) for e in errs]

    try:
        by_where = {e["where"]: e for e in EXAMPLES}
        ex = by_where[job["where"]]
        ctx = CONTEXT.get(ex["where"])
        if isinstance(ctx, tuple):
            run_example(by_where[ctx[1]])
        elif ctx:
            run(ctx, "exec", "<context>")
        pid = None
        if ex["where"] in PID_LITERALS:
            pid = _spawn_tree().pid
        run_example(ex, pid)
        if ex["where"] in AFTER and not res["errors"]:
            run(AFTER[ex["where"]], "exec", "<after %s>" % ex["where"])
    finally:
        sys.displayhook = sys.__displayhook__
        for p in ours:
            try:
                p.kill()
            except Exception:
                pass
        for p in ours:
            try:
                p.wait(5)
            except Exception:
                pass
        # what is still ours and not reaped (a subreaper's orphans)
        for p in psutil.Process().children(recursive=True):
            if p in ours:
                with contextlib.suppress(Exception):
                    p.wait(5)
    return res


# --- the tests ------------------------------------------------------------

if __name__ != "__main__":
    import pytest

    @pytest.mark.parametrize("where", [e["where"] for e in EXAMPLES])
    def test_doc_example(where, tmp_path):
        if where in SKIP:
            pytest.skip(SKIP[where])
        if where in NEEDS and not NEEDS[where][0]():
            pytest.skip(NEEDS[where][1])
        out = tmp_path / "result.json"
        cp = subprocess.run(
            [sys.executable, os.path.abspath(__file__), where, str(out)],
            cwd=str(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cp.returncode == 0 and out.exists(), (
            "child exited %d\nstdout:\n%s\nstderr:\n%s" % (cp.returncode, cp.stdout, cp.stderr)
        )
        res = json.loads(out.read_text())
        assert res["steps"] > 0
        assert not res["errors"], "\n\n".join(res["errors"])

    def test_all_examples_accounted_for():
        wheres = [e["where"] for e in EXAMPLES]
        assert len(wheres) == len(set(wheres))
        for table in (SKIP, NEEDS, CONTEXT, PID_LITERALS, AFTER, DOC_ERRATA):
            assert set(table) <= set(wheres), set(table) - set(wheres)


if __name__ == "__main__":
    _res = _child({"where": sys.argv[1]})
    with open(sys.argv[2], "w") as _f:
        json.dump(_res, _f)
