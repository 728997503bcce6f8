//! `process_as_dict`: the batch behind `Process.as_dict()`.
//!
//! One call reads every requested attribute of one process in one oneshot
//! batch, with the GIL released, through the handle its `psutil.Process`
//! object holds, and builds the dict with the values the Python methods
//! give (`values.rs`, shared with `process_iter(attrs)`).

use psutil::process::Attr;
use psutil::Error;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::values::{parse_wants, value, Ctx, Want};
use crate::{helper, to_pyerr, Proc};

/// `Process.as_dict()` of `obj` for `names` (each one `values.rs`
/// supports). `ad_value` stands for attributes the kernel refused;
/// `uid_name(uid)` gives `username`; `total_phymem` is needed for
/// `memory_percent`.
///
/// Returns None when the caller must go through the Python methods
/// instead: `obj` holds no Rust handle, or the process is gone or its PID
/// reused (the methods then raise as psutil does).
#[pyfunction]
#[pyo3(signature = (obj, names, ad_value, uid_name, total_phymem=None))]
pub fn process_as_dict<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    names: Vec<Bound<'py, PyString>>,
    ad_value: Bound<'py, PyAny>,
    uid_name: Bound<'py, PyAny>,
    total_phymem: Option<f64>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let handle = obj
        .getattr(intern!(py, "_proc"))?
        .getattr(intern!(py, "_h"))?;
    let Ok(handle) = handle.downcast::<Proc>() else {
        return Ok(None);
    };
    let p = &*handle.get().inner;
    let (wants, attrs) = parse_wants(&names, "process_as_dict")?;
    if total_phymem.is_none() && wants.iter().any(|(_, w)| matches!(w, Want::MemoryPercent)) {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "memory_percent needs total_phymem",
        ));
    }
    // `memory_maps` (and `memory_full_info`), when there is much else to
    // read, are read at the same time on the helper thread, through a
    // second handle on the process (the first one is locked while it
    // reads); the dict is filled meanwhile.
    let apart: Vec<Attr> = if attrs.len() > APART_FROM
        && attrs.contains(&Attr::MemoryMaps)
        && psutil::default_threads() > 1
    {
        attrs
            .iter()
            .copied()
            .filter(|a| APART.contains(a))
            .collect()
    } else {
        Vec::new()
    };
    let helped = if apart.is_empty() {
        None
    } else {
        let q = p.clone();
        let them = apart.clone();
        helper::try_run(move || q.as_dict(&them))
    };
    let rest: Vec<Attr>;
    let here = match helped {
        Some(_) => {
            rest = attrs
                .iter()
                .copied()
                .filter(|a| !apart.contains(a))
                .collect();
            &rest[..]
        }
        None => &attrs[..],
    };
    let Some(mut info) = gone_is_none(py, py.allow_threads(|| p.as_dict(here)))? else {
        return Ok(None);
    };
    let mut ctx = Ctx::new(py, ad_value, uid_name, None, total_phymem)?;
    let d = PyDict::new(py);
    let mut later = Vec::new();
    for (key, w) in &wants {
        if helped.is_some() && matches!(w, Want::Plain(a) if apart.contains(a)) {
            d.set_item(key, py.None())?; // its place in the order
            later.push((key, *w));
            continue;
        }
        d.set_item(key, value(&mut ctx, *w, p, &info, obj)?)?;
    }
    if let Some(rx) = helped {
        let read = py.allow_threads(move || rx.wait()).unwrap_or_else(|| {
            Err(Error::InvalidArgument(
                "process_as_dict: the helper thread panicked".into(),
            ))
        });
        let Some(h) = gone_is_none(py, read)? else {
            return Ok(None);
        };
        info.memory_maps = h.memory_maps;
        info.memory_full_info = h.memory_full_info;
        for (key, w) in later {
            d.set_item(key, value(&mut ctx, w, p, &info, obj)?)?;
        }
    }
    Ok(Some(d))
}

/// A read's outcome: None for a process gone (or whose PID was reused).
fn gone_is_none<T>(py: Python<'_>, r: Result<T, Error>) -> PyResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_no_such_process() => Ok(None),
        Err(e) => Err(to_pyerr(py, e)),
    }
}

/// What the helper thread reads: the files the kernel writes by walking
/// the page tables (`/proc/PID/smaps` costs about as much as all the
/// other files together, `smaps_rollup` a good part of that again).
const APART: [Attr; 2] = [Attr::MemoryMaps, Attr::MemoryFullInfo];

/// Reads of at least this many attributes, `memory_maps` among them, use
/// the helper thread (handing it over costs a few microseconds).
const APART_FROM: usize = 4;
