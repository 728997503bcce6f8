//! Crate errors as Python exceptions: the classes of `psutil._common`
//! (looked up at raise time, so `NoSuchProcess` raised here is the very
//! class users catch) and `OSError`s chosen by errno.

use psutil::Error;
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyModule};

static COMMON: GILOnceCell<Py<PyModule>> = GILOnceCell::new();

fn common(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(COMMON
        .get_or_try_init(py, || {
            PyModule::import(py, "psutil._common").map(|m| m.unbind())
        })?
        .bind(py))
}

/// Builds the Python exception for a crate error.
pub(crate) fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let build = |py: Python<'_>| -> PyResult<PyErr> {
        let m = common(py)?;
        let kwargs = PyDict::new(py);
        // `msg` is psutil's own (`Error::psutil_msg`), so `str(exc)` reads
        // exactly as psutil's.
        let msg = e.psutil_msg().into_owned();
        let obj = match e {
            Error::NoSuchProcess { pid, name, .. } => {
                kwargs.set_item("name", name)?;
                kwargs.set_item("msg", msg)?;
                m.getattr("NoSuchProcess")?.call((pid,), Some(&kwargs))?
            }
            Error::ZombieProcess { pid, name, ppid } => {
                kwargs.set_item("name", name)?;
                kwargs.set_item("ppid", ppid)?;
                kwargs.set_item("msg", msg)?;
                m.getattr("ZombieProcess")?.call((pid,), Some(&kwargs))?
            }
            Error::AccessDenied { pid, name } => {
                kwargs.set_item("name", name)?;
                m.getattr("AccessDenied")?.call((pid,), Some(&kwargs))?
            }
            Error::TimeoutExpired { seconds, pid, name } => {
                kwargs.set_item("pid", pid)?;
                kwargs.set_item("name", name)?;
                m.getattr("TimeoutExpired")?
                    .call((seconds,), Some(&kwargs))?
            }
            Error::InvalidArgument(msg) => return Ok(PyValueError::new_err(msg)),
            Error::Io { path, source } => return Ok(io_to_pyerr(source, path)),
            other => return Ok(PyRuntimeError::new_err(other.psutil_message().to_string())),
        };
        Ok(PyErr::from_value(obj))
    };
    build(py).unwrap_or_else(|err| err)
}

/// An `OSError` subclass chosen by errno, like Python's own; the file
/// name decoded as `os.fsdecode` does.
pub(crate) fn io_to_pyerr(source: std::io::Error, path: Option<std::path::PathBuf>) -> PyErr {
    match (
        source.raw_os_error(),
        path.map(std::path::PathBuf::into_os_string),
    ) {
        (Some(errno), Some(p)) => {
            let msg = std::io::Error::from_raw_os_error(errno).to_string();
            let msg = msg.split(" (os error").next().unwrap_or("").to_owned();
            PyOSError::new_err((errno, msg, p))
        }
        (Some(errno), None) => {
            let msg = std::io::Error::from_raw_os_error(errno).to_string();
            let msg = msg.split(" (os error").next().unwrap_or("").to_owned();
            PyOSError::new_err((errno, msg))
        }
        (None, _) => PyErr::from(source),
    }
}

pub(crate) trait IntoPy<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for psutil::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}
