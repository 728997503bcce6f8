//! The Python values of `as_dict()` attributes read by the crate, shared
//! by the batch behind `process_iter(attrs)` (`listing.rs`) and the one
//! behind `Process.as_dict()` (`asdict.rs`): the exact values the Python
//! methods give (the namedtuples of `psutil._ntuples`, status strings,
//! `ad_value` for attributes the kernel refused), and the caches the
//! methods fill on the `Process` object (`_name`, `_exe`, `_create_time`).

use std::collections::HashMap;

use psutil::process::{Attr, Ionice, ProcessInfo};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyModule, PyString, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::convert::{
    args_list, conn_fields, environ_dict, map_grouped_fields, open_file_fields, os_obj, path_obj,
    Record,
};
use crate::error::to_pyerr;

/// A key of the `info` dict and how its value is made.
#[derive(Clone, Copy)]
pub(crate) enum Want {
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
        | "memory_maps" | "net_connections" | "nice" | "num_ctx_switches" | "num_fds"
        | "num_threads" | "open_files" | "ppid" | "status" | "terminal" | "threads" | "uids" => {
            Want::Plain(name.parse().ok()?)
        }
        _ => return None,
    })
}

/// The keys with how each value is made, and what the crate reads for
/// them (each attribute once). `caller` names the function in the error
/// for a name not supported here.
pub(crate) type Wants<'py> = Vec<(Bound<'py, PyString>, Want)>;

pub(crate) fn parse_wants<'py>(
    names: &[Bound<'py, PyString>],
    caller: &str,
) -> PyResult<(Wants<'py>, Vec<Attr>)> {
    let mut wants = Vec::with_capacity(names.len());
    for n in names {
        let name = n.to_cow()?;
        let w = want(&name)
            .ok_or_else(|| PyValueError::new_err(format!("{caller}: unsupported attr {name:?}")))?;
        wants.push((n.clone(), w));
    }
    let attrs = crate_attrs(wants.iter().map(|(_, w)| w));
    Ok((wants, attrs))
}

fn crate_attrs<'a>(wants: impl Iterator<Item = &'a Want>) -> Vec<Attr> {
    let mut attrs: Vec<Attr> = Vec::new();
    for w in wants {
        let a = match w {
            Want::Pid | Want::CreateTime => continue,
            Want::Username => Attr::Uids,
            Want::MemoryPercent => Attr::MemoryInfo,
            Want::Plain(a) => *a,
        };
        if !attrs.contains(&a) {
            attrs.push(a);
        }
    }
    attrs
}

/// Per-call Python objects shared by every process.
pub(crate) struct Ctx<'py> {
    pub(crate) py: Python<'py>,
    ad_value: Bound<'py, PyAny>,
    tuple_new: Bound<'py, PyAny>,
    ntp: Bound<'py, PyModule>,
    /// The namedtuple classes looked up so far, by name.
    classes: Vec<(&'static str, Bound<'py, PyAny>)>,
    /// The status strings made so far.
    statuses: Vec<(&'static str, PyObject)>,
    ioprio: Option<Bound<'py, PyAny>>,
    /// `psutil._pslinux._pconns`, once needed.
    pconns: Option<Bound<'py, PyAny>>,
    ioprio_cache: HashMap<i32, PyObject>,
    uid_name: Bound<'py, PyAny>,
    uid_cache: HashMap<u32, PyObject>,
    boot_time: Option<f64>,
    clock_ticks: f64,
    total_phymem: Option<f64>,
}

impl<'py> Ctx<'py> {
    /// `boot_time`: read once for many processes (`create_time` then costs
    /// no `/proc/stat` read per handle); `total_phymem` is needed for
    /// `memory_percent`.
    pub(crate) fn new(
        py: Python<'py>,
        ad_value: Bound<'py, PyAny>,
        uid_name: Bound<'py, PyAny>,
        boot_time: Option<f64>,
        total_phymem: Option<f64>,
    ) -> PyResult<Self> {
        Ok(Ctx {
            py,
            ad_value,
            tuple_new: py.get_type::<PyTuple>().getattr(intern!(py, "__new__"))?,
            ntp: PyModule::import(py, "psutil._ntuples")?,
            classes: Vec::new(),
            statuses: Vec::new(),
            ioprio: None,
            pconns: None,
            ioprio_cache: HashMap::new(),
            uid_name,
            uid_cache: HashMap::new(),
            boot_time,
            clock_ticks: psutil::clock_ticks() as f64,
            total_phymem,
        })
    }

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

    /// The namedtuple of a process record.
    fn record<R: Record>(&mut self, r: &R) -> PyResult<PyObject>
    where
        R::Fields: IntoPyObject<'py, Target = PyTuple, Output = Bound<'py, PyTuple>, Error = PyErr>,
    {
        self.ntuple(R::NTUPLE, r.fields())
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

    fn pconns(&mut self) -> PyResult<Bound<'py, PyAny>> {
        if let Some(f) = &self.pconns {
            return Ok(f.clone());
        }
        let f = PyModule::import(self.py, "psutil._pslinux")?.getattr("_pconns")?;
        self.pconns = Some(f.clone());
        Ok(f)
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
pub(crate) fn value<'py>(
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
        Want::Plain(a) => plain(ctx, a, info, obj)?,
    })
}

fn plain<'py>(
    ctx: &mut Ctx<'py>,
    a: Attr,
    i: &ProcessInfo,
    obj: &Bound<'py, PyAny>,
) -> PyResult<PyObject> {
    let py = ctx.py;
    let ad = ctx.ad_value.clone().unbind();
    Ok(match a {
        Attr::Name => match &i.name {
            Some(n) => {
                let v = os_obj(py, n)?;
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
                        let v = path_obj(py, e.as_deref())?;
                        // psutil caches only a known path, not its "".
                        if e.is_some() {
                            obj.setattr(attr, &v)?;
                        }
                        v
                    }
                    None => ad,
                }
            }
        }
        Attr::Cmdline => match &i.cmdline {
            Some(args) => args_list(py, args)?,
            None => ad,
        },
        Attr::Environ => match &i.environ {
            Some(env) => environ_dict(py, env)?,
            None => ad,
        },
        Attr::Status => match i.status {
            Some(s) => ctx.status(s.as_str()),
            None => ad,
        },
        Attr::Ppid => opt(py, i.ppid, ad)?,
        Attr::Uids => match &i.uids {
            Some(u) => ctx.record(u)?,
            None => ad,
        },
        Attr::Gids => match &i.gids {
            Some(g) => ctx.record(g)?,
            None => ad,
        },
        Attr::Terminal => match &i.terminal {
            Some(t) => t.into_py_any(py)?,
            None => ad,
        },
        Attr::Cwd => match &i.cwd {
            Some(c) => path_obj(py, c.as_deref())?,
            None => ad,
        },
        Attr::Nice => opt(py, i.nice, ad)?,
        Attr::Ionice => match &i.ionice {
            Some(n) => {
                let (ioclass, value) = n.fields();
                let cls = ctx.ionice_class(ioclass)?;
                ctx.ntuple(Ionice::NTUPLE, (cls, value))?
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
            Some(c) => ctx.record(c)?,
            None => ad,
        },
        Attr::NumCtxSwitches => match &i.num_ctx_switches {
            Some(c) => ctx.record(c)?,
            None => ad,
        },
        Attr::NumFds => opt(py, i.num_fds, ad)?,
        Attr::NumThreads => opt(py, i.num_threads, ad)?,
        Attr::Threads => match &i.threads {
            Some(ts) => {
                let list = PyList::empty(py);
                for t in ts {
                    list.append(ctx.record(t)?)?;
                }
                list.into_any().unbind()
            }
            None => ad,
        },
        Attr::CpuTimes => match &i.cpu_times {
            Some(t) => ctx.record(t)?,
            None => ad,
        },
        Attr::MemoryInfo => match &i.memory_info {
            Some(m) => ctx.record(m)?,
            None => ad,
        },
        Attr::MemoryFullInfo => match &i.memory_full_info {
            Some(m) => ctx.record(m)?,
            None => ad,
        },
        Attr::MemoryMaps => match &i.memory_maps {
            Some(maps) => {
                let list = PyList::empty(py);
                for m in maps {
                    let row = map_grouped_fields(py, m)?;
                    list.append(ctx.ntuple("pmmap_grouped", row)?)?;
                }
                list.into_any().unbind()
            }
            None => ad,
        },
        Attr::OpenFiles => match &i.open_files {
            Some(files) => {
                let list = PyList::empty(py);
                for f in files {
                    let row = open_file_fields(py, f)?;
                    list.append(ctx.ntuple("popenfile", row)?)?;
                }
                list.into_any().unbind()
            }
            None => ad,
        },
        Attr::NetConnections => match &i.net_connections {
            // Family and type become enums and addresses namedtuples in
            // Python, as `Process.net_connections()` makes them.
            Some(conns) if !conns.is_empty() => {
                let rows = conns
                    .iter()
                    .map(|c| conn_fields(py, c))
                    .collect::<PyResult<Vec<_>>>()?;
                ctx.pconns()?.call1((rows,))?.unbind()
            }
            Some(_) => PyList::empty(py).into_any().unbind(),
            None => ad,
        },
        other => {
            return Err(PyValueError::new_err(format!(
                "process_listing: unsupported attr {:?}",
                other.as_str()
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
