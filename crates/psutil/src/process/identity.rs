//! The identity protocol behind the module docs' "Identity and PID
//! reuse": a handle is (PID, start time); acting on it goes through a
//! `/proc/PID` directory fd whose start time was checked.

use super::Process;
use crate::platform::imp::process::ProcReader;
use crate::platform::imp::{parse, procfs, sys};
use crate::{Error, Result};

/// `Process(pid)`'s error for a PID that names no process.
pub(super) fn not_found(pid: u32) -> Error {
    Error::NoSuchProcess {
        pid,
        name: None,
        msg: "process PID not found".into(),
    }
}

impl Process {
    /// True while the PID still names this process (zombie included), by
    /// one read of `/proc/PID/stat`.
    pub(super) fn same_identity(&self) -> bool {
        matches!(
            procfs::read_pid_file(self.pid, "stat", parse::stat::parse_identity),
            Ok(Some((_, start))) if start == self.start_ticks
        )
    }

    /// The error for a handle whose PID now names a younger process.
    pub(super) fn reused_error(&self) -> Error {
        Error::NoSuchProcess {
            pid: self.pid,
            name: self.lock().name.clone(),
            msg: "process no longer exists and its PID has been reused".into(),
        }
    }

    /// Opens `/proc/PID` and checks the start time through that fd.
    pub(super) fn open_verified(&self) -> Result<sys::ProcDir> {
        self.open_verified_or(|| Error::no_such_process(self.pid, self.lock().name.clone()))
    }

    /// [`Process::open_verified`] with `gone()` as the error for a process
    /// that no longer exists (its PID not reused).
    pub(super) fn open_verified_or(&self, gone: impl Fn() -> Error) -> Result<sys::ProcDir> {
        let name = || self.lock().name.clone();
        let dir = sys::ProcDir::open(self.pid).map_err(|e| match e.raw_os_error() {
            Some(libc::EACCES) | Some(libc::EPERM) => Error::access_denied(self.pid, name()),
            _ => gone(),
        })?;
        match dir.identity() {
            Ok((_, start)) if start == self.start_ticks => Ok(dir),
            Ok(_) => {
                self.lock().gone = true;
                Err(self.reused_error())
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EACCES) | Some(libc::EPERM)) => {
                Err(Error::access_denied(self.pid, name()))
            }
            Err(_) => Err(gone()),
        }
    }

    /// psutil's pre-emptive PID-reuse check (`_raise_if_pid_reused`).
    pub(super) fn check_identity(&self) -> Result<()> {
        self.open_verified().map(drop)
    }

    /// Runs a setter bracketed by identity checks through one `/proc/PID`
    /// fd (see the module docs).
    pub(super) fn act(&self, f: impl FnOnce(&mut ProcReader) -> Result<()>) -> Result<()> {
        let dir = self.open_verified()?;
        self.read(f)?;
        match dir.identity() {
            Ok(_) => Ok(()),
            Err(_) => Err(Error::no_such_process(self.pid, self.lock().name.clone())),
        }
    }
}
