//! The identity protocol behind the module docs' "Identity and PID
//! reuse": a handle is (PID, start time); acting on it goes through a
//! `/proc/PID` directory fd whose start time was checked.

use super::Process;
use crate::platform::imp::errno::{process_error, Target};
use crate::platform::imp::process::{self as backend, ProcDir, ProcReader};
use crate::{Error, GoneReason, Result};

/// `Process(pid)`'s error for a PID that names no process.
pub(super) fn not_found(pid: u32) -> Error {
    Error::no_such_process(pid, None, GoneReason::NotFound)
}

impl Process {
    /// True while the PID still names this process (zombie included), by
    /// one read of `/proc/PID/stat`.
    pub(super) fn same_identity(&self) -> bool {
        matches!(
            backend::identity(self.pid),
            Ok(Some((_, start))) if start == self.start_ticks
        )
    }

    /// Opens `/proc/PID` and checks the start time through that fd.
    pub(super) fn open_verified(&self) -> Result<ProcDir> {
        self.open_verified_or(GoneReason::Exited)
    }

    /// [`Process::open_verified`] with `reason` for a process that no
    /// longer exists (its PID not reused).
    pub(super) fn open_verified_or(&self, reason: GoneReason) -> Result<ProcDir> {
        let name = || self.lock().name.clone();
        let fail = |e| match process_error(self.pid, Target::Dir(reason), e) {
            // psutil's "not found" comes from a new `Process(pid)`: unnamed.
            e if e.gone_reason() == Some(GoneReason::NotFound) => e,
            e => e.with_name(name().as_deref()),
        };
        let dir = ProcDir::open(self.pid).map_err(fail)?;
        match dir.identity() {
            Ok((_, start)) if start == self.start_ticks => Ok(dir),
            Ok(_) => {
                self.lock().gone = true;
                Err(Error::no_such_process(
                    self.pid,
                    name(),
                    GoneReason::PidReused,
                ))
            }
            Err(e) => Err(fail(e)),
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
            Err(_) => Err(Error::no_such_process(
                self.pid,
                self.lock().name.clone(),
                GoneReason::Exited,
            )),
        }
    }
}
