//! `process_listing`: the batch behind `process_iter(attrs)`.
//!
//! One call reads the requested attributes of every listed process on a
//! few threads with the GIL released (each process in one oneshot batch,
//! through the very handle its `psutil.Process` object holds), then
//! builds each process's `info` dict with the exact Python values
//! `Process.as_dict()` would give: the namedtuples of `psutil._ntuples`,
//! status strings, `ad_value` for attributes the kernel refused.
//!
//! The Python side keeps psutil's `_pmap` dict (PID -> `Process`); this
//! function reads the handles out of it, adds `Process` objects for new
//! PIDs and drops the ones of vanished processes.

use std::collections::HashMap;
use std::sync::Arc;

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
    let p = match handle {
        Some(h) => h,
        None => match psutil::Process::new(pid) {
            Ok(p) => Arc::new(p),
            Err(_) => return Outcome::Gone,
        },
    };
    match p.as_dict(attrs) {
        Ok(info) => Outcome::Read(p, Box::new(info)),
        Err(e) if e.is_no_such_process() => Outcome::Gone,
        Err(e) => Outcome::Failed(e),
    }
}

/// `None`: a `Process` object without a Rust handle (read by the caller).
type Work = Vec<(u32, Option<Option<Arc<psutil::Process>>>)>;

fn visit_all(work: Work, attrs: &[Attr]) -> Vec<Outcome> {
    work.into_iter()
        .map(|(pid, h)| match h {
            None => Outcome::Slow,
            Some(h) => visit(pid, h, attrs),
        })
        .collect()
}

/// Reads `work` on up to 4 threads (one per CPU), keeping the order.
fn read_all(work: Work, attrs: &[Attr]) -> Vec<Outcome> {
    let threads = if work.len() >= 256 {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4)
    } else {
        1
    };
    if threads <= 1 {
        return visit_all(work, attrs);
    }
    let chunk = work.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut rest = work;
    while rest.len() > chunk {
        let tail = rest.split_off(chunk);
        chunks.push(rest);
        rest = tail;
    }
    chunks.push(rest);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(move || visit_all(c, attrs)))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(_) => out.push(Outcome::Failed(Error::InvalidArgument(
                    "worker panicked".into(),
                ))),
            }
        }
        out
    })
}

/// Per-call Python objects shared by every process.
struct Ctx<'py> {
    py: Python<'py>,
    ad_value: Bound<'py, PyAny>,
    tuple_new: Bound<'py, PyAny>,
    ntp: Bound<'py, PyModule>,
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
    fn ntuple<T>(&self, name: &str, values: T) -> PyResult<PyObject>
    where
        T: IntoPyObject<'py, Target = PyTuple, Output = Bound<'py, PyTuple>, Error = PyErr>,
    {
        let cls = self.ntp.getattr(name)?;
        let values = values.into_pyobject(self.py)?;
        Ok(self.tuple_new.call1((cls, values))?.unbind())
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
            Some(s) => s.as_str().into_py_any(py)?,
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
    let list = PyList::empty(py);
    for a in args {
        list.append(PyString::new(py, a))?;
    }
    Ok(list.into_any().unbind())
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
    let mut work: Work = Vec::with_capacity(pids.len());
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

    let outcomes = py.allow_threads(|| {
        let boot = if wants_create_time {
            psutil::boot_time().ok()
        } else {
            None
        };
        (read_all(work, &attrs), boot)
    });
    let (outcomes, boot_time) = outcomes;

    let mut ctx = Ctx {
        py,
        ad_value,
        tuple_new: py.get_type::<PyTuple>().getattr(intern!(py, "__new__"))?,
        ntp: PyModule::import(py, "psutil._ntuples")?,
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
    let out = PyList::empty(py);
    for ((outcome, obj), &pid) in outcomes.into_iter().zip(existing).zip(&pids) {
        match outcome {
            Outcome::Gone => {
                if obj.is_some() {
                    pmap.del_item(pid)?;
                }
            }
            Outcome::Failed(e) => return Err(to_pyerr(py, e)),
            Outcome::Slow => {
                if let Some(obj) = obj {
                    out.append((obj, py.None()))?;
                }
            }
            Outcome::Read(handle, info) => {
                let obj = match obj {
                    Some(o) => o,
                    None => {
                        let h = Bound::new(
                            py,
                            Proc {
                                inner: Arc::clone(&handle),
                            },
                        )?;
                        let o = make.call1((h,))?;
                        pmap.set_item(pid, &o)?;
                        o
                    }
                };
                let d = PyDict::new(py);
                for (key, w) in &wants {
                    d.set_item(key, value(&mut ctx, *w, &handle, &info, &obj)?)?;
                }
                out.append((obj, d))?;
            }
        }
    }
    Ok(out)
}
