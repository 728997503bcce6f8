//! psutil's exception hierarchy as one error enum.
//!
//! psutil raises `NoSuchProcess`, `ZombieProcess` (a kind of `NoSuchProcess`),
//! `AccessDenied` and `TimeoutExpired`, plus `ValueError`/`OSError` for bad
//! arguments and system trouble. The variants below carry the same fields.
//!
//! [`std::fmt::Display`] reads the way Rust errors do (lowercase, no
//! trailing period): `access denied (pid=1, name='systemd')`. psutil's own
//! `str(exc)` format, `msg (pid=1, ppid=2, name='x')`, is
//! [`Error::psutil_message`].

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a process is reported gone ([`Error::NoSuchProcess`]).
///
/// psutil tells these apart only by the exception's message; each variant
/// names the message psutil uses ([`GoneReason::psutil_message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GoneReason {
    /// No process had this PID when it was looked up, e.g. by
    /// [`Process::new`](crate::Process::new) (psutil's "process PID not
    /// found").
    NotFound,
    /// The process existed and has since exited (psutil's "process no
    /// longer exists").
    Exited,
    /// The process exited and its PID now belongs to another process
    /// (psutil's "process no longer exists and its PID has been reused").
    PidReused,
}

impl GoneReason {
    /// psutil's `NoSuchProcess.msg` for this reason.
    pub fn psutil_message(self) -> &'static str {
        match self {
            GoneReason::NotFound => "process PID not found",
            GoneReason::Exited => "process no longer exists",
            GoneReason::PidReused => "process no longer exists and its PID has been reused",
        }
    }
}

impl fmt::Display for GoneReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GoneReason::NotFound => "no process has this PID",
            GoneReason::Exited => "process no longer exists",
            GoneReason::PidReused => "process no longer exists and its PID was reused",
        })
    }
}

/// Every way a psutil call can fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// psutil's `NoSuchProcess`: there is no such process, it is gone, or
    /// its PID now belongs to another process (see `reason`).
    NoSuchProcess {
        /// The PID asked about.
        pid: u32,
        /// The process name, when it was known before it went away.
        name: Option<String>,
        /// Why the process counts as gone.
        reason: GoneReason,
    },
    /// psutil's `ZombieProcess`: the process exited but was not reaped yet.
    /// A zombie is also a `NoSuchProcess` (see [`Error::is_no_such_process`]).
    ZombieProcess {
        /// The zombie's PID.
        pid: u32,
        /// The process name, when known.
        name: Option<String>,
        /// The parent PID (who should reap it), when known.
        ppid: Option<u32>,
    },
    /// psutil's `AccessDenied`: the kernel refused (EPERM/EACCES).
    AccessDenied {
        /// The process asked about, if the call was about one.
        pid: Option<u32>,
        /// The process name, when known.
        name: Option<String>,
    },
    /// psutil's `TimeoutExpired`, from `wait(timeout)`.
    TimeoutExpired {
        /// The timeout that ran out, in seconds.
        seconds: f64,
        /// The process waited for.
        pid: Option<u32>,
        /// Its name, when known.
        name: Option<String>,
    },
    /// A bad argument: psutil raises `ValueError` for these. The message is
    /// psutil's.
    InvalidArgument(String),
    /// Any other operating-system error (psutil lets `OSError` through).
    /// `Display` says what failed and where; the OS message is the
    /// [`source`](std::error::Error::source), so print the chain (as
    /// anyhow's `{:#}` does) to see it.
    Io {
        /// The file being read or written, exact bytes, if any.
        path: Option<PathBuf>,
        /// The OS error itself.
        source: io::Error,
    },
}

/// psutil's message for a zombie (`ZombieProcess.msg`).
const ZOMBIE_MESSAGE: &str = "PID still exists but it's a zombie";

impl Error {
    pub(crate) fn no_such_process(pid: u32, name: Option<String>, reason: GoneReason) -> Self {
        Error::NoSuchProcess { pid, name, reason }
    }

    pub(crate) fn zombie(pid: u32, name: Option<String>, ppid: Option<u32>) -> Self {
        Error::ZombieProcess { pid, name, ppid }
    }

    pub(crate) fn access_denied(pid: u32, name: Option<String>) -> Self {
        Error::AccessDenied {
            pid: Some(pid),
            name,
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }

    /// An operating-system error with no file involved (a syscall, an
    /// ioctl): `Error::Io` without a path, psutil's bare `OSError`.
    pub(crate) fn os(source: io::Error) -> Self {
        Error::Io { path: None, source }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
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

    /// Why the process is gone, for `NoSuchProcess` (None for every other
    /// error, zombies included).
    pub fn gone_reason(&self) -> Option<GoneReason> {
        match self {
            Error::NoSuchProcess { reason, .. } => Some(*reason),
            _ => None,
        }
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

    /// psutil's `exc.msg`: the message part of `str(exc)` (empty for
    /// `AccessDenied`, which psutil raises without one).
    pub fn psutil_msg(&self) -> Cow<'_, str> {
        match self {
            Error::NoSuchProcess { reason, .. } => reason.psutil_message().into(),
            Error::ZombieProcess { .. } => ZOMBIE_MESSAGE.into(),
            Error::AccessDenied { .. } => "".into(),
            Error::TimeoutExpired { seconds, .. } => {
                format!("timeout after {seconds} seconds").into()
            }
            Error::InvalidArgument(msg) => msg.as_str().into(),
            Error::Io {
                path: Some(p),
                source,
            } => format!("{source}: {p:?}").into(),
            Error::Io { path: None, source } => source.to_string().into(),
        }
    }

    /// psutil's exact `str(exc)`: `msg (pid=1, ppid=2, name='x')`, e.g.
    /// `process no longer exists (pid=42, name='x')`, or `(pid=1)` for an
    /// `AccessDenied`. The [`Display`](fmt::Display) impl reads the Rust
    /// way instead.
    pub fn psutil_message(&self) -> PsutilMessage<'_> {
        PsutilMessage(self)
    }

    /// The `(pid, ppid, name)` details that follow the message.
    fn details(&self) -> Details<'_> {
        let (pid, ppid, name) = match self {
            Error::NoSuchProcess { pid, name, .. } => (Some(*pid), None, name),
            Error::ZombieProcess { pid, name, ppid } => (Some(*pid), *ppid, name),
            Error::AccessDenied { pid, name } | Error::TimeoutExpired { pid, name, .. } => {
                (*pid, None, name)
            }
            Error::InvalidArgument(_) | Error::Io { .. } => (None, None, &None),
        };
        Details {
            pid,
            ppid: ppid.filter(|p| *p != 0),
            name: name.as_deref().filter(|n| !n.is_empty()),
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

/// psutil's `(pid=1, ppid=2, name='x')`: the fields that are set, in that
/// order (a ppid of 0 and an empty name count as unset, as in psutil).
struct Details<'a> {
    pid: Option<u32>,
    ppid: Option<u32>,
    name: Option<&'a str>,
}

impl Details<'_> {
    fn is_empty(&self) -> bool {
        self.pid.is_none() && self.ppid.is_none() && self.name.is_none()
    }
}

impl fmt::Display for Details<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "(";
        if let Some(pid) = self.pid {
            write!(f, "{sep}pid={pid}")?;
            sep = ", ";
        }
        if let Some(ppid) = self.ppid {
            write!(f, "{sep}ppid={ppid}")?;
            sep = ", ";
        }
        if let Some(name) = self.name {
            // Python's repr of a str, close enough: single quotes.
            let quoted = format!("{name:?}").replace('"', "'");
            write!(f, "{sep}name={quoted}")?;
        }
        f.write_str(")")
    }
}

/// psutil's `str(exc)` for an [`Error`]; see [`Error::psutil_message`].
pub struct PsutilMessage<'a>(&'a Error);

impl fmt::Display for PsutilMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = self.0.psutil_msg();
        let details = self.0.details();
        match (msg.is_empty(), details.is_empty()) {
            (_, true) => f.write_str(&msg),
            (true, false) => write!(f, "{details}"),
            (false, false) => write!(f, "{msg} {details}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what: Cow<'_, str> = match self {
            Error::NoSuchProcess { .. } => "no such process".into(),
            Error::ZombieProcess { .. } => "zombie process".into(),
            Error::AccessDenied { .. } => "access denied".into(),
            Error::TimeoutExpired { seconds, .. } => {
                format!("timed out after {seconds} seconds").into()
            }
            Error::InvalidArgument(msg) => return write!(f, "invalid argument: {msg}"),
            // Not the source's message: source() returns it, and a chain
            // printer (anyhow's `{:#}`) would show it twice.
            Error::Io { path: Some(p), .. } => {
                return write!(f, "cannot access {}", p.display());
            }
            Error::Io { path: None, .. } => return f.write_str("operating-system call failed"),
        };
        f.write_str(&what)?;
        let details = self.details();
        if !details.is_empty() {
            write!(f, " {details}")?;
        }
        if let Error::NoSuchProcess { reason, .. } = self {
            write!(f, ": {reason}")?;
        }
        Ok(())
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

    fn timeout() -> Error {
        Error::TimeoutExpired {
            seconds: 3.0,
            pid: Some(4),
            name: Some("x".into()),
        }
    }

    #[test]
    fn display_reads_the_rust_way() {
        let e = Error::access_denied(1, Some("systemd".into()));
        assert_eq!(e.to_string(), "access denied (pid=1, name='systemd')");
        let e = Error::no_such_process(42, Some("x".into()), GoneReason::Exited);
        assert_eq!(
            e.to_string(),
            "no such process (pid=42, name='x'): process no longer exists"
        );
        let e = Error::no_such_process(42, None, GoneReason::NotFound);
        assert_eq!(
            e.to_string(),
            "no such process (pid=42): no process has this PID"
        );
        let e = Error::no_such_process(7, None, GoneReason::PidReused);
        assert_eq!(
            e.to_string(),
            "no such process (pid=7): process no longer exists and its PID was reused"
        );
        let e = Error::zombie(5, Some("z".into()), Some(1));
        assert_eq!(e.to_string(), "zombie process (pid=5, ppid=1, name='z')");
        assert_eq!(
            timeout().to_string(),
            "timed out after 3 seconds (pid=4, name='x')"
        );
        let e = Error::TimeoutExpired {
            seconds: 0.5,
            pid: None,
            name: None,
        };
        assert_eq!(e.to_string(), "timed out after 0.5 seconds");
        let e = Error::AccessDenied {
            pid: None,
            name: None,
        };
        assert_eq!(e.to_string(), "access denied");
        let e = Error::invalid("invalid kind argument 'x'");
        assert_eq!(e.to_string(), "invalid argument: invalid kind argument 'x'");
        let e = Error::io("/proc/stat", io::Error::from_raw_os_error(13));
        assert_eq!(e.to_string(), "cannot access /proc/stat");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("Permission denied (os error 13)"));
        assert_eq!(
            e.psutil_message().to_string(),
            "Permission denied (os error 13): \"/proc/stat\""
        );
        // No line reads like a sentence: lowercase start, no final period.
        for e in [
            Error::access_denied(1, None),
            Error::zombie(1, None, None),
            Error::no_such_process(1, None, GoneReason::Exited),
            timeout(),
        ] {
            let s = e.to_string();
            assert!(s.starts_with(|c: char| c.is_lowercase()), "{s}");
            assert!(!s.ends_with('.'), "{s}");
        }
    }

    #[test]
    fn psutil_message_is_psutils_str() {
        let e = Error::no_such_process(1, Some("foo".into()), GoneReason::Exited);
        assert_eq!(
            e.psutil_message().to_string(),
            "process no longer exists (pid=1, name='foo')"
        );
        let e = Error::no_such_process(9, None, GoneReason::NotFound);
        assert_eq!(
            e.psutil_message().to_string(),
            "process PID not found (pid=9)"
        );
        let e = Error::no_such_process(9, Some("a".into()), GoneReason::PidReused);
        assert_eq!(
            e.psutil_message().to_string(),
            "process no longer exists and its PID has been reused (pid=9, name='a')"
        );
        let e = Error::zombie(5, Some("z".into()), Some(1));
        assert_eq!(
            e.psutil_message().to_string(),
            "PID still exists but it's a zombie (pid=5, ppid=1, name='z')"
        );
        // psutil leaves out a ppid of 0 and an empty name, keeps pid 0.
        let e = Error::zombie(0, Some(String::new()), Some(0));
        assert_eq!(
            e.psutil_message().to_string(),
            "PID still exists but it's a zombie (pid=0)"
        );
        let e = Error::access_denied(3, Some("n".into()));
        assert_eq!(e.psutil_message().to_string(), "(pid=3, name='n')");
        assert_eq!(e.psutil_msg(), "");
        assert_eq!(
            timeout().psutil_message().to_string(),
            "timeout after 3 seconds (pid=4, name='x')"
        );
        let e = Error::invalid("bad");
        assert_eq!(e.psutil_message().to_string(), "bad");
        assert!(Error::zombie(1, None, None).is_no_such_process());
    }

    #[test]
    fn gone_reason_only_for_no_such_process() {
        let e = Error::no_such_process(1, None, GoneReason::PidReused);
        assert_eq!(e.gone_reason(), Some(GoneReason::PidReused));
        assert_eq!(Error::zombie(1, None, None).gone_reason(), None);
        assert_eq!(Error::access_denied(1, None).gone_reason(), None);
    }
}
