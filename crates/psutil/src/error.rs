//! psutil's exception hierarchy as one error enum.
//!
//! psutil raises `NoSuchProcess`, `ZombieProcess` (a kind of `NoSuchProcess`),
//! `AccessDenied` and `TimeoutExpired`, plus `ValueError`/`OSError` for bad
//! arguments and system trouble. The variants below carry the same fields, and
//! [`std::fmt::Display`] renders psutil's `str(exc)` format:
//! `msg (pid=1, ppid=2, name='x')`.

use std::fmt;
use std::io;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every way a psutil call can fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// psutil's `NoSuchProcess`: the process is gone, or its PID now belongs
    /// to another process.
    NoSuchProcess {
        pid: u32,
        name: Option<String>,
        msg: String,
    },
    /// psutil's `ZombieProcess`: the process exited but was not reaped yet.
    /// A zombie is also a `NoSuchProcess` (see [`Error::is_no_such_process`]).
    ZombieProcess {
        pid: u32,
        name: Option<String>,
        ppid: Option<u32>,
        msg: String,
    },
    /// psutil's `AccessDenied`: the kernel refused (EPERM/EACCES).
    AccessDenied {
        pid: Option<u32>,
        name: Option<String>,
        msg: String,
    },
    /// psutil's `TimeoutExpired`, from `wait(timeout)`.
    TimeoutExpired {
        seconds: f64,
        pid: Option<u32>,
        name: Option<String>,
    },
    /// A bad argument: psutil raises `ValueError` for these.
    InvalidArgument(String),
    /// Any other operating-system error (psutil lets `OSError` through).
    Io {
        path: Option<String>,
        source: io::Error,
    },
}

impl Error {
    pub(crate) fn no_such_process(pid: u32, name: Option<String>) -> Self {
        Error::NoSuchProcess {
            pid,
            name,
            msg: "process no longer exists".into(),
        }
    }

    pub(crate) fn zombie(pid: u32, name: Option<String>, ppid: Option<u32>) -> Self {
        Error::ZombieProcess {
            pid,
            name,
            ppid,
            msg: "PID still exists but it's a zombie".into(),
        }
    }

    pub(crate) fn access_denied(pid: u32, name: Option<String>) -> Self {
        Error::AccessDenied {
            pid: Some(pid),
            name,
            msg: String::new(),
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }

    pub(crate) fn io(path: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }

    /// True for `NoSuchProcess` and for its subclass `ZombieProcess`.
    pub fn is_no_such_process(&self) -> bool {
        matches!(
            self,
            Error::NoSuchProcess { .. } | Error::ZombieProcess { .. }
        )
    }

    /// True for `ZombieProcess`.
    pub fn is_zombie(&self) -> bool {
        matches!(self, Error::ZombieProcess { .. })
    }

    /// True for `AccessDenied`.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, Error::AccessDenied { .. })
    }

    /// psutil's class name for this error (`"NoSuchProcess"`, ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::NoSuchProcess { .. } => "NoSuchProcess",
            Error::ZombieProcess { .. } => "ZombieProcess",
            Error::AccessDenied { .. } => "AccessDenied",
            Error::TimeoutExpired { .. } => "TimeoutExpired",
            Error::InvalidArgument(_) => "ValueError",
            Error::Io { .. } => "OSError",
        }
    }

    /// Attaches a process name to an error that lacks one.
    pub(crate) fn with_name(mut self, new_name: Option<&str>) -> Self {
        let slot = match &mut self {
            Error::NoSuchProcess { name, .. }
            | Error::ZombieProcess { name, .. }
            | Error::AccessDenied { name, .. }
            | Error::TimeoutExpired { name, .. } => name,
            _ => return self,
        };
        if slot.is_none() {
            *slot = new_name.map(str::to_owned);
        }
        self
    }
}

fn write_details(
    f: &mut fmt::Formatter<'_>,
    msg: &str,
    pid: Option<u32>,
    ppid: Option<u32>,
    name: Option<&str>,
) -> fmt::Result {
    let mut parts: Vec<String> = Vec::new();
    if let Some(pid) = pid {
        parts.push(format!("pid={pid}"));
    }
    if let Some(ppid) = ppid.filter(|p| *p != 0) {
        parts.push(format!("ppid={ppid}"));
    }
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        parts.push(format!("name={name:?}").replace('"', "'"));
    }
    match (msg.is_empty(), parts.is_empty()) {
        (_, true) => f.write_str(msg),
        (true, false) => write!(f, "({})", parts.join(", ")),
        (false, false) => write!(f, "{msg} ({})", parts.join(", ")),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoSuchProcess { pid, name, msg } => {
                write_details(f, msg, Some(*pid), None, name.as_deref())
            }
            Error::ZombieProcess {
                pid,
                name,
                ppid,
                msg,
            } => write_details(f, msg, Some(*pid), *ppid, name.as_deref()),
            Error::AccessDenied { pid, name, msg } => {
                write_details(f, msg, *pid, None, name.as_deref())
            }
            Error::TimeoutExpired { seconds, pid, name } => write_details(
                f,
                &format!("timeout after {seconds} seconds"),
                *pid,
                None,
                name.as_deref(),
            ),
            Error::InvalidArgument(msg) => f.write_str(msg),
            Error::Io {
                path: Some(p),
                source,
            } => write!(f, "{source}: {p:?}"),
            Error::Io { path: None, source } => write!(f, "{source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_psutil() {
        let e = Error::no_such_process(1, Some("foo".into()));
        assert_eq!(
            e.to_string(),
            "process no longer exists (pid=1, name='foo')"
        );
        let e = Error::zombie(5, Some("z".into()), Some(1));
        assert_eq!(
            e.to_string(),
            "PID still exists but it's a zombie (pid=5, ppid=1, name='z')"
        );
        let e = Error::access_denied(3, Some("n".into()));
        assert_eq!(e.to_string(), "(pid=3, name='n')");
        let e = Error::TimeoutExpired {
            seconds: 3.0,
            pid: Some(4),
            name: Some("x".into()),
        };
        assert_eq!(e.to_string(), "timeout after 3 seconds (pid=4, name='x')");
        assert!(Error::zombie(1, None, None).is_no_such_process());
    }
}
