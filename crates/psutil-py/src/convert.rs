//! Crate values as Python objects (and Python arguments as crate values):
//! the fields of each process record in psutil's order (`Record`),
//! addresses, connection rows, timeouts, and `str`s decoded from the
//! crate's exact bytes (`OsString`, `PathBuf`) the way Python decodes file
//! names, as psutil's `os.fsdecode` does.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::time::Duration;

use psutil::process::{
    Gids, IoCounters, Ionice, MemoryFullInfo, MemoryInfo, MemoryMap, MemoryMapGrouped,
    NumCtxSwitches, OpenFile, ProcessCpuTimes, ThreadInfo, Uids,
};
use psutil::Error;
use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::error::IntoPy;

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

fn addr_obj(py: Python<'_>, a: &psutil::net::Addr) -> PyResult<PyObject> {
    use psutil::net::Addr;
    match a {
        Addr::Inet { ip, port } => (psutil::net::format_ip(*ip), *port).into_py_any(py),
        Addr::Empty => PyTuple::empty(py).into_py_any(py),
        // The kernel's bytes, decoded as Python decodes file names (what
        // psutil's read of /proc/net/unix gives).
        Addr::Path(p) => p.as_os_str().into_py_any(py),
    }
}

/// A process record as the fields of psutil's namedtuple for it, in
/// psutil's order: the one place each record's field order is written.
/// `Proc`'s methods return the tuple (the Python layer wraps it in the
/// namedtuple); `process_iter(attrs)` and `as_dict()` build the namedtuple
/// from it (`values.rs`).
pub(crate) trait Record {
    /// The namedtuple's name in `psutil._ntuples`.
    const NTUPLE: &'static str;
    /// The tuple of the namedtuple's fields.
    type Fields;
    fn fields(&self) -> Self::Fields;
}

/// `Record` impls, written like psutil's namedtuples: the crate's
/// record type, then the namedtuple with its fields (the crate's field
/// names) in psutil's order.
macro_rules! records {
    ($($t:ty => $ntuple:ident($($f:ident: $ft:ty),* $(,)?);)*) => {$(
        impl Record for $t {
            const NTUPLE: &'static str = stringify!($ntuple);
            type Fields = ($($ft,)*);
            fn fields(&self) -> Self::Fields {
                ($(self.$f,)*)
            }
        }
    )*};
}

records! {
    Uids => puids(real: u32, effective: u32, saved: u32);
    Gids => pgids(real: u32, effective: u32, saved: u32);
    NumCtxSwitches => pctxsw(voluntary: u64, involuntary: u64);
    ThreadInfo => pthread(id: u32, user_time: f64, system_time: f64);
    IoCounters => pio(
        read_count: u64,
        write_count: u64,
        read_bytes: u64,
        write_bytes: u64,
        read_chars: u64,
        write_chars: u64,
    );
    ProcessCpuTimes => pcputimes(
        user: f64,
        system: f64,
        children_user: f64,
        children_system: f64,
        iowait: f64,
    );
    MemoryInfo => pmem(
        rss: u64,
        vms: u64,
        shared: u64,
        text: u64,
        lib: u64,
        data: u64,
        dirty: u64,
    );
    MemoryFullInfo => pfullmem(
        rss: u64,
        vms: u64,
        shared: u64,
        text: u64,
        lib: u64,
        data: u64,
        dirty: u64,
        uss: u64,
        pss: u64,
        swap: u64,
    );
}

/// The class as its number: the Python side makes the `IOPriority` enum.
impl Record for Ionice {
    const NTUPLE: &'static str = "pionice";
    type Fields = (i32, i32);
    fn fields(&self) -> (i32, i32) {
        (self.ioclass.as_i32(), self.value)
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

/// psutil's `pmmap_grouped` fields of one `memory_maps(grouped=True)`
/// entry: `(path, rss, size, pss, shared_clean, ..., swap)`.
pub(crate) type MapGroupedFields = (PyObject, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64);

pub(crate) fn map_grouped_fields(
    py: Python<'_>,
    m: &MemoryMapGrouped,
) -> PyResult<MapGroupedFields> {
    let path = os_obj(py, m.path.as_os_str())?;
    let c = map_counts!(m);
    Ok((path, c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9))
}

/// One `memory_maps(grouped=False)` entry as `((addr, perms, path),
/// (rss, size, ..., swap))` (psutil's `pmmap_ext` fields once the Python
/// side joins the two; no tuple of 13 converts in one piece).
pub(crate) fn map_row(py: Python<'_>, m: &MemoryMap) -> PyResult<PyObject> {
    let head = (
        m.addr.as_str(),
        m.perms.as_str(),
        os_obj(py, m.path.as_os_str())?,
    );
    let rest = map_counts!(m);
    let t = PyTuple::new(py, [head.into_py_any(py)?, rest.into_py_any(py)?])?;
    t.into_py_any(py)
}

/// psutil's `popenfile` fields of one `open_files()` entry:
/// `(path, fd, position, mode, flags)`.
pub(crate) type OpenFileFields = (PyObject, i32, u64, String, i32);

pub(crate) fn open_file_fields(py: Python<'_>, f: &OpenFile) -> PyResult<OpenFileFields> {
    let path = os_obj(py, f.path.as_os_str())?;
    Ok((path, f.fd, f.position, f.mode.clone(), f.flags))
}

/// `environ()` as a dict of `str`s.
pub(crate) fn environ_dict(
    py: Python<'_>,
    env: &BTreeMap<OsString, OsString>,
) -> PyResult<PyObject> {
    let d = PyDict::new(py);
    for (k, v) in env {
        d.set_item(os_obj(py, k)?, os_obj(py, v)?)?;
    }
    Ok(d.into_any().unbind())
}

/// `cmdline()` as a list of `str`s.
pub(crate) fn args_list(py: Python<'_>, args: &[OsString]) -> PyResult<PyObject> {
    let items = args
        .iter()
        .map(|a| os_obj(py, a))
        .collect::<PyResult<Vec<_>>>()?;
    items.into_py_any(py)
}

/// `exe()` or `cwd()`: psutil's `""` where the kernel hides the path.
pub(crate) fn path_obj(py: Python<'_>, p: Option<&Path>) -> PyResult<PyObject> {
    os_obj(py, p.map_or(OsStr::new(""), Path::as_os_str))
}

/// A `str` from the crate's exact bytes, decoded with the file-system
/// encoding and its error handler (`os.fsdecode`), as psutil decodes them.
pub(crate) fn os_obj(py: Python<'_>, s: &OsStr) -> PyResult<PyObject> {
    s.into_py_any(py)
}

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
