//! System-wide functions: plain tuples, lists and dicts for the Python layer.

use std::time::Duration;

use psutil::cpu::CpuTimes;
use psutil::NameMap;
use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyModule};
use pyo3::IntoPyObjectExt;

use crate::convert::conn_fields;
use crate::error::{to_pyerr, IntoPy};

fn cpu_times_tuple(py: Python<'_>, t: &CpuTimes) -> PyResult<PyObject> {
    let vals: Vec<f64> = t.values().iter().flatten().copied().collect();
    vals.into_py_any(py)
}

#[pyfunction]
fn set_procfs_path(path: &str) {
    psutil::set_procfs_path(path)
}

#[pyfunction]
fn procfs_path() -> String {
    psutil::procfs_path()
}

#[pyfunction]
fn pids(py: Python<'_>) -> PyResult<Vec<u32>> {
    psutil::pids().py(py)
}

/// A Python PID as the C `pid_t` psutil converts it to: `OverflowError`
/// beyond. Never `as`: 2**32+1 would become PID 1, 2**32-1 become -1.
fn pid_t_of(pid: i64) -> PyResult<libc::pid_t> {
    libc::pid_t::try_from(pid).map_err(|_| {
        let side = if pid < 0 {
            "less than minimum"
        } else {
            "greater than maximum"
        };
        PyOverflowError::new_err(format!("signed integer is {side}"))
    })
}

/// `OverflowError` beyond `pid_t`, as psutil's `os.kill(pid, 0)` gives.
#[pyfunction]
fn pid_exists(pid: i64) -> PyResult<bool> {
    let pid = pid_t_of(pid)?;
    Ok(u32::try_from(pid).is_ok_and(psutil::pid_exists))
}

#[pyfunction]
fn boot_time(py: Python<'_>) -> PyResult<f64> {
    psutil::boot_time().py(py)
}

/// All `cpu_times` fields present on this kernel, as a tuple of floats.
#[pyfunction]
fn cpu_times(py: Python<'_>) -> PyResult<PyObject> {
    let t = psutil::cpu::cpu_times().py(py)?;
    cpu_times_tuple(py, &t)
}

#[pyfunction]
fn per_cpu_times(py: Python<'_>) -> PyResult<Vec<PyObject>> {
    psutil::cpu::cpu_times_percpu()
        .py(py)?
        .iter()
        .map(|t| cpu_times_tuple(py, t))
        .collect()
}

#[pyfunction]
fn cpu_count_logical(py: Python<'_>) -> PyResult<Option<usize>> {
    psutil::cpu::cpu_count(true).py(py)
}

#[pyfunction]
fn cpu_count_cores(py: Python<'_>) -> PyResult<Option<usize>> {
    psutil::cpu::cpu_count(false).py(py)
}

#[pyfunction]
fn cpu_stats(py: Python<'_>) -> PyResult<(u64, u64, u64, u64)> {
    let s = psutil::cpu::cpu_stats().py(py)?;
    Ok((
        s.ctx_switches,
        s.interrupts,
        s.soft_interrupts.unwrap_or(0),
        s.syscalls,
    ))
}

/// Per-CPU `(current, min, max)` in MHz; empty when unknown.
#[pyfunction]
fn cpu_freq(py: Python<'_>) -> PyResult<Vec<(f64, f64, f64)>> {
    Ok(psutil::cpu::cpu_freq_percpu()
        .py(py)?
        .into_iter()
        .map(|f| (f.current, f.min, f.max))
        .collect())
}

#[pyfunction]
fn virtual_memory(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::memory::virtual_memory().py(py)?;
    (
        m.total,
        m.available,
        m.percent,
        m.used,
        m.free,
        m.active,
        m.inactive,
        m.buffers,
        m.cached,
        m.shared,
        m.slab,
    )
        .into_py_any(py)
}

#[pyfunction]
fn swap_memory(py: Python<'_>) -> PyResult<(u64, u64, u64, f64, u64, u64)> {
    let s = psutil::memory::swap_memory().py(py)?;
    Ok((s.total, s.used, s.free, s.percent, s.sin, s.sout))
}

#[pyfunction]
#[pyo3(signature = (all=false))]
fn disk_partitions(
    py: Python<'_>,
    all: bool,
) -> PyResult<Vec<(PyObject, PyObject, String, String)>> {
    psutil::disk::disk_partitions(all)
        .py(py)?
        .into_iter()
        .map(|p| {
            let device = crate::convert::os_obj(py, &p.device)?;
            let mountpoint = crate::convert::os_obj(py, p.mountpoint.as_os_str())?;
            Ok((device, mountpoint, p.fstype, p.opts))
        })
        .collect()
}

#[pyfunction]
fn disk_usage(py: Python<'_>, path: std::path::PathBuf) -> PyResult<(u64, u64, u64, f64)> {
    let u = psutil::disk::disk_usage(&path).py(py)?;
    Ok((u.total, u.used, u.free, u.percent))
}

/// Raw (wrapping) per-disk counters: `{name: 9-tuple}`.
#[pyfunction]
fn disk_io_counters(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::disk::disk_io_counters_perdisk(false).py(py)?;
    let d = PyDict::new(py);
    for (name, c) in m.iter() {
        d.set_item(
            name,
            (
                c.read_count,
                c.write_count,
                c.read_bytes,
                c.write_bytes,
                c.read_time,
                c.write_time,
                c.read_merged_count,
                c.write_merged_count,
                c.busy_time,
            ),
        )?;
    }
    Ok(d.into_any().unbind())
}

/// Raw (wrapping) per-NIC counters: `{name: 8-tuple}`.
#[pyfunction]
fn net_io_counters(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::net::net_io_counters_pernic(false).py(py)?;
    let d = PyDict::new(py);
    for (name, c) in m.iter() {
        d.set_item(
            name,
            (
                c.bytes_sent,
                c.bytes_recv,
                c.packets_sent,
                c.packets_recv,
                c.errin,
                c.errout,
                c.dropin,
                c.dropout,
            ),
        )?;
    }
    Ok(d.into_any().unbind())
}

/// `[(fd, family, type, laddr, raddr, status, pid)]`.
#[pyfunction]
#[pyo3(signature = (kind=None))]
fn net_connections(py: Python<'_>, kind: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PyObject>> {
    let kind = match kind {
        Some(k) => crate::convert::conn_kind(py, k)?,
        None => psutil::net::ConnectionKind::Inet,
    };
    let conns = psutil::net::net_connections(kind).py(py)?;
    conns
        .into_iter()
        .map(|c| {
            let pid = c.pid;
            let (fd, family, type_, laddr, raddr, status) = conn_fields(py, &c.into())?;
            (fd, family, type_, laddr, raddr, status, pid).into_py_any(py)
        })
        .collect()
}

/// `{nic: [(family, address, netmask, broadcast, ptp)]}`.
#[pyfunction]
fn net_if_addrs(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::net::net_if_addrs().py(py)?;
    let d = PyDict::new(py);
    for (name, addrs) in m.iter() {
        let list: Vec<_> = addrs
            .iter()
            .map(|a| {
                (
                    a.family.as_i32(),
                    a.address.to_string(),
                    a.netmask.as_ref().map(ToString::to_string),
                    a.broadcast.as_ref().map(ToString::to_string),
                    a.ptp.as_ref().map(ToString::to_string),
                )
            })
            .collect();
        d.set_item(name, list)?;
    }
    Ok(d.into_any().unbind())
}

/// `{nic: (isup, duplex, speed, mtu, flags)}`.
#[pyfunction]
fn net_if_stats(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::net::net_if_stats().py(py)?;
    let d = PyDict::new(py);
    for (name, s) in m.iter() {
        d.set_item(
            name,
            (s.isup, s.duplex.as_i32(), s.speed, s.mtu, s.flags.clone()),
        )?;
    }
    Ok(d.into_any().unbind())
}

fn name_map<V, T: for<'py> IntoPyObject<'py>>(
    py: Python<'_>,
    m: NameMap<Vec<V>>,
    f: impl Fn(&V) -> T,
) -> PyResult<PyObject> {
    let d = PyDict::new(py);
    for (name, vals) in m.iter() {
        let list: Vec<T> = vals.iter().map(&f).collect();
        d.set_item(name, list)?;
    }
    Ok(d.into_any().unbind())
}

/// `{chip: [(label, current, high, critical)]}`.
#[pyfunction]
#[pyo3(signature = (fahrenheit=false))]
fn sensors_temperatures(py: Python<'_>, fahrenheit: bool) -> PyResult<PyObject> {
    let m = psutil::sensors::sensors_temperatures(fahrenheit).py(py)?;
    name_map(py, m, |t| (t.label.clone(), t.current, t.high, t.critical))
}

/// `{chip: [(label, rpm)]}`.
#[pyfunction]
fn sensors_fans(py: Python<'_>) -> PyResult<PyObject> {
    let m = psutil::sensors::sensors_fans().py(py)?;
    name_map(py, m, |f| (f.label.clone(), f.current))
}

/// `(percent, secsleft, power_plugged)` or None.
#[pyfunction]
fn sensors_battery(py: Python<'_>) -> PyResult<Option<(f64, i64, Option<bool>)>> {
    Ok(psutil::sensors::sensors_battery()
        .py(py)?
        .map(|b| (b.percent, i64::from(b.secsleft), b.power_plugged)))
}

/// One `users()` entry: `(name, terminal, host, started, pid)`.
type UserRow = (String, Option<String>, Option<String>, f64, u32);

/// `[(name, terminal, host, started, pid)]`.
#[pyfunction]
fn users(py: Python<'_>) -> PyResult<Vec<UserRow>> {
    Ok(psutil::users::users()
        .py(py)?
        .into_iter()
        .map(|u| (u.name, u.terminal, u.host, u.started, u.pid))
        .collect())
}

/// glibc's `mallinfo2()`: `(heap_used, mmap_used)`.
#[pyfunction]
fn heap_info() -> (u64, u64) {
    // SAFETY: mallinfo2 only reads allocator statistics.
    let mi = unsafe { libc::mallinfo2() };
    (mi.uordblks as u64, mi.hblkhd as u64)
}

/// glibc's `malloc_trim(0)`.
#[pyfunction]
fn heap_trim() {
    // SAFETY: returning free heap memory to the OS has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[pyfunction]
fn getpagesize() -> i64 {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as i64 }
}

#[pyfunction]
fn clock_ticks() -> u64 {
    psutil::clock_ticks()
}

/// psutil's C-level `check_pid_range`: `OverflowError` beyond `pid_t`.
#[pyfunction]
fn check_pid_range(pid: i64) -> PyResult<()> {
    if pid < 0 {
        return Err(PyOverflowError::new_err(
            "signed integer is less than minimum",
        ));
    }
    pid_t_of(pid).map(drop)
}

/// Waits for any PID (GIL released): exit code / -signal for a child,
/// None otherwise. Raises psutil's `TimeoutExpired` after `timeout`.
#[pyfunction]
#[pyo3(signature = (pid, timeout=None, proc_name=None))]
fn wait_pid(
    py: Python<'_>,
    pid: i64,
    timeout: Option<f64>,
    proc_name: Option<String>,
) -> PyResult<Option<i32>> {
    let pid = pid_t_of(pid)?;
    if pid <= 0 {
        return Err(PyValueError::new_err("can't wait for PID 0"));
    }
    let t = crate::convert::duration(timeout)?;
    py.allow_threads(move || psutil::process::wait_pid(pid.unsigned_abs(), t))
        .map_err(|e| {
            let e = match e {
                psutil::Error::TimeoutExpired { seconds, pid, .. } => {
                    psutil::Error::TimeoutExpired {
                        seconds,
                        pid,
                        name: proc_name,
                    }
                }
                other => other,
            };
            to_pyerr(py, e)
        })
}

/// psutil's C-level `proc_ioprio_set(pid, ioclass, value)`: the raw
/// syscall, `OSError` on failure (kept for psutil's leak tests).
#[pyfunction]
fn proc_ioprio_set(pid: i32, ioclass: i32, value: i32) -> PyResult<()> {
    const IOPRIO_WHO_PROCESS: libc::c_long = 1;
    let prio = ((ioclass as libc::c_long) << 13) | value as libc::c_long;
    // SAFETY: ioprio_set takes plain integers.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_ioprio_set,
            IOPRIO_WHO_PROCESS,
            pid as libc::c_long,
            prio,
        )
    };
    if rc != 0 {
        return Err(crate::error::io_to_pyerr(
            std::io::Error::last_os_error(),
            None,
        ));
    }
    Ok(())
}

#[pyfunction]
fn getloadavg(py: Python<'_>) -> PyResult<(f64, f64, f64)> {
    psutil::cpu::getloadavg().py(py)
}

/// Sleeps without holding the GIL (for interval-based calls). Like
/// `time.sleep`, which psutil uses, `OverflowError` beyond what 64-bit
/// nanoseconds hold (and for infinity) instead of a panic.
#[pyfunction]
fn sleep(py: Python<'_>, secs: f64) -> PyResult<()> {
    if secs * 1e9 >= 9_223_372_036_854_775_807.0 {
        return Err(PyOverflowError::new_err(
            "timestamp too large to convert to C _PyTime_t",
        ));
    }
    if secs > 0.0 {
        py.allow_threads(|| std::thread::sleep(Duration::from_secs_f64(secs)));
    }
    Ok(())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(set_procfs_path, m)?)?;
    m.add_function(wrap_pyfunction!(procfs_path, m)?)?;
    m.add_function(wrap_pyfunction!(pids, m)?)?;
    m.add_function(wrap_pyfunction!(pid_exists, m)?)?;
    m.add_function(wrap_pyfunction!(boot_time, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_times, m)?)?;
    m.add_function(wrap_pyfunction!(per_cpu_times, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_count_logical, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_count_cores, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_stats, m)?)?;
    m.add_function(wrap_pyfunction!(cpu_freq, m)?)?;
    m.add_function(wrap_pyfunction!(virtual_memory, m)?)?;
    m.add_function(wrap_pyfunction!(swap_memory, m)?)?;
    m.add_function(wrap_pyfunction!(disk_partitions, m)?)?;
    m.add_function(wrap_pyfunction!(disk_usage, m)?)?;
    m.add_function(wrap_pyfunction!(disk_io_counters, m)?)?;
    m.add_function(wrap_pyfunction!(net_io_counters, m)?)?;
    m.add_function(wrap_pyfunction!(net_connections, m)?)?;
    m.add_function(wrap_pyfunction!(net_if_addrs, m)?)?;
    m.add_function(wrap_pyfunction!(net_if_stats, m)?)?;
    m.add_function(wrap_pyfunction!(sensors_temperatures, m)?)?;
    m.add_function(wrap_pyfunction!(sensors_fans, m)?)?;
    m.add_function(wrap_pyfunction!(sensors_battery, m)?)?;
    m.add_function(wrap_pyfunction!(users, m)?)?;
    m.add_function(wrap_pyfunction!(heap_info, m)?)?;
    m.add_function(wrap_pyfunction!(heap_trim, m)?)?;
    m.add_function(wrap_pyfunction!(getpagesize, m)?)?;
    m.add_function(wrap_pyfunction!(clock_ticks, m)?)?;
    m.add_function(wrap_pyfunction!(check_pid_range, m)?)?;
    m.add_function(wrap_pyfunction!(wait_pid, m)?)?;
    m.add_function(wrap_pyfunction!(getloadavg, m)?)?;
    m.add_function(wrap_pyfunction!(proc_ioprio_set, m)?)?;
    m.add_function(wrap_pyfunction!(sleep, m)?)?;
    Ok(())
}
