//! `psutil._psutil_rs`: the low-level Python extension behind the `psutil`
//! Python package.
//!
//! Everything here returns plain Python values (tuples, lists, dicts,
//! strings, numbers); the Python layer (`python/psutil/`) turns them into
//! psutil's namedtuples, enums and classes. Errors of the Rust crate become
//! the exception classes defined in `psutil._common`, looked up at raise
//! time, so `NoSuchProcess` raised here is the very class users catch.
//!
//! Blocking calls (`wait`, the wait-for-exit helpers) release the GIL.
//!
//! Modules: `error` (crate errors as Python exceptions), `proc` (the
//! `Proc` handle), `convert` (crate values as Python objects), `values`
//! with `listing` and `asdict` (the batches behind `process_iter(attrs)`
//! and `as_dict()`), `system` and `cgroups` (module-level functions).

use pyo3::prelude::*;
use pyo3::types::PyModule;

mod asdict;
mod cgroups;
mod convert;
mod error;
mod listing;
mod proc;
mod system;
mod values;

use proc::Proc;

#[pymodule]
fn _psutil_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Proc>()?;
    m.add_function(wrap_pyfunction!(listing::process_listing, m)?)?;
    m.add_function(wrap_pyfunction!(asdict::process_as_dict, m)?)?;
    m.add("version", 722)?;
    system::register(m)?;
    cgroups::register(m)?;
    Ok(())
}
