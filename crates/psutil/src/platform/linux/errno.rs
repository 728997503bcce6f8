//! The one mapping from an OS error met by a call aimed at one process to
//! an [`Error`] (psutil's `wrap_exceptions` and the checks in its syscall
//! wrappers).
//!
//! The rules are public: [`crate::process`]'s "Errors" section (getter
//! rules for `/proc/PID` files and syscalls, action rules for signals and
//! for opening `/proc/PID`, the identity check).

use std::io;

use rustix::io::Errno;

use super::{parse, procfs};
use crate::{Error, GoneReason};

/// What an OS error says about the process a call was aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `ESRCH`, `ENOENT`: it is gone (or a zombie).
    Gone,
    /// `EPERM`, `EACCES`: the kernel refused.
    Denied,
    /// Anything else: says nothing about the process.
    Other,
}

/// Sorts an OS error by the rules in [`crate::process`]'s "Errors".
pub(crate) fn classify(err: &io::Error) -> Class {
    match err.raw_os_error().map(Errno::from_raw_os_error) {
        Some(Errno::SRCH | Errno::NOENT) => Class::Gone,
        Some(Errno::PERM | Errno::ACCESS) => Class::Denied,
        _ => Class::Other,
    }
}

/// What the failed call was doing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// Reading `/proc/PID/<file>`.
    File(&'a str),
    /// A syscall naming the PID (priority, rlimit, affinity, ...).
    Syscall,
    /// Sending a signal: a zombie accepts signals, so `ESRCH` means gone.
    Signal,
    /// Opening `/proc/PID`, or reading its identity through that fd: gone
    /// for every error but a refusal, with the caller's reason.
    Dir(GoneReason),
}

/// The [`Error`] for `err`, met by a call aimed at `pid` (without the
/// process name: callers add it).
pub(crate) fn process_error(pid: u32, target: Target<'_>, err: io::Error) -> Error {
    let class = classify(&err);
    if class == Class::Denied {
        return Error::access_denied(pid, None);
    }
    match target {
        Target::Dir(reason) => Error::no_such_process(pid, None, reason),
        Target::Signal if class == Class::Gone => {
            Error::no_such_process(pid, None, GoneReason::Exited)
        }
        Target::Signal => Error::os(err),
        Target::Syscall if class == Class::Gone => gone_or_zombie(pid),
        Target::Syscall if err.raw_os_error() == Some(Errno::INVAL.raw_os_error()) => {
            Error::invalid(err.to_string())
        }
        Target::Syscall => Error::os(err),
        Target::File(file) if class == Class::Gone => {
            match procfs::read_pid_file(pid, "stat", parse::stat::parse_identity) {
                Ok(Some((b'Z', _))) => Error::zombie(pid, None, None),
                Ok(_)
                    if err.raw_os_error() == Some(Errno::NOENT.raw_os_error())
                        && file != "stat" =>
                {
                    procfs::with_pid_path(pid, file, |p| Error::io(p, err))
                }
                _ => Error::no_such_process(pid, None, GoneReason::Exited),
            }
        }
        Target::File(file) => procfs::with_pid_path(pid, file, |p| Error::io(p, err)),
    }
}

/// `ZombieProcess` if `/proc/PID/stat` shows a zombie, else
/// `NoSuchProcess`: for a process that was there a moment ago.
pub(crate) fn gone_or_zombie(pid: u32) -> Error {
    match procfs::read_pid_file(pid, "stat", parse::stat::parse_identity) {
        Ok(Some((b'Z', _))) => Error::zombie(pid, None, None),
        _ => Error::no_such_process(pid, None, GoneReason::Exited),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(errno: Errno) -> io::Error {
        io::Error::from_raw_os_error(errno.raw_os_error())
    }

    /// No process has this PID (above `pid_max`'s ceiling).
    const FREE: u32 = 4_194_304 + 17;

    #[test]
    fn the_errno_table() {
        for (errno, class) in [
            (Errno::SRCH, Class::Gone),
            (Errno::NOENT, Class::Gone),
            (Errno::PERM, Class::Denied),
            (Errno::ACCESS, Class::Denied),
            (Errno::INVAL, Class::Other),
            (Errno::IO, Class::Other),
            (Errno::NOTDIR, Class::Other),
        ] {
            assert_eq!(classify(&os(errno)), class, "{errno:?}");
        }
        // Not an OS error at all.
        assert_eq!(classify(&io::Error::other("x")), Class::Other);
    }

    #[test]
    fn every_target_by_the_rules() {
        let me = std::process::id();
        for target in [
            Target::File("status"),
            Target::Syscall,
            Target::Signal,
            Target::Dir(GoneReason::Exited),
        ] {
            for errno in [Errno::PERM, Errno::ACCESS] {
                let e = process_error(FREE, target, os(errno));
                assert!(e.is_access_denied(), "{target:?} {errno:?}: {e:?}");
            }
            let e = process_error(FREE, target, os(Errno::SRCH));
            assert_eq!(e.gone_reason(), Some(GoneReason::Exited), "{target:?}");
        }
        // A missing file of a live process is a missing file.
        let e = process_error(me, Target::File("nope"), os(Errno::NOENT));
        assert!(
            matches!(&e, Error::Io { path: Some(p), .. } if p.ends_with("nope")),
            "{e:?}"
        );
        // ... but a missing `stat` means the process is gone.
        let e = process_error(FREE, Target::File("stat"), os(Errno::NOENT));
        assert_eq!(e.gone_reason(), Some(GoneReason::Exited));
        let e = process_error(me, Target::File("io"), os(Errno::IO));
        assert!(matches!(&e, Error::Io { path: Some(_), .. }), "{e:?}");
        let e = process_error(me, Target::Syscall, os(Errno::INVAL));
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
        let e = process_error(me, Target::Syscall, os(Errno::IO));
        assert!(matches!(e, Error::Io { path: None, .. }), "{e:?}");
        let e = process_error(me, Target::Signal, os(Errno::INVAL));
        assert!(matches!(e, Error::Io { path: None, .. }), "{e:?}");
        let e = process_error(me, Target::Dir(GoneReason::NotFound), os(Errno::IO));
        assert_eq!(e.gone_reason(), Some(GoneReason::NotFound));
    }
}
