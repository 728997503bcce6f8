//! Waiting for processes: `Process.wait()`, `wait_procs()` and `Popen`.
//!
//! `wait()` sleeps in `poll(2)` on a pidfd (no busy loop, as psutil 7.2.2)
//! and reaps children with `waitpid(WNOHANG)` once it fires. Everything
//! else that waits (no pidfds, [`wait_procs`], psutil's "until reaped"
//! rule) polls through one back-off loop, [`backoff`]; exit statuses are
//! decoded in one place, the backend's `try_reap`.

use std::ops::Deref;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use super::Process;
use crate::platform::imp::process::{self as backend, ExitFd, Reaped};
use crate::{Error, Result};

fn timeout_error(p: &Process, timeout: Duration) -> Error {
    Error::TimeoutExpired {
        seconds: timeout.as_secs_f64(),
        pid: Some(p.pid()),
        name: p.cached_name(),
    }
}

/// When a wait of `timeout` started at `start` ends; `None` for no timeout
/// and for one too long for `Instant` (`Duration::MAX`), which would
/// overflow `Instant + Duration` (a panic): such a wait never ends by
/// itself.
fn deadline(start: Instant, timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| start.checked_add(t))
}

/// Calls `check` until it gives `Some`, sleeping in between from `first`
/// doubling up to `max`; `Ok(None)` once `deadline` passed.
fn backoff<T>(
    deadline: Option<Instant>,
    first: Duration,
    max: Duration,
    mut check: impl FnMut() -> Result<Option<T>>,
) -> Result<Option<T>> {
    let mut delay = first;
    loop {
        if let Some(v) = check()? {
            return Ok(Some(v));
        }
        let mut nap = delay;
        if let Some(d) = deadline {
            let now = Instant::now();
            if now >= d {
                return Ok(None);
            }
            nap = nap.min(d - now);
        }
        std::thread::sleep(nap);
        delay = (delay * 2).min(max);
    }
}

fn io_err(e: std::io::Error) -> Error {
    Error::Io {
        path: None,
        source: e,
    }
}

/// The body of `Process::wait`.
pub(super) fn wait_exit(p: &Process, timeout: Option<Duration>) -> Result<Option<i32>> {
    let fd = match backend::exit_fd(p.pid()) {
        ExitFd::Open(fd) => fd,
        ExitFd::Gone => return Ok(reap_gone(p.pid())),
        ExitFd::Unsupported => return wait_by_polling(p, timeout),
    };
    // The fd names whoever held the PID when it was opened; if `p` still
    // holds it now, it held it then too (it was born before this call).
    if !p.same_identity() {
        return Ok(reap_gone(p.pid()));
    }
    let deadline = deadline(Instant::now(), timeout);
    loop {
        if !backend::poll_exit(&fd, deadline).map_err(io_err)? {
            return Err(timeout_error(p, timeout.unwrap_or_default()));
        }
        match backend::try_reap(p.pid()).map_err(io_err)? {
            Reaped::Status(code) => return Ok(Some(code)),
            Reaped::NotChild => return Ok(None),
            // Exited but not yet reapable (other threads finishing): retry.
            Reaped::Running => std::thread::sleep(Duration::from_micros(100)),
        }
    }
}

/// `pid` is gone from `/proc`: its exit status if it was our child.
fn reap_gone(pid: u32) -> Option<i32> {
    match backend::try_reap(pid) {
        Ok(Reaped::Status(code)) => Some(code),
        _ => None,
    }
}

/// Fallback without pidfds (old kernels, seccomp): `waitpid(WNOHANG)` and
/// `/proc` checks with exponential back-off from 0.1 ms to 40 ms.
fn wait_by_polling(p: &Process, timeout: Option<Duration>) -> Result<Option<i32>> {
    let ended = backoff(
        deadline(Instant::now(), timeout),
        Duration::from_micros(100),
        Duration::from_millis(40),
        || {
            Ok(match backend::try_reap(p.pid()).map_err(io_err)? {
                Reaped::Status(code) => Some(Some(code)),
                Reaped::NotChild => {
                    let zombie_or_gone = !p.same_identity()
                        || matches!(backend::identity(p.pid()), Ok(Some((b'Z', _))));
                    zombie_or_gone.then_some(None)
                }
                Reaped::Running => None,
            })
        },
    )?;
    ended.ok_or_else(|| timeout_error(p, timeout.unwrap_or_default()))
}

/// The body of `Process::wait_reaped`, after `Process::wait` returned
/// `None` (not our child): polls until the PID no longer names `p`.
pub(super) fn until_reaped(p: &Process, start: Instant, timeout: Option<Duration>) -> Result<()> {
    let gone = backoff(
        deadline(start, timeout),
        Duration::from_micros(100),
        Duration::from_millis(40),
        || Ok((!p.same_identity()).then_some(())),
    )?;
    gone.ok_or_else(|| timeout_error(p, timeout.unwrap_or_default()))
}

/// psutil's `_psposix.wait_pid(pid, timeout)`: [`Process::wait_reaped`]
/// for a bare PID, which may already be gone from `/proc` (then its exit
/// status is collected if it was a child of the caller, else `None`).
///
/// # Errors
///
/// As [`Process::wait_reaped`]. A PID with no process is not an error: its exit
/// status if it was the caller's child, else `None`.
pub fn wait_pid(pid: u32, timeout: Option<Duration>) -> Result<Option<i32>> {
    match Process::new(pid) {
        Ok(p) => p.wait_reaped(timeout),
        Err(_) => Ok(reap_gone(pid)),
    }
}

/// A process that ended during [`wait_procs`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Gone {
    /// The process that ended (psutil's `Process` object itself).
    pub process: Process,
    /// psutil's `returncode`: exit code, minus the signal number, or `None`
    /// for a process that was not our child.
    pub returncode: Option<i32>,
}

/// psutil's `wait_procs(procs, timeout, callback)`: waits until every
/// process ended or `timeout` passed, and returns `(gone, alive)`.
/// `callback` runs once for each process as soon as it is found gone.
///
/// # Errors
///
/// The [`Error::Io`] of [`Process::wait`] for any process; never
/// [`Error::TimeoutExpired`] (processes still running are returned as alive)
/// nor [`Error::NoSuchProcess`] (a process already gone counts as gone).
///
/// # Examples
///
/// ```
/// use std::process::Command;
/// use std::time::Duration;
/// use psutil::process::{wait_procs, Popen};
///
/// let a = Popen::new(Command::new("sleep").arg("30"))?;
/// let b = Popen::new(Command::new("sleep").arg("30"))?;
/// let procs = vec![a.process().clone(), b.process().clone()];
/// for p in &procs {
///     p.terminate()?;
/// }
/// let (gone, alive) = wait_procs(procs, Some(Duration::from_secs(5)), |g| {
///     println!("{} ended, return code {:?}", g.process.pid(), g.returncode);
/// })?;
/// assert_eq!(gone.len(), 2);
/// assert!(alive.is_empty());
/// // Our own children were reaped, so their return codes are known: -SIGTERM.
/// assert!(gone.iter().all(|g| g.returncode == Some(-15)));
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn wait_procs(
    procs: Vec<Process>,
    timeout: Option<Duration>,
    mut callback: impl FnMut(&Gone),
) -> Result<(Vec<Gone>, Vec<Process>)> {
    let mut alive = procs;
    let mut gone = Vec::new();
    backoff(
        deadline(Instant::now(), timeout),
        Duration::from_micros(500),
        Duration::from_millis(50),
        || {
            let mut still = Vec::with_capacity(alive.len());
            for p in alive.drain(..) {
                let returncode = match p.wait(Some(Duration::ZERO)) {
                    Ok(code) => code,
                    Err(Error::TimeoutExpired { .. }) => {
                        still.push(p);
                        continue;
                    }
                    Err(e) if e.is_no_such_process() => None,
                    Err(e) => return Err(e),
                };
                let g = Gone {
                    process: p,
                    returncode,
                };
                callback(&g);
                gone.push(g);
            }
            alive = still;
            Ok(alive.is_empty().then_some(()))
        },
    )?;
    Ok((gone, alive))
}

/// psutil's `Popen`: starts a command and gives back both the child (for
/// its pipes) and a [`Process`] for everything psutil can do. Use
/// [`Process::wait`] (through `Deref`) rather than `Child::wait`.
///
/// # Examples
///
/// ```
/// use std::process::Command;
/// use std::time::Duration;
/// use psutil::process::{Popen, Signal};
///
/// let child = Popen::new(Command::new("sleep").arg("30"))?;
/// // Everything of `Process` works on it (through `Deref`).
/// // (The kernel can still be loading `sleep` right after the spawn, so its
/// // name or command line may not be there yet.)
/// assert!(child.is_running());
/// println!("started pid {} ({})", child.pid(), child.name()?);
/// child.send_signal(Signal::SIGTERM)?;
/// // psutil's return code: minus the signal number for a killed child.
/// assert_eq!(child.wait(Some(Duration::from_secs(5)))?, Some(-Signal::SIGTERM.as_raw()));
/// # Ok::<(), psutil::Error>(())
/// ```
#[derive(Debug)]
pub struct Popen {
    /// The spawned child: its `stdin`, `stdout` and `stderr` pipes.
    pub child: Child,
    process: Process,
}

impl Popen {
    /// Spawns `command` (psutil's `Popen(args, ...)`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] (the program as its path) when the command cannot be
    /// spawned, e.g. `NotFound` for a missing program; [`Error::NoSuchProcess`]
    /// if the child's `/proc/PID/stat` cannot be read right after the spawn.
    pub fn new(command: &mut Command) -> Result<Popen> {
        let child = command.spawn().map_err(|e| Error::Io {
            path: Some(command.get_program().into()),
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
