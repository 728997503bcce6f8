//! `Proc`: the handle on one process behind psutil's platform-level
//! `Process` (`psutil._pslinux.Process`), one method per attribute.
//! Blocking calls (`wait`) release the GIL.

use std::sync::Arc;

use psutil::process::{IoPriorityClass, Resource, Signal, Status};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::convert::{
    args_list, conn_fields, conn_kind, duration, environ_dict, map_grouped_fields, map_row,
    open_file_fields, os_obj, path_obj, OpenFileFields, Record,
};
use crate::error::{io_to_pyerr, IntoPy};

/// A handle on one process: psutil's platform-level `Process`.
#[pyclass(module = "psutil._psutil_rs", name = "Proc", frozen)]
pub struct Proc {
    pub(crate) inner: Arc<psutil::Process>,
}

pub(crate) fn wrap(p: psutil::Process) -> Proc {
    Proc { inner: Arc::new(p) }
}

fn rlim(v: Option<u64>) -> i64 {
    match v {
        None => libc::RLIM_INFINITY as i64,
        Some(x) => i64::try_from(x).unwrap_or(-1),
    }
}

fn unrlim(v: i64) -> Option<u64> {
    if v < 0 || v as u64 == libc::RLIM_INFINITY {
        None
    } else {
        Some(v as u64)
    }
}

#[pymethods]
impl Proc {
    #[new]
    fn new(py: Python<'_>, pid: u32) -> PyResult<Self> {
        psutil::Process::new(pid).py(py).map(wrap)
    }

    #[getter]
    fn pid(&self) -> u32 {
        self.inner.pid()
    }

    /// Start time in clock ticks since boot (the identity with the PID).
    #[getter]
    fn start_ticks(&self) -> u64 {
        self.inner.start_ticks()
    }

    fn cached_name(&self) -> Option<String> {
        self.inner.cached_name()
    }

    fn oneshot_enter(&self) {
        self.inner.oneshot_enter()
    }

    fn oneshot_exit(&self) {
        self.inner.oneshot_exit()
    }

    fn name(&self, py: Python<'_>) -> PyResult<PyObject> {
        os_obj(py, &self.inner.name_os().py(py)?)
    }

    fn exe(&self, py: Python<'_>) -> PyResult<PyObject> {
        path_obj(py, self.inner.exe().py(py)?.as_deref())
    }

    fn cmdline(&self, py: Python<'_>) -> PyResult<PyObject> {
        args_list(py, &self.inner.cmdline_os().py(py)?)
    }

    fn environ(&self, py: Python<'_>) -> PyResult<PyObject> {
        environ_dict(py, &self.inner.environ_os().py(py)?)
    }

    fn status(&self, py: Python<'_>) -> PyResult<&'static str> {
        self.inner.status().py(py).map(Status::as_str)
    }

    fn ppid(&self, py: Python<'_>) -> PyResult<u32> {
        self.inner.ppid().py(py)
    }

    fn create_time(&self, py: Python<'_>) -> PyResult<f64> {
        self.inner.create_time().py(py)
    }

    fn is_running(&self, py: Python<'_>) -> bool {
        let p = Arc::clone(&self.inner);
        py.allow_threads(move || p.is_running())
    }

    fn parent(&self, py: Python<'_>) -> PyResult<Option<Proc>> {
        Ok(self.inner.parent().py(py)?.map(wrap))
    }

    fn children(&self, py: Python<'_>, recursive: bool) -> PyResult<Vec<Proc>> {
        Ok(self
            .inner
            .children(recursive)
            .py(py)?
            .into_iter()
            .map(wrap)
            .collect())
    }

    fn uids(&self, py: Python<'_>) -> PyResult<(u32, u32, u32)> {
        Ok(self.inner.uids().py(py)?.fields())
    }

    fn gids(&self, py: Python<'_>) -> PyResult<(u32, u32, u32)> {
        Ok(self.inner.gids().py(py)?.fields())
    }

    fn username(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.username().py(py)
    }

    fn terminal(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.inner.terminal().py(py)
    }

    fn cwd(&self, py: Python<'_>) -> PyResult<PyObject> {
        path_obj(py, self.inner.cwd().py(py)?.as_deref())
    }

    fn nice(&self, py: Python<'_>) -> PyResult<i32> {
        self.inner.nice().py(py)
    }

    fn set_nice(&self, py: Python<'_>, value: i32) -> PyResult<()> {
        self.inner.set_nice(value).py(py)
    }

    fn ionice(&self, py: Python<'_>) -> PyResult<(i32, i32)> {
        Ok(self.inner.ionice().py(py)?.fields())
    }

    #[pyo3(signature = (ioclass, value=None))]
    fn set_ionice(&self, py: Python<'_>, ioclass: i32, value: Option<i32>) -> PyResult<()> {
        // What the kernel answers for a class it does not know (psutil
        // passes any class through); see the README for classes >= 8.
        let cls = IoPriorityClass::from_i32(ioclass)
            .ok_or_else(|| io_to_pyerr(std::io::Error::from_raw_os_error(libc::EINVAL), None))?;
        self.inner.set_ionice(cls, value).py(py)
    }

    fn rlimit(&self, py: Python<'_>, resource: i32) -> PyResult<(i64, i64)> {
        let r = Resource::from_i32(resource)
            .ok_or_else(|| PyValueError::new_err("invalid resource specified"))?;
        let (soft, hard) = self.inner.rlimit(r).py(py)?;
        Ok((rlim(soft), rlim(hard)))
    }

    fn set_rlimit(&self, py: Python<'_>, resource: i32, soft: i64, hard: i64) -> PyResult<()> {
        let r = Resource::from_i32(resource)
            .ok_or_else(|| PyValueError::new_err("invalid resource specified"))?;
        self.inner
            .set_rlimit(r, (unrlim(soft), unrlim(hard)))
            .py(py)
    }

    fn cpu_affinity(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.inner.cpu_affinity().py(py)
    }

    fn set_cpu_affinity(&self, py: Python<'_>, cpus: Vec<u32>) -> PyResult<()> {
        self.inner.set_cpu_affinity(&cpus).py(py)
    }

    fn cpu_num(&self, py: Python<'_>) -> PyResult<u32> {
        self.inner.cpu_num().py(py)
    }

    fn io_counters(&self, py: Python<'_>) -> PyResult<(u64, u64, u64, u64, u64, u64)> {
        Ok(self.inner.io_counters().py(py)?.fields())
    }

    fn num_ctx_switches(&self, py: Python<'_>) -> PyResult<(u64, u64)> {
        Ok(self.inner.num_ctx_switches().py(py)?.fields())
    }

    fn num_fds(&self, py: Python<'_>) -> PyResult<u64> {
        self.inner.num_fds().py(py)
    }

    fn num_threads(&self, py: Python<'_>) -> PyResult<u64> {
        self.inner.num_threads().py(py)
    }

    fn threads(&self, py: Python<'_>) -> PyResult<Vec<(u32, f64, f64)>> {
        Ok(self
            .inner
            .threads()
            .py(py)?
            .into_iter()
            .map(|t| t.fields())
            .collect())
    }

    fn cpu_times(&self, py: Python<'_>) -> PyResult<(f64, f64, f64, f64, f64)> {
        Ok(self.inner.cpu_times().py(py)?.fields())
    }

    fn memory_info(&self, py: Python<'_>) -> PyResult<(u64, u64, u64, u64, u64, u64, u64)> {
        Ok(self.inner.memory_info().py(py)?.fields())
    }

    fn memory_full_info(&self, py: Python<'_>) -> PyResult<PyObject> {
        self.inner
            .memory_full_info()
            .py(py)?
            .fields()
            .into_py_any(py)
    }

    fn memory_maps(&self, py: Python<'_>, grouped: bool) -> PyResult<Vec<PyObject>> {
        if grouped {
            self.inner
                .memory_maps()
                .py(py)?
                .iter()
                .map(|m| map_grouped_fields(py, m)?.into_py_any(py))
                .collect()
        } else {
            self.inner
                .memory_maps_ungrouped()
                .py(py)?
                .iter()
                .map(|m| map_row(py, m))
                .collect()
        }
    }

    fn open_files(&self, py: Python<'_>) -> PyResult<Vec<OpenFileFields>> {
        self.inner
            .open_files()
            .py(py)?
            .iter()
            .map(|f| open_file_fields(py, f))
            .collect()
    }

    fn net_connections(&self, py: Python<'_>, kind: &Bound<'_, PyAny>) -> PyResult<Vec<PyObject>> {
        let kind = conn_kind(py, kind)?;
        let conns = self.inner.net_connections(kind).py(py)?;
        conns
            .iter()
            .map(|c| conn_fields(py, c)?.into_py_any(py))
            .collect()
    }

    /// `OSError(EINVAL)` for a number no signal has, as `os.kill` gives.
    fn send_signal(&self, py: Python<'_>, sig: i64) -> PyResult<()> {
        let sig = i32::try_from(sig).ok().and_then(Signal::from_raw);
        let Some(sig) = sig else {
            let einval = std::io::Error::from_raw_os_error(libc::EINVAL);
            return Err(io_to_pyerr(einval, None));
        };
        self.inner.send_signal(sig).py(py)
    }

    /// Waits for the process to end (GIL released). Returns the exit code,
    /// minus the signal number, or None for a non-child.
    #[pyo3(signature = (timeout=None))]
    fn wait(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<i32>> {
        let t = duration(timeout)?;
        let p = Arc::clone(&self.inner);
        py.allow_threads(move || p.wait_reaped(t)).py(py)
    }

    /// Like `wait` but through a fresh handle, so no exit status cached
    /// by an earlier `wait` is returned (psutil's platform-level wait).
    #[pyo3(signature = (timeout=None))]
    fn wait_fresh(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<i32>> {
        let t = duration(timeout)?;
        let p = (*self.inner).clone();
        py.allow_threads(move || p.wait_reaped(t)).py(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<_psutil_rs.Proc pid={} start_ticks={}>",
            self.inner.pid(),
            self.inner.start_ticks()
        )
    }
}
