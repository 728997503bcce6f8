//! `process_listing`: the batch behind `process_iter(attrs)`.
//!
//! One call reads the requested attributes of every listed process on a
//! few threads with the GIL released (each process in one oneshot batch,
//! through the very handle its `psutil.Process` object holds). Meanwhile
//! the calling thread, between the blocks of PIDs it reads itself, builds
//! each process's `info` dict with the exact Python values
//! `Process.as_dict()` would give: the namedtuples of `psutil._ntuples`,
//! status strings, `ad_value` for attributes the kernel refused.
//!
//! The Python side keeps psutil's `_pmap` dict (PID -> `Process`); this
//! function reads the handles out of it, adds `Process` objects for new
//! PIDs and drops the ones of vanished processes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use psutil::process::{Attr, ProcessInfo};
use psutil::Error;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyModule, PyString, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::{link_unlossy, name_unlossy, os_str, to_pyerr, Proc, LOSSY};

/// A key of the `info` dict and how its value is made.
#[derive(Clone, Copy)]
enum Want {
    Pid,
    /// From the start time and one boot-time read (no `/proc/stat` read
    /// per new handle), unless the `Process` object already cached it.
    CreateTime,
    /// From `uids`, through the Python-side uid -> name function.
    Username,
    /// From `memory_info` and the total passed in.
    MemoryPercent,
    /// Read by the crate under the same name.
    Plain(Attr),
}

fn want(name: &str) -> Option<Want> {
    Some(match name {
        "pid" => Want::Pid,
        "create_time" => Want::CreateTime,
        "username" => Want::Username,
        "memory_percent" => Want::MemoryPercent,
        "cmdline" | "cpu_affinity" | "cpu_num" | "cpu_times" | "cwd" | "environ" | "exe"
        | "gids" | "io_counters" | "ionice" | "memory_full_info" | "memory_info" | "name"
        | "nice" | "num_ctx_switches" | "num_fds" | "num_threads" | "ppid" | "status"
        | "terminal" | "threads" | "uids" => Want::Plain(name.parse().ok()?),
        _ => return None,
    })
}

/// What one process came to.
enum Outcome {
    /// Vanished (or its PID now names another process): skipped.
    Gone,
    /// Its `Process` object holds no Rust handle: the caller reads it.
    Slow,
    Read(Arc<psutil::Process>, Box<ProcessInfo>),
    Failed(Error),
}

fn visit(pid: u32, handle: Option<Arc<psutil::Process>>, attrs: &[Attr]) -> Outcome {
    let read = match handle {
        Some(p) => p.as_dict(attrs).map(|info| (p, info)),
        // One `stat` read gives both the new handle's identity and the info.
        None => psutil::Process::new_with_info(pid, attrs).map(|(p, info)| (Arc::new(p), info)),
    };
    match read {
        Ok((p, info)) => Outcome::Read(p, Box::new(info)),
        Err(e) if e.is_no_such_process() => Outcome::Gone,
        Err(e) => Outcome::Failed(e),
    }
}

/// One process to read; `None`: its `Process` object holds no Rust
/// handle (read by the caller).
type Work = (u32, Option<Option<Arc<psutil::Process>>>);

/// PIDs per block: what a thread takes from the shared counter at a time,
/// and what the calling thread turns into Python objects at once.
const BLOCK: usize = 32;

/// Listings of at least this many processes get helper threads.
const PARALLEL_FROM: usize = 48;

/// The reading shared by the calling thread and its helpers: blocks of
/// PIDs are claimed from a counter, and their outcomes left in `done`.
struct Reading<'a> {
    work: &'a [Work],
    attrs: &'a [Attr],
    next: AtomicUsize,
    done: Mutex<Vec<Option<Vec<Outcome>>>>,
    ready: Condvar,
}

impl Reading<'_> {
    fn blocks(&self) -> usize {
        self.work.len().div_ceil(BLOCK)
    }

    /// Claims, reads and stores the next unread block; false when none is
    /// left.
    fn read_one(&self) -> bool {
        let start = self.next.fetch_add(BLOCK, Ordering::Relaxed);
        if start >= self.work.len() {
            return false;
        }
        let end = self.work.len().min(start + BLOCK);
        let read = || -> Vec<Outcome> {
            self.work[start..end]
                .iter()
                .map(|(pid, h)| match h {
                    None => Outcome::Slow,
                    Some(h) => visit(*pid, h.clone(), self.attrs),
                })
                .collect()
        };
        // a panic must not leave the calling thread waiting for the block
        let out =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
                vec![Outcome::Failed(Error::InvalidArgument(
                    "process_listing: a reading thread panicked".into(),
                ))]
            });
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done[start / BLOCK] = Some(out);
        self.ready.notify_all();
        true
    }

    /// No block is claimed any more (after an error).
    fn stop(&self) {
        self.next.store(self.work.len(), Ordering::Relaxed);
    }

    /// Block `b` once read: reads a block itself meanwhile, or waits when
    /// every block is taken.
    fn take(&self, b: usize) -> Vec<Outcome> {
        loop {
            {
                let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(v) = done[b].take() {
                    return v;
                }
                if self.next.load(Ordering::Relaxed) >= self.work.len() {
                    while done[b].is_none() {
                        done = self.ready.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    return done[b].take().unwrap_or_default();
                }
            }
            self.read_one();
        }
    }

    /// Block `b` if it is read already.
    fn try_take(&self, b: usize) -> Option<Vec<Outcome>> {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done[b].take()
    }
}

/// Per-call Python objects shared by every process.
struct Ctx<'py> {
    py: Python<'py>,
    ad_value: Bound<'py, PyAny>,
    tuple_new: Bound<'py, PyAny>,
    ntp: Bound<'py, PyModule>,
    /// The namedtuple classes looked up so far, by name.
    classes: Vec<(&'static str, Bound<'py, PyAny>)>,
    /// The status strings made so far.
    statuses: Vec<(&'static str, PyObject)>,
    ioprio: Option<Bound<'py, PyAny>>,
    ioprio_cache: HashMap<i32, PyObject>,
    uid_name: Bound<'py, PyAny>,
    uid_cache: HashMap<u32, PyObject>,
    boot_time: Option<f64>,
    clock_ticks: f64,
    total_phymem: Option<f64>,
}

impl<'py> Ctx<'py> {
    /// `psutil._ntuples.<name>(*values)`, made the way namedtuples make
    /// themselves (`tuple.__new__(cls, values)`), without the Python frame.
    fn ntuple<T>(&mut self, name: &'static str, values: T) -> PyResult<PyObject>
    where
        T: IntoPyObject<'py, Target = PyTuple, Output = Bound<'py, PyTuple>, Error = PyErr>,
    {
        let cls = match self.classes.iter().find(|(n, _)| *n == name) {
            Some((_, c)) => c.clone(),
            None => {
                let c = self.ntp.getattr(name)?;
                self.classes.push((name, c.clone()));
                c
            }
        };
        let values = values.into_pyobject(self.py)?;
        Ok(self.tuple_new.call1((cls, values))?.unbind())
    }

    fn status(&mut self, s: &'static str) -> PyObject {
        if let Some((_, v)) = self.statuses.iter().find(|(n, _)| *n == s) {
            return v.clone_ref(self.py);
        }
        let v = PyString::new(self.py, s).into_any().unbind();
        self.statuses.push((s, v.clone_ref(self.py)));
        v
    }

    fn username(&mut self, uid: u32) -> PyResult<PyObject> {
        if let Some(v) = self.uid_cache.get(&uid) {
            return Ok(v.clone_ref(self.py));
        }
        let v = self.uid_name.call1((uid,))?.unbind();
        self.uid_cache.insert(uid, v.clone_ref(self.py));
        Ok(v)
    }

    fn ionice_class(&mut self, ioclass: i32) -> PyResult<PyObject> {
        if let Some(v) = self.ioprio_cache.get(&ioclass) {
            return Ok(v.clone_ref(self.py));
        }
        let cls = match &self.ioprio {
            Some(c) => c.clone(),
            None => {
                let m = PyModule::import(self.py, "psutil._pslinux")?;
                let c = m.getattr("IOPriority")?;
                self.ioprio = Some(c.clone());
                c
            }
        };
        let v = cls.call1((ioclass,))?.unbind();
        self.ioprio_cache.insert(ioclass, v.clone_ref(self.py));
        Ok(v)
    }
}

/// The Python value of one attribute (`ad_value` where it was refused).
fn value<'py>(
    ctx: &mut Ctx<'py>,
    w: Want,
    p: &psutil::Process,
    info: &ProcessInfo,
    obj: &Bound<'py, PyAny>,
) -> PyResult<PyObject> {
    let py = ctx.py;
    Ok(match w {
        Want::Pid => p.pid().into_py_any(py)?,
        Want::CreateTime => {
            let attr = intern!(py, "_create_time");
            let cached = obj.getattr(attr)?;
            if !cached.is_none() {
                cached.unbind()
            } else {
                let t = match ctx.boot_time {
                    Some(b) => b + p.start_ticks() as f64 / ctx.clock_ticks,
                    None => p.create_time().map_err(|e| to_pyerr(py, e))?,
                };
                let t = t.into_py_any(py)?;
                obj.setattr(attr, &t)?;
                t
            }
        }
        Want::Username => match &info.uids {
            Some(u) => ctx.username(u.real)?,
            None => ctx.ad_value.clone().unbind(),
        },
        Want::MemoryPercent => match (&info.memory_info, ctx.total_phymem) {
            (Some(m), Some(total)) => (m.rss as f64 / total * 100.0).into_py_any(py)?,
            _ => ctx.ad_value.clone().unbind(),
        },
        Want::Plain(a) => plain(ctx, a, p, info, obj)?,
    })
}

fn plain<'py>(
    ctx: &mut Ctx<'py>,
    a: Attr,
    p: &psutil::Process,
    i: &ProcessInfo,
    obj: &Bound<'py, PyAny>,
) -> PyResult<PyObject> {
    let py = ctx.py;
    let ad = ctx.ad_value.clone().unbind();
    let pid = p.pid();
    Ok(match a {
        Attr::Name => match &i.name {
            Some(n) => {
                let v = name_unlossy(py, p, n.clone())?;
                obj.setattr(intern!(py, "_name"), &v)?;
                obj.getattr(intern!(py, "_proc"))?
                    .setattr(intern!(py, "_name"), &v)?;
                v
            }
            None => ad,
        },
        Attr::Exe => {
            let attr = intern!(py, "_exe");
            let cached = obj.getattr(attr)?;
            if !cached.is_none() {
                cached.unbind()
            } else {
                match &i.exe {
                    Some(e) => {
                        let v = link_unlossy(py, pid, e.clone(), "exe")?;
                        if !e.is_empty() {
                            obj.setattr(attr, &v)?;
                        }
                        v
                    }
                    None => ad,
                }
            }
        }
        Attr::Cmdline => match &i.cmdline {
            Some(args) => cmdline(py, p, args)?,
            None => ad,
        },
        Attr::Environ => match &i.environ {
            Some(env) => {
                let d = PyDict::new(py);
                for (k, v) in env {
                    d.set_item(k, v)?;
                }
                d.into_any().unbind()
            }
            None => ad,
        },
        Attr::Status => match i.status {
            Some(s) => ctx.status(s.as_str()),
            None => ad,
        },
        Attr::Ppid => opt(py, i.ppid, ad)?,
        Attr::Uids => match &i.uids {
            Some(u) => ctx.ntuple("puids", (u.real, u.effective, u.saved))?,
            None => ad,
        },
        Attr::Gids => match &i.gids {
            Some(g) => ctx.ntuple("pgids", (g.real, g.effective, g.saved))?,
            None => ad,
        },
        Attr::Terminal => match &i.terminal {
            Some(t) => t.into_py_any(py)?,
            None => ad,
        },
        Attr::Cwd => match &i.cwd {
            Some(c) => link_unlossy(py, pid, c.clone(), "cwd")?,
            None => ad,
        },
        Attr::Nice => opt(py, i.nice, ad)?,
        Attr::Ionice => match &i.ionice {
            Some(n) => {
                let cls = ctx.ionice_class(n.ioclass.as_i32())?;
                ctx.ntuple("pionice", (cls, n.value))?
            }
            None => ad,
        },
        Attr::CpuAffinity => match &i.cpu_affinity {
            Some(cpus) => {
                let mut cpus = cpus.clone();
                cpus.sort_unstable();
                cpus.dedup();
                cpus.into_py_any(py)?
            }
            None => ad,
        },
        Attr::CpuNum => opt(py, i.cpu_num, ad)?,
        Attr::IoCounters => match &i.io_counters {
            Some(c) => ctx.ntuple(
                "pio",
                (
                    c.read_count,
                    c.write_count,
                    c.read_bytes,
                    c.write_bytes,
                    c.read_chars,
                    c.write_chars,
                ),
            )?,
            None => ad,
        },
        Attr::NumCtxSwitches => match &i.num_ctx_switches {
            Some(c) => ctx.ntuple("pctxsw", (c.voluntary, c.involuntary))?,
            None => ad,
        },
        Attr::NumFds => opt(py, i.num_fds, ad)?,
        Attr::NumThreads => opt(py, i.num_threads, ad)?,
        Attr::Threads => match &i.threads {
            Some(ts) => {
                let list = PyList::empty(py);
                for t in ts {
                    list.append(ctx.ntuple("pthread", (t.id, t.user_time, t.system_time))?)?;
                }
                list.into_any().unbind()
            }
            None => ad,
        },
        Attr::CpuTimes => match &i.cpu_times {
            Some(t) => ctx.ntuple(
                "pcputimes",
                (
                    t.user,
                    t.system,
                    t.children_user,
                    t.children_system,
                    t.iowait,
                ),
            )?,
            None => ad,
        },
        Attr::MemoryInfo => match &i.memory_info {
            Some(m) => ctx.ntuple(
                "pmem",
                (m.rss, m.vms, m.shared, m.text, m.lib, m.data, m.dirty),
            )?,
            None => ad,
        },
        Attr::MemoryFullInfo => match &i.memory_full_info {
            Some(m) => ctx.ntuple(
                "pfullmem",
                (
                    m.rss, m.vms, m.shared, m.text, m.lib, m.data, m.dirty, m.uss, m.pss, m.swap,
                ),
            )?,
            None => ad,
        },
        other => {
            return Err(PyValueError::new_err(format!(
                "process_listing: unsupported attr {:?}",
                other.name()
            )))
        }
    })
}

fn opt<T: for<'a> IntoPyObject<'a>>(
    py: Python<'_>,
    v: Option<T>,
    ad: PyObject,
) -> PyResult<PyObject> {
    match v {
        Some(v) => v.into_py_any(py),
        None => Ok(ad),
    }
}

/// The arguments as `str`s; invalid UTF-8 (U+FFFD in the crate's strings)
/// is read again as raw bytes and decoded like Python decodes file names.
fn cmdline(py: Python<'_>, p: &psutil::Process, args: &[String]) -> PyResult<PyObject> {
    if args.iter().any(|a| a.contains(LOSSY)) {
        if let Ok(raw) = p.cmdline_bytes() {
            let items = raw
                .iter()
                .map(|a| os_str(py, a))
                .collect::<PyResult<Vec<_>>>()?;
            return items.into_py_any(py);
        }
    }
    Ok(PyList::new(py, args)?.into_any().unbind())
}

/// The batch behind `process_iter(attrs)`.
///
/// `pids`: the PIDs to visit, ascending. `pmap`: psutil's PID -> `Process`
/// cache, updated in place (new processes are made by `make(handle)`,
/// vanished ones removed). `names`: `as_dict` attribute names, each one
/// this function supports, in the order the `info` dicts get them.
/// `uid_name(uid)` gives `username`; `total_phymem` is needed for
/// `memory_percent`.
///
/// Returns `[(process, info)]` in PID order; `info` is None for a
/// `Process` without a Rust handle, which the caller reads itself.
#[pyfunction]
#[pyo3(signature = (pids, pmap, names, ad_value, make, uid_name, total_phymem=None))]
#[allow(clippy::too_many_arguments)]
pub fn process_listing<'py>(
    py: Python<'py>,
    pids: Vec<u32>,
    pmap: &Bound<'py, PyDict>,
    names: Vec<String>,
    ad_value: Bound<'py, PyAny>,
    make: &Bound<'py, PyAny>,
    uid_name: Bound<'py, PyAny>,
    total_phymem: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let mut wants = Vec::with_capacity(names.len());
    let mut attrs: Vec<Attr> = Vec::new();
    let mut add = |a: Attr| {
        if !attrs.contains(&a) {
            attrs.push(a);
        }
    };
    for n in &names {
        let w = want(n).ok_or_else(|| {
            PyValueError::new_err(format!("process_listing: unsupported attr {n:?}"))
        })?;
        match w {
            Want::Pid | Want::CreateTime => {}
            Want::Username => add(Attr::Uids),
            Want::MemoryPercent => add(Attr::MemoryInfo),
            Want::Plain(a) => add(a),
        }
        wants.push((PyString::intern(py, n), w));
    }
    let wants_create_time = wants.iter().any(|(_, w)| matches!(w, Want::CreateTime));
    if wants.iter().any(|(_, w)| matches!(w, Want::MemoryPercent)) && total_phymem.is_none() {
        return Err(PyValueError::new_err("memory_percent needs total_phymem"));
    }

    // The handles of the Process objects we already have.
    let mut existing: Vec<Option<Bound<'py, PyAny>>> = Vec::with_capacity(pids.len());
    let mut work: Vec<Work> = Vec::with_capacity(pids.len());
    for &pid in &pids {
        match pmap.get_item(pid)? {
            None => {
                existing.push(None);
                work.push((pid, Some(None)));
            }
            Some(obj) => {
                let h = obj
                    .getattr(intern!(py, "_proc"))
                    .and_then(|p| p.getattr(intern!(py, "_h")))
                    .ok()
                    .and_then(|h| {
                        h.downcast::<Proc>()
                            .ok()
                            .map(|h| Arc::clone(&h.get().inner))
                    });
                work.push((pid, h.map(Some)));
                existing.push(Some(obj));
            }
        }
    }

    let boot_time = if wants_create_time {
        py.allow_threads(|| psutil::boot_time().ok())
    } else {
        None
    };
    let mut ctx = Ctx {
        py,
        ad_value,
        tuple_new: py.get_type::<PyTuple>().getattr(intern!(py, "__new__"))?,
        ntp: PyModule::import(py, "psutil._ntuples")?,
        classes: Vec::new(),
        statuses: Vec::new(),
        ioprio: None,
        ioprio_cache: HashMap::new(),
        uid_name,
        uid_cache: HashMap::new(),
        boot_time,
        // SAFETY: sysconf has no preconditions.
        clock_ticks: match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
            n if n > 0 => n as f64,
            _ => 100.0,
        },
        total_phymem,
    };

    let reading = Reading {
        work: &work,
        attrs: &attrs,
        next: AtomicUsize::new(0),
        done: Mutex::new((0..work.len().div_ceil(BLOCK)).map(|_| None).collect()),
        ready: Condvar::new(),
    };
    let helpers = if work.len() >= PARALLEL_FROM {
        psutil::default_threads() - 1
    } else {
        0
    };
    let out = PyList::empty(py);
    let mut existing = existing.into_iter();
    let mut pids = pids.iter();
    // The helpers read blocks while this thread, between blocks it reads
    // itself (without the GIL), turns the blocks read so far into Python
    // objects, in PID order.
    std::thread::scope(|s| -> PyResult<()> {
        for _ in 0..helpers {
            s.spawn(|| while reading.read_one() {});
        }
        let r = (|| -> PyResult<()> {
            for b in 0..reading.blocks() {
                let block = match reading.try_take(b) {
                    Some(v) => v,
                    None => py.allow_threads(|| reading.take(b)),
                };
                for outcome in block {
                    let (Some(obj), Some(&pid)) = (existing.next(), pids.next()) else {
                        break;
                    };
                    let row = build(&mut ctx, &wants, outcome, obj, pid, pmap, make)?;
                    if let Some(row) = row {
                        out.append(row)?;
                    }
                }
            }
            Ok(())
        })();
        if r.is_err() {
            reading.stop();
        }
        r
    })?;
    Ok(out)
}

/// The `(process, info)` row of one process (None when it is gone, and
/// dropped from `pmap`).
fn build<'py>(
    ctx: &mut Ctx<'py>,
    wants: &[(Bound<'py, PyString>, Want)],
    outcome: Outcome,
    obj: Option<Bound<'py, PyAny>>,
    pid: u32,
    pmap: &Bound<'py, PyDict>,
    make: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyAny>, PyObject)>> {
    let py = ctx.py;
    Ok(match outcome {
        Outcome::Gone => {
            if obj.is_some() {
                pmap.del_item(pid)?;
            }
            None
        }
        Outcome::Failed(e) => return Err(to_pyerr(py, e)),
        Outcome::Slow => obj.map(|o| (o, py.None())),
        Outcome::Read(handle, info) => {
            let obj = match obj {
                Some(o) => o,
                None => {
                    let h = Proc {
                        inner: Arc::clone(&handle),
                    };
                    let o = make.call1((Bound::new(py, h)?,))?;
                    pmap.set_item(pid, &o)?;
                    o
                }
            };
            let d = PyDict::new(py);
            for (key, w) in wants {
                d.set_item(key, value(ctx, *w, &handle, &info, &obj)?)?;
            }
            Some((obj, d.into_any().unbind()))
        }
    })
}
