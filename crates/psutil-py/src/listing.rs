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

use std::sync::Arc;

use psutil::parallel;

use psutil::process::{Attr, ProcessInfo};
use psutil::Error;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::error::to_pyerr;
use crate::proc::Proc;
use crate::values::{parse_wants, value, Ctx, Want};

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
    names: Vec<Bound<'py, PyString>>,
    ad_value: Bound<'py, PyAny>,
    make: &Bound<'py, PyAny>,
    uid_name: Bound<'py, PyAny>,
    total_phymem: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let (wants, attrs) = parse_wants(&names, "process_listing")?;
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
    let mut ctx = Ctx::new(py, ad_value, uid_name, boot_time, total_phymem)?;

    let read = |r: std::ops::Range<usize>| -> Vec<Outcome> {
        work[r]
            .iter()
            .map(|(pid, h)| match h {
                None => Outcome::Slow,
                Some(h) => visit(*pid, h.clone(), &attrs),
            })
            .collect()
    };
    let out = PyList::empty(py);
    let mut existing = existing.into_iter();
    let mut pids = pids.iter();
    // Helper threads read blocks while this thread, between blocks it reads
    // itself (without the GIL), turns the blocks read so far into Python
    // objects, in PID order. The crate's block reader is the one
    // `process_iter` uses; a reader's panic is resumed here.
    parallel::stream(
        work.len(),
        parallel::LISTING_BLOCK,
        parallel::listing_threads(work.len()),
        read,
        |blocks| -> PyResult<()> {
            for b in 0..blocks.count() {
                let block = match blocks.try_take(b) {
                    Some(v) => v,
                    None => py.allow_threads(|| blocks.take(b)).unwrap_or_default(),
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
        },
    )?;
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
