//! The cgroup API for `psutil.cgroups`: a handle class and plain tuples in
//! the field order of the namedtuples `python/psutil/cgroups.py` builds.
//!
//! A limit is `None` when unavailable, `math.inf` when unlimited, else a
//! number: so `min(limit, ram)` just works in Python.

use psutil::cgroup::{self, Cgroup, Limit, Pressure, PressureStats};
use pyo3::prelude::*;
use pyo3::types::PyModule;
use pyo3::IntoPyObjectExt;

use crate::error::IntoPy;

fn limit<T: for<'py> IntoPyObject<'py> + Copy>(
    py: Python<'_>,
    l: Option<Limit<T>>,
) -> PyResult<PyObject> {
    match l {
        None => Ok(py.None()),
        Some(Limit::Max) => f64::INFINITY.into_py_any(py),
        Some(Limit::Value(v)) => v.into_py_any(py),
    }
}

fn pressure_tuple(py: Python<'_>, p: &Option<Pressure>) -> PyResult<PyObject> {
    let Some(p) = p else { return Ok(py.None()) };
    let line = |l: &psutil::cgroup::PressureLine| (l.avg10, l.avg60, l.avg300, l.total);
    (line(&p.some), p.full.as_ref().map(line)).into_py_any(py)
}

fn pressure_stats(py: Python<'_>, p: &PressureStats) -> PyResult<PyObject> {
    (
        pressure_tuple(py, &p.cpu)?,
        pressure_tuple(py, &p.memory)?,
        pressure_tuple(py, &p.io)?,
    )
        .into_py_any(py)
}

/// One cgroup (`psutil.cgroups.Cgroup` wraps it).
#[pyclass(module = "psutil._psutil_rs", name = "CgroupHandle", frozen)]
pub struct CgroupHandle {
    inner: Cgroup,
}

#[pymethods]
impl CgroupHandle {
    fn path(&self) -> String {
        self.inner.path().to_owned()
    }

    fn name(&self) -> String {
        self.inner.name().to_owned()
    }

    fn version(&self) -> u8 {
        self.inner.version().number()
    }

    fn dir(&self) -> Option<String> {
        self.inner.dir().map(|d| d.to_string_lossy().into_owned())
    }

    /// `[(version, controllers, path, dir)]`.
    fn hierarchies(&self) -> Vec<(u8, Vec<String>, String, Option<String>)> {
        self.inner
            .hierarchies()
            .iter()
            .map(|h| {
                (
                    h.version.number(),
                    h.controllers.clone(),
                    h.path.clone(),
                    h.dir.as_ref().map(|d| d.to_string_lossy().into_owned()),
                )
            })
            .collect()
    }

    /// `(usage, limit, high, swap_usage, swap_limit, working_set, rss,
    /// cache, mapped_file, stat, (low, high, max, oom, oom_kill))`.
    fn memory(&self, py: Python<'_>) -> PyResult<PyObject> {
        let m = self.inner.memory();
        let e = m.events;
        (
            m.usage,
            limit(py, m.limit)?,
            limit(py, m.high)?,
            m.swap_usage,
            limit(py, m.swap_limit)?,
            m.working_set,
            m.rss,
            m.cache,
            m.mapped_file,
            m.stat,
            (e.low, e.high, e.max, e.oom, e.oom_kill),
        )
            .into_py_any(py)
    }

    /// `(usage_seconds, user_seconds, system_seconds, quota_us, period_us,
    /// limit_cpus, weight, shares, nr_periods, nr_throttled,
    /// throttled_seconds, cpuset)`.
    fn cpu(&self, py: Python<'_>) -> PyResult<PyObject> {
        let c = self.inner.cpu();
        (
            c.usage_seconds,
            c.user_seconds,
            c.system_seconds,
            limit(py, c.quota_us)?,
            c.period_us,
            limit(py, c.limit_cpus)?,
            c.weight,
            c.shares,
            c.nr_periods,
            c.nr_throttled,
            c.throttled_seconds,
            c.cpuset,
        )
            .into_py_any(py)
    }

    /// `(devices, limits)`: devices `[(major, minor, read_bytes,
    /// write_bytes, read_ios, write_ios)]`, limits `[(major, minor,
    /// read_bps, write_bps, read_iops, write_iops)]`, each `None` when
    /// unavailable.
    fn io(&self, py: Python<'_>) -> PyResult<PyObject> {
        let io = self.inner.io();
        let devices = io.devices.map(|d| {
            d.iter()
                .map(|d| {
                    (
                        d.major,
                        d.minor,
                        d.read_bytes,
                        d.write_bytes,
                        d.read_ios,
                        d.write_ios,
                    )
                })
                .collect::<Vec<_>>()
        });
        let limits = io
            .limits
            .map(|ls| {
                ls.iter()
                    .map(|l| {
                        (
                            l.major,
                            l.minor,
                            limit(py, Some(l.read_bps))?,
                            limit(py, Some(l.write_bps))?,
                            limit(py, Some(l.read_iops))?,
                            limit(py, Some(l.write_iops))?,
                        )
                            .into_py_any(py)
                    })
                    .collect::<PyResult<Vec<_>>>()
            })
            .transpose()?;
        (devices, limits).into_py_any(py)
    }

    /// `(current, max)`.
    fn pids(&self, py: Python<'_>) -> PyResult<PyObject> {
        let p = self.inner.pids();
        (p.current, limit(py, p.max)?).into_py_any(py)
    }

    /// `(cpu, memory, io)`, each `None` or `((avg10, avg60, avg300, total),
    /// full)`.
    fn pressure(&self, py: Python<'_>) -> PyResult<PyObject> {
        pressure_stats(py, &self.inner.pressure())
    }

    /// `(runtime, container_id, pod_uid, unit, slice)`.
    fn placement(&self, py: Python<'_>) -> PyResult<PyObject> {
        let p = self.inner.placement();
        (
            p.runtime.map(|r| r.as_str()),
            p.container_id,
            p.pod_uid,
            p.unit,
            p.slice,
        )
            .into_py_any(py)
    }

    fn effective_cpu_limit(&self, py: Python<'_>) -> PyResult<PyObject> {
        limit(py, self.inner.effective_cpu_limit())
    }

    fn effective_memory_limit(&self, py: Python<'_>) -> PyResult<PyObject> {
        limit(py, self.inner.effective_memory_limit())
    }

    /// `(total, available, percent, used, free, active, inactive, cached,
    /// shared)`.
    fn virtual_memory(&self, py: Python<'_>) -> PyResult<PyObject> {
        let m = self.inner.virtual_memory().py(py)?;
        (
            m.total,
            m.available,
            m.percent,
            m.used,
            m.free,
            m.active,
            m.inactive,
            m.cached,
            m.shared,
        )
            .into_py_any(py)
    }

    fn children(&self, py: Python<'_>) -> PyResult<Vec<CgroupHandle>> {
        Ok(self
            .inner
            .children()
            .py(py)?
            .into_iter()
            .map(|inner| CgroupHandle { inner })
            .collect())
    }

    fn processes(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        self.inner.processes().py(py)
    }
}

/// The cgroup of process `pid` (`None`: the caller).
#[pyfunction]
#[pyo3(signature = (pid=None))]
fn cgroup_of(py: Python<'_>, pid: Option<u32>) -> PyResult<CgroupHandle> {
    let inner = match pid {
        Some(pid) => Cgroup::of_pid(pid),
        None => Cgroup::current(),
    };
    Ok(CgroupHandle {
        inner: inner.py(py)?,
    })
}

#[pyfunction]
fn cgroup_open(py: Python<'_>, path: &str) -> PyResult<CgroupHandle> {
    Ok(CgroupHandle {
        inner: Cgroup::open(path).py(py)?,
    })
}

#[pyfunction]
#[pyo3(signature = (pid=None))]
fn effective_cpu_count(py: Python<'_>, pid: Option<u32>) -> PyResult<usize> {
    match pid {
        Some(pid) => cgroup::effective_cpu_count_of(pid),
        None => cgroup::effective_cpu_count(),
    }
    .py(py)
}

#[pyfunction]
#[pyo3(signature = (pid=None))]
fn effective_memory_limit(py: Python<'_>, pid: Option<u32>) -> PyResult<u64> {
    match pid {
        Some(pid) => cgroup::effective_memory_limit_of(pid),
        None => cgroup::effective_memory_limit(),
    }
    .py(py)
}

#[pyfunction]
fn system_pressure(py: Python<'_>) -> PyResult<PyObject> {
    match cgroup::system_pressure() {
        Some(p) => pressure_stats(py, &p),
        None => Ok(py.None()),
    }
}

#[pyfunction]
fn set_cgroupfs_path(path: &str) {
    psutil::set_cgroupfs_path(path)
}

#[pyfunction]
fn cgroupfs_path() -> String {
    psutil::cgroupfs_path()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CgroupHandle>()?;
    m.add_function(wrap_pyfunction!(cgroup_of, m)?)?;
    m.add_function(wrap_pyfunction!(cgroup_open, m)?)?;
    m.add_function(wrap_pyfunction!(effective_cpu_count, m)?)?;
    m.add_function(wrap_pyfunction!(effective_memory_limit, m)?)?;
    m.add_function(wrap_pyfunction!(system_pressure, m)?)?;
    m.add_function(wrap_pyfunction!(set_cgroupfs_path, m)?)?;
    m.add_function(wrap_pyfunction!(cgroupfs_path, m)?)?;
    Ok(())
}
