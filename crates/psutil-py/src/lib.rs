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

use std::sync::Arc;
use std::time::{Duration, Instant};

use psutil::process::{IoPriorityClass, Resource, Status};
use psutil::Error;
use pyo3::exceptions::{PyOSError, PyOverflowError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyModule, PyTuple};
use pyo3::IntoPyObjectExt;

mod asdict;
mod cgroups;
mod listing;
mod system;
mod values;

// ---------------------------------------------------------------------------
// Errors

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

/// An `OSError` subclass chosen by errno, like Python's own.
pub(crate) fn io_to_pyerr(source: std::io::Error, path: Option<String>) -> PyErr {
    match (source.raw_os_error(), path) {
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

// ---------------------------------------------------------------------------
// Process handle

/// One `open_files()` entry: `(path, fd, position, mode, flags)`.
type OpenFileRow = (PyObject, i32, u64, String, i32);

/// A handle on one process: psutil's platform-level `Process`.
#[pyclass(module = "psutil._psutil_rs", name = "Proc", frozen)]
pub struct Proc {
    inner: Arc<psutil::Process>,
}

fn wrap(p: psutil::Process) -> Proc {
    Proc { inner: Arc::new(p) }
}

fn status_str(s: Status) -> &'static str {
    s.as_str()
}

/// A `wait()` timeout. psutil hands it to `poll()` in milliseconds, a C
/// int: beyond that (about 24.8 days) and for infinity it raises
/// `OverflowError`, and so do we (`Duration::from_secs_f64` would panic
/// on the larger ones). NaN and negative values are `ValueError`s.
pub(crate) fn duration(secs: Option<f64>) -> PyResult<Option<Duration>> {
    let Some(s) = secs else { return Ok(None) };
    if s.is_nan() || s < 0.0 {
        return Err(PyValueError::new_err(format!(
            "timeout must be a positive integer or float (got {s})"
        )));
    }
    if (s * 1000.0).floor() > f64::from(i32::MAX) {
        return Err(PyOverflowError::new_err("timeout is too large"));
    }
    Ok(Some(Duration::from_secs_f64(s)))
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

fn addr_obj(py: Python<'_>, a: &psutil::net::Addr) -> PyResult<PyObject> {
    use psutil::net::Addr;
    match a {
        Addr::Inet { ip, port } => (ip.as_str(), *port).into_py_any(py),
        Addr::Empty => PyTuple::empty(py).into_py_any(py),
        Addr::Path(p) => {
            let unix = format!("{}/net/unix", psutil::procfs_path());
            unlossy(py, p, &unix)
        }
    }
}

/// The ten counters of a memory map, grouped or not, in psutil's order.
macro_rules! map_counts {
    ($m:expr) => {
        (
            $m.rss,
            $m.size,
            $m.pss,
            $m.shared_clean,
            $m.shared_dirty,
            $m.private_clean,
            $m.private_dirty,
            $m.referenced,
            $m.anonymous,
            $m.swap,
        )
    };
}
pub(crate) use map_counts;

/// psutil's `kind` argument. psutil looks it up among its names, so any
/// other type is one more unknown kind: `ValueError`, not `TypeError`.
pub(crate) fn conn_kind(
    py: Python<'_>,
    kind: &Bound<'_, PyAny>,
) -> PyResult<psutil::net::ConnectionKind> {
    if let Ok(s) = kind.downcast::<pyo3::types::PyString>() {
        return s.to_cow()?.parse().py(py);
    }
    // The crate's message for "" names the valid kinds; put repr(kind)
    // where it quotes the empty string.
    match "".parse::<psutil::net::ConnectionKind>() {
        Err(Error::InvalidArgument(msg)) => {
            let repr = kind.repr()?.to_string();
            Err(PyValueError::new_err(msg.replacen("''", &repr, 1)))
        }
        other => other.py(py),
    }
}

/// A connection as `(fd, family, type, laddr, raddr, status)`, the fields
/// psutil's `pconn` and `sconn` (which adds the pid) share.
pub(crate) type ConnFields = (i32, i32, i32, PyObject, PyObject, &'static str);

pub(crate) fn conn_fields(
    py: Python<'_>,
    c: &psutil::net::ProcessConnection,
) -> PyResult<ConnFields> {
    Ok((
        c.fd,
        c.family.as_i32(),
        c.type_.as_i32(),
        addr_obj(py, &c.laddr)?,
        addr_obj(py, &c.raddr)?,
        c.status.as_str(),
    ))
}

/// `value` as a Python `str`; if it had invalid UTF-8 (shown as U+FFFD),
/// the raw path is looked up in `file` (a /proc table whose lines end
/// with a path) and decoded the way Python decodes file names.
pub(crate) fn unlossy(py: Python<'_>, value: &str, file: &str) -> PyResult<PyObject> {
    if value.contains(LOSSY) {
        if let Ok(data) = std::fs::read(file) {
            for line in data.split(|b| *b == b'\n') {
                let Some(start) = line.iter().position(|b| *b == b'/' || *b == b'@') else {
                    continue;
                };
                let mut raw = &line[start..];
                if let Some(cut) = raw.strip_suffix(b" (deleted)") {
                    raw = cut;
                }
                if String::from_utf8_lossy(raw) == value {
                    return os_str(py, raw);
                }
            }
        }
    }
    value.into_py_any(py)
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
        let name = self.inner.name().py(py)?;
        name_unlossy(py, &self.inner, name)
    }

    fn exe(&self, py: Python<'_>) -> PyResult<PyObject> {
        let exe = self.inner.exe().py(py)?;
        self.raw_link_if_lossy(py, exe, "exe")
    }

    fn cmdline(&self, py: Python<'_>) -> PyResult<Vec<PyObject>> {
        let args = self.inner.cmdline_bytes().py(py)?;
        args.iter().map(|a| os_str(py, a)).collect()
    }

    fn environ(&self, py: Python<'_>) -> PyResult<PyObject> {
        let env = self.inner.environ().py(py)?;
        let d = PyDict::new(py);
        for (k, v) in env {
            d.set_item(k, v)?;
        }
        Ok(d.into_any().unbind())
    }

    fn status(&self, py: Python<'_>) -> PyResult<&'static str> {
        self.inner.status().py(py).map(status_str)
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
        let u = self.inner.uids().py(py)?;
        Ok((u.real, u.effective, u.saved))
    }

    fn gids(&self, py: Python<'_>) -> PyResult<(u32, u32, u32)> {
        let g = self.inner.gids().py(py)?;
        Ok((g.real, g.effective, g.saved))
    }

    fn username(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.username().py(py)
    }

    fn terminal(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.inner.terminal().py(py)
    }

    fn cwd(&self, py: Python<'_>) -> PyResult<PyObject> {
        let cwd = self.inner.cwd().py(py)?;
        self.raw_link_if_lossy(py, cwd, "cwd")
    }

    fn nice(&self, py: Python<'_>) -> PyResult<i32> {
        self.inner.nice().py(py)
    }

    fn set_nice(&self, py: Python<'_>, value: i32) -> PyResult<()> {
        self.inner.set_nice(value).py(py)
    }

    fn ionice(&self, py: Python<'_>) -> PyResult<(i32, i32)> {
        let n = self.inner.ionice().py(py)?;
        Ok((n.ioclass.as_i32(), n.value))
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
        let c = self.inner.io_counters().py(py)?;
        Ok((
            c.read_count,
            c.write_count,
            c.read_bytes,
            c.write_bytes,
            c.read_chars,
            c.write_chars,
        ))
    }

    fn num_ctx_switches(&self, py: Python<'_>) -> PyResult<(u64, u64)> {
        let c = self.inner.num_ctx_switches().py(py)?;
        Ok((c.voluntary, c.involuntary))
    }

    fn num_fds(&self, py: Python<'_>) -> PyResult<usize> {
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
            .map(|t| (t.id, t.user_time, t.system_time))
            .collect())
    }

    fn cpu_times(&self, py: Python<'_>) -> PyResult<(f64, f64, f64, f64, f64)> {
        let t = self.inner.cpu_times().py(py)?;
        Ok((
            t.user,
            t.system,
            t.children_user,
            t.children_system,
            t.iowait,
        ))
    }

    fn memory_info(&self, py: Python<'_>) -> PyResult<(u64, u64, u64, u64, u64, u64, u64)> {
        let m = self.inner.memory_info().py(py)?;
        Ok((m.rss, m.vms, m.shared, m.text, m.lib, m.data, m.dirty))
    }

    fn memory_full_info(&self, py: Python<'_>) -> PyResult<PyObject> {
        let m = self.inner.memory_full_info().py(py)?;
        (
            m.rss, m.vms, m.shared, m.text, m.lib, m.data, m.dirty, m.uss, m.pss, m.swap,
        )
            .into_py_any(py)
    }

    fn memory_maps(&self, py: Python<'_>, grouped: bool) -> PyResult<Vec<PyObject>> {
        let maps = format!("{}/{}/maps", psutil::procfs_path(), self.inner.pid());
        if grouped {
            self.inner
                .memory_maps()
                .py(py)?
                .into_iter()
                .map(|m| {
                    let path = unlossy(py, &m.path, &maps)?;
                    let c = map_counts!(m);
                    (path, c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9).into_py_any(py)
                })
                .collect()
        } else {
            self.inner
                .memory_maps_ungrouped()
                .py(py)?
                .into_iter()
                .map(|m| {
                    let head = (m.addr, m.perms, unlossy(py, &m.path, &maps)?);
                    let rest = map_counts!(m);
                    let t = PyTuple::new(py, [head.into_py_any(py)?, rest.into_py_any(py)?])?;
                    t.into_py_any(py)
                })
                .collect()
        }
    }

    fn open_files(&self, py: Python<'_>) -> PyResult<Vec<OpenFileRow>> {
        self.inner
            .open_files()
            .py(py)?
            .into_iter()
            .map(|f| {
                let link = format!("fd/{}", f.fd);
                let path = self.raw_link_if_lossy(py, f.path, &link)?;
                Ok((path, f.fd, f.position, f.mode, f.flags))
            })
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
        let Ok(sig) = i32::try_from(sig) else {
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
        py.allow_threads(move || wait_until_gone(&p, t)).py(py)
    }

    /// Like `wait` but through a fresh handle, so no exit status cached
    /// by an earlier `wait` is returned (psutil's platform-level wait).
    #[pyo3(signature = (timeout=None))]
    fn wait_fresh(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<i32>> {
        let t = duration(timeout)?;
        let p = (*self.inner).clone();
        py.allow_threads(move || wait_until_gone(&p, t)).py(py)
    }

    fn raw_file(&self, name: &str) -> Option<Vec<u8>> {
        let path = format!("{}/{}/{}", psutil::procfs_path(), self.inner.pid(), name);
        std::fs::read(path).ok()
    }

    fn raw_link_if_lossy(&self, py: Python<'_>, value: String, link: &str) -> PyResult<PyObject> {
        link_unlossy(py, self.inner.pid(), value, link)
    }

    fn __repr__(&self) -> String {
        format!(
            "<_psutil_rs.Proc pid={} start_ticks={}>",
            self.inner.pid(),
            self.inner.start_ticks()
        )
    }
}

/// What the crate puts where bytes were not valid UTF-8.
pub(crate) const LOSSY: char = '\u{FFFD}';

/// `name` (the crate's, possibly with U+FFFD for invalid UTF-8) as a
/// Python `str`; when lossy, the raw bytes are found again (basename of
/// argv[0], else comm) and decoded the way Python decodes file names.
pub(crate) fn name_unlossy(
    py: Python<'_>,
    p: &psutil::Process,
    name: String,
) -> PyResult<PyObject> {
    if !name.contains(LOSSY) {
        return name.into_py_any(py);
    }
    if let Ok(args) = p.cmdline_bytes() {
        if let Some(arg0) = args.first() {
            let base = arg0.rsplit(|b| *b == b'/').next().unwrap_or(arg0);
            if String::from_utf8_lossy(base) == name {
                return os_str(py, base);
            }
        }
    }
    let path = format!("{}/{}/comm", psutil::procfs_path(), p.pid());
    match std::fs::read(path) {
        Ok(mut comm) => {
            while comm.last() == Some(&b'\n') {
                comm.pop();
            }
            os_str(py, &comm)
        }
        Err(_) => name.into_py_any(py),
    }
}

/// `value` as is, unless it had invalid UTF-8 (replaced by U+FFFD): then
/// the raw bytes of the `/proc/PID/<link>` symlink, decoded the way
/// Python decodes file names.
pub(crate) fn link_unlossy(
    py: Python<'_>,
    pid: u32,
    value: String,
    link: &str,
) -> PyResult<PyObject> {
    use std::os::unix::ffi::OsStrExt;
    if value.contains(LOSSY) {
        let path = format!("{}/{}/{}", psutil::procfs_path(), pid, link);
        if let Ok(target) = std::fs::read_link(path) {
            let mut raw = target.as_os_str().as_bytes().to_vec();
            if let Some(nul) = raw.iter().position(|b| *b == 0) {
                raw.truncate(nul);
            }
            let suffix = b" (deleted)";
            if raw.ends_with(suffix) {
                let cut = raw[..raw.len() - suffix.len()].to_vec();
                if !std::path::Path::new(std::ffi::OsStr::from_bytes(&raw)).exists() {
                    raw = cut;
                }
            }
            if String::from_utf8_lossy(&raw) == value {
                return os_str(py, &raw);
            }
        }
    }
    value.into_py_any(py)
}

/// The crate's `wait`, plus psutil's rule for processes that are not our
/// children: they count as ended only once they are gone from `/proc`
/// (a zombie waits for its parent to reap it).
fn wait_until_gone(p: &psutil::Process, timeout: Option<Duration>) -> psutil::Result<Option<i32>> {
    let start = Instant::now();
    let code = p.wait(timeout)?;
    if code.is_some() {
        return Ok(code);
    }
    let deadline = timeout.and_then(|t| start.checked_add(t));
    let mut delay = Duration::from_micros(100);
    loop {
        let same = matches!(
            psutil::Process::new(p.pid()),
            Ok(q) if q.start_ticks() == p.start_ticks()
        );
        if !same {
            return Ok(None);
        }
        let mut nap = delay;
        if let Some(d) = deadline {
            let now = Instant::now();
            if now >= d {
                return Err(Error::TimeoutExpired {
                    seconds: timeout.unwrap_or_default().as_secs_f64(),
                    pid: Some(p.pid()),
                    name: p.cached_name(),
                });
            }
            nap = nap.min(d - now);
        }
        std::thread::sleep(nap);
        delay = (delay * 2).min(Duration::from_millis(40));
    }
}

/// A `str` from bytes the way Python decodes file-system data
/// (UTF-8 with surrogateescape).
pub(crate) fn os_str(py: Python<'_>, b: &[u8]) -> PyResult<PyObject> {
    match std::str::from_utf8(b) {
        Ok(s) => s.into_py_any(py),
        Err(_) => {
            let bytes = pyo3::types::PyBytes::new(py, b);
            let s = bytes.call_method1("decode", ("utf-8", "surrogateescape"))?;
            Ok(s.unbind())
        }
    }
}

// ---------------------------------------------------------------------------
// Module

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
