//! Waiting for processes: `Process.wait()`, `wait_procs()` and `Popen`.
//!
//! `wait()` sleeps in `poll(2)` on a pidfd (no busy loop, as psutil 7.2.2)
//! and reaps children with `waitpid(WNOHANG)` once it fires.

use std::ops::Deref;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use super::Process;
use crate::platform::imp::{parse, procfs, sys};
use crate::{Error, Result};

fn timeout_error(p: &Process, timeout: Duration) -> Error {
    Error::TimeoutExpired {
        seconds: timeout.as_secs_f64(),
        pid: Some(p.pid()),
        name: p.cached_name(),
    }
}

/// When a wait of `timeout` started now ends; `None` for no timeout and
/// for one too long for `Instant` (`Duration::MAX`), which would overflow
/// `Instant + Duration` (a panic): such a wait never ends by itself.
fn deadline(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

/// True while the PID still names `p` (zombie included).
fn same_process(p: &Process) -> bool {
    matches!(
        procfs::read_pid_file(p.pid(), "stat", parse::stat::parse_identity),
        Ok(Some((_, start))) if start == p.start_ticks()
    )
}

/// The body of `Process::wait`.
pub(super) fn wait_pid(p: &Process, timeout: Option<Duration>) -> Result<Option<i32>> {
    let fd = match sys::pidfd_open(p.pid()) {
        Ok(fd) => fd,
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => return reap_gone(p),
        Err(_) => return wait_by_polling(p, timeout),
    };
    // The fd names whoever held the PID when it was opened; if `p` still
    // holds it now, it held it then too (it was born before this call).
    if !same_process(p) {
        return reap_gone(p);
    }
    let deadline = deadline(timeout);
    loop {
        if !sys::poll_exit(&fd, deadline).map_err(|e| Error::Io {
            path: None,
            source: e,
        })? {
            return Err(timeout_error(p, timeout.unwrap_or_default()));
        }
        match sys::try_reap(p.pid()).map_err(|e| Error::Io {
            path: None,
            source: e,
        })? {
            sys::Reaped::Status(code) => return Ok(Some(code)),
            sys::Reaped::NotChild => return Ok(None),
            // Exited but not yet reapable (other threads finishing): retry.
            sys::Reaped::Running => std::thread::sleep(Duration::from_micros(100)),
        }
    }
}

/// The process is gone from `/proc`: collect a status if it was our child.
fn reap_gone(p: &Process) -> Result<Option<i32>> {
    match sys::try_reap(p.pid()) {
        Ok(sys::Reaped::Status(code)) => Ok(Some(code)),
        _ => Ok(None),
    }
}

/// Fallback without pidfds (old kernels, seccomp): `waitpid(WNOHANG)` and
/// `/proc` checks with exponential back-off from 0.1 ms to 40 ms.
fn wait_by_polling(p: &Process, timeout: Option<Duration>) -> Result<Option<i32>> {
    let deadline = deadline(timeout);
    let mut delay = Duration::from_micros(100);
    loop {
        match sys::try_reap(p.pid()).map_err(|e| Error::Io {
            path: None,
            source: e,
        })? {
            sys::Reaped::Status(code) => return Ok(Some(code)),
            sys::Reaped::NotChild => {
                let zombie_or_gone = !same_process(p)
                    || matches!(
                        procfs::read_pid_file(p.pid(), "stat", parse::stat::parse_identity),
                        Ok(Some((b'Z', _)))
                    );
                if zombie_or_gone {
                    return Ok(None);
                }
            }
            sys::Reaped::Running => {}
        }
        if let Some(d) = deadline {
            let now = Instant::now();
            if now >= d {
                return Err(timeout_error(p, timeout.unwrap_or_default()));
            }
            delay = delay.min(d - now);
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(40));
    }
}

/// A process that ended during [`wait_procs`].
#[derive(Debug)]
pub struct Gone {
    pub process: Process,
    /// psutil's `returncode`: exit code, minus the signal number, or `None`
    /// for a process that was not our child.
    pub returncode: Option<i32>,
}

/// psutil's `wait_procs(procs, timeout, callback)`: waits until every
/// process ended or `timeout` passed, and returns `(gone, alive)`.
/// `callback` runs once for each process as soon as it is found gone.
/// Never fails with `TimeoutExpired`.
pub fn wait_procs(
    procs: Vec<Process>,
    timeout: Option<Duration>,
    mut callback: impl FnMut(&Gone),
) -> Result<(Vec<Gone>, Vec<Process>)> {
    let deadline = deadline(timeout);
    let mut alive = procs;
    let mut gone = Vec::new();
    let mut delay = Duration::from_micros(500);
    loop {
        let mut still = Vec::with_capacity(alive.len());
        for p in alive {
            match p.wait(Some(Duration::ZERO)) {
                Ok(returncode) => {
                    let g = Gone {
                        process: p,
                        returncode,
                    };
                    callback(&g);
                    gone.push(g);
                }
                Err(Error::TimeoutExpired { .. }) => still.push(p),
                Err(e) if e.is_no_such_process() => {
                    let g = Gone {
                        process: p,
                        returncode: None,
                    };
                    callback(&g);
                    gone.push(g);
                }
                Err(e) => return Err(e),
            }
        }
        alive = still;
        if alive.is_empty() {
            break;
        }
        let mut nap = delay;
        if let Some(d) = deadline {
            let now = Instant::now();
            if now >= d {
                break;
            }
            nap = nap.min(d - now);
        }
        std::thread::sleep(nap);
        delay = (delay * 2).min(Duration::from_millis(50));
    }
    Ok((gone, alive))
}

/// psutil's `Popen`: starts a command and gives back both the child (for
/// its pipes) and a [`Process`] for everything psutil can do. Use
/// [`Process::wait`] (through `Deref`) rather than `Child::wait`.
#[derive(Debug)]
pub struct Popen {
    /// The spawned child: its `stdin`, `stdout` and `stderr` pipes.
    pub child: Child,
    process: Process,
}

impl Popen {
    /// Spawns `command` (psutil's `Popen(args, ...)`).
    pub fn new(command: &mut Command) -> Result<Popen> {
        let child = command.spawn().map_err(|e| Error::Io {
            path: Some(format!("{:?}", command.get_program())),
            source: e,
        })?;
        // The child cannot be reaped before we wait, so its stat is there.
        let process = Process::new(child.id())?;
        Ok(Popen { child, process })
    }

    /// The psutil handle of the child.
    pub fn process(&self) -> &Process {
        &self.process
    }
}

impl Deref for Popen {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.process
    }
}
