//! Crate values as Python objects (and Python arguments as crate values):
//! the fields of each process record in psutil's order (`Record`),
//! addresses, connection rows, timeouts, and `str`s decoded from raw
//! bytes the way Python decodes file names.

use std::collections::BTreeMap;
use std::time::Duration;

use psutil::process::{
    CpuTimes, Gids, IoCounters, IoNice, MemoryFullInfo, MemoryInfo, MemoryMap, MemoryMapGrouped,
    NumCtxSwitches, OpenFile, ThreadInfo, Uids,
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
    CpuTimes => pcputimes(
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
impl Record for IoNice {
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

/// `/proc/PID/maps`, where a map's path with invalid UTF-8 is found again.
pub(crate) fn maps_file(pid: u32) -> String {
    format!("{}/{}/maps", psutil::procfs_path(), pid)
}

/// psutil's `pmmap_grouped` fields of one `memory_maps(grouped=True)`
/// entry: `(path, rss, size, pss, shared_clean, ..., swap)`.
pub(crate) type MapGroupedFields = (PyObject, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64);

pub(crate) fn map_grouped_fields(
    py: Python<'_>,
    m: &MemoryMapGrouped,
    maps: &str,
) -> PyResult<MapGroupedFields> {
    let path = unlossy(py, &m.path, maps)?;
    let c = map_counts!(m);
    Ok((path, c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9))
}

/// One `memory_maps(grouped=False)` entry as `((addr, perms, path),
/// (rss, size, ..., swap))` (psutil's `pmmap_ext` fields once the Python
/// side joins the two; no tuple of 13 converts in one piece).
pub(crate) fn map_row(py: Python<'_>, m: &MemoryMap, maps: &str) -> PyResult<PyObject> {
    let head = (
        m.addr.as_str(),
        m.perms.as_str(),
        unlossy(py, &m.path, maps)?,
    );
    let rest = map_counts!(m);
    let t = PyTuple::new(py, [head.into_py_any(py)?, rest.into_py_any(py)?])?;
    t.into_py_any(py)
}

/// psutil's `popenfile` fields of one `open_files()` entry:
/// `(path, fd, position, mode, flags)`.
pub(crate) type OpenFileFields = (PyObject, i32, u64, String, i32);

/// `pid`'s `/proc/PID/fd/N` link gives back a path with invalid UTF-8.
pub(crate) fn open_file_fields(py: Python<'_>, pid: u32, f: &OpenFile) -> PyResult<OpenFileFields> {
    let link = format!("fd/{}", f.fd);
    let path = link_unlossy(py, pid, f.path.clone(), &link)?;
    Ok((path, f.fd, f.position, f.mode.clone(), f.flags))
}

/// `environ()` as a dict.
pub(crate) fn environ_dict(py: Python<'_>, env: &BTreeMap<String, String>) -> PyResult<PyObject> {
    let d = PyDict::new(py);
    for (k, v) in env {
        d.set_item(k, v)?;
    }
    Ok(d.into_any().unbind())
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
