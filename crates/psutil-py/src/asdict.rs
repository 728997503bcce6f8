//! `process_as_dict`: the batch behind `Process.as_dict()`.
//!
//! One call reads every requested attribute of one process in one oneshot
//! batch, with the GIL released, through the handle its `psutil.Process`
//! object holds, and builds the dict with the values the Python methods
//! give (`values.rs`, shared with `process_iter(attrs)`).

use psutil::Error;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::error::to_pyerr;
use crate::proc::Proc;
use crate::values::{parse_wants, value, Ctx, Want};

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
    let Some(info) = gone_is_none(py, py.allow_threads(|| p.as_dict(&attrs)))? else {
        return Ok(None);
    };
    let mut ctx = Ctx::new(py, ad_value, uid_name, None, total_phymem)?;
    let d = PyDict::new(py);
    for (key, w) in &wants {
        d.set_item(key, value(&mut ctx, *w, p, &info, obj)?)?;
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
