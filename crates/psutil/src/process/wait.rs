//! Waiting for processes: `Process.wait()`, `wait_procs()` and `Popen`.
//!
//! `wait()` sleeps in `poll(2)` on a pidfd (no busy loop, as psutil 7.2.2)
//! and reaps children through that pidfd once it fires. Everything
//! else that waits (no pidfds, [`wait_procs`], psutil's "until reaped"
//! rule) polls through one back-off loop, [`backoff`]; exit statuses are
//! decoded by the backend's `try_reap*`.
//!
//! A PID is reaped only while it still names the process waited for: once
//! that process is gone (reaped elsewhere in this program), the PID can
//! name a new child of ours, whose exit status `waitpid(pid)` would steal.

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

/// The body of `Process::wait`.
pub(super) fn wait_exit(p: &Process, timeout: Option<Duration>) -> Result<Option<i32>> {
    let fd = match backend::exit_fd(p.pid()) {
        ExitFd::Open(fd) => fd,
        // No process has the PID, so `p` is no child of ours left to reap
        // (a child keeps its PID, as a zombie, until we reap it).
        ExitFd::Gone => return Ok(None),
        ExitFd::Unsupported => return wait_by_polling(p, timeout),
    };
    // The fd names whoever held the PID when it was opened; if `p` still
    // holds it now, it held it then too (it was born before this call).
    // If not, `p` is gone and the fd names another process.
    if !p.same_identity() {
        return Ok(None);
    }
    let deadline = deadline(Instant::now(), timeout);
    loop {
        if !backend::poll_exit(&fd, deadline).map_err(Error::os)? {
            return Err(timeout_error(p, timeout.unwrap_or_default()));
        }
        let reaped = match backend::try_reap_pidfd(&fd).map_err(Error::os)? {
            Some(r) => r,
            // No reaping through a pidfd (Linux 5.3): by PID, which still
            // names `p` if it is our child (a zombie until reaped).
            None => backend::try_reap(p.pid()).map_err(Error::os)?,
        };
        match reaped {
            Reaped::Status(code) => return Ok(Some(code)),
            Reaped::NotChild => return Ok(None),
            // Exited but not yet reapable (other threads finishing): retry.
            Reaped::Running => std::thread::sleep(Duration::from_micros(100)),
        }
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
            // Gone (or the PID reused): nothing of `p` left to reap.
            if !p.same_identity() {
                return Ok(Some(None));
            }
            Ok(match backend::try_reap(p.pid()).map_err(Error::os)? {
                Reaped::Status(code) => Some(Some(code)),
                Reaped::NotChild => {
                    matches!(backend::identity(p.pid()), Ok(Some((b'Z', _)))).then_some(None)
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
/// for a bare PID: the exit status of a child of the caller, else `None`
/// once no process has the PID. A PID that `/proc` does not show (gone,
/// or hidden by `hidepid` or a [`Roots`](crate::Roots) procfs) is
/// waited for with `waitpid(WNOHANG)` and `kill(pid, 0)`, as psutil does.
///
/// # Errors
///
/// As [`Process::wait_reaped`]. A PID with no process is not an error: its exit
/// status if it was the caller's child, else `None`.
pub fn wait_pid(pid: u32, timeout: Option<Duration>) -> Result<Option<i32>> {
    match Process::new(pid) {
        Ok(p) => p.wait_reaped(timeout),
        Err(_) => wait_unseen(pid, timeout),
    }
}

/// [`wait_pid`] for a PID `/proc` does not show: reaps it if it is our
/// child, else polls until no process has it (psutil's loop), with the
/// back-off of [`wait_by_polling`].
fn wait_unseen(pid: u32, timeout: Option<Duration>) -> Result<Option<i32>> {
    let ended = backoff(
        deadline(Instant::now(), timeout),
        Duration::from_micros(100),
        Duration::from_millis(40),
        || {
            Ok(match backend::try_reap(pid).map_err(Error::os)? {
                Reaped::Status(code) => Some(Some(code)),
                Reaped::NotChild => (!backend::pid_signalable(pid)).then_some(None),
                Reaped::Running => None,
            })
        },
    )?;
    ended.ok_or_else(|| Error::TimeoutExpired {
        seconds: timeout.unwrap_or_default().as_secs_f64(),
        pid: Some(pid),
        name: None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits until `pid` (our child) is a zombie.
    fn until_zombie(pid: u32) {
        let end = Instant::now() + Duration::from_secs(10);
        while !matches!(backend::identity(pid), Ok(Some((b'Z', _)))) {
            assert!(Instant::now() < end, "{pid} never exited");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// A handle whose PID now names another child of ours (here: the
    /// same PID with another start time, as after a reuse) never reaps
    /// that child, with pidfds or without.
    #[test]
    fn a_stale_handle_never_reaps_the_pids_new_holder() {
        for by_polling in [false, true] {
            let mut child = Command::new("true").spawn().unwrap();
            let pid = child.id();
            until_zombie(pid);
            let now = Process::new(pid).unwrap();
            let stale = Process::with_identity(pid, now.start_ticks.wrapping_add(1));
            let code = if by_polling {
                wait_by_polling(&stale, Some(Duration::ZERO))
            } else {
                wait_exit(&stale, Some(Duration::ZERO))
            };
            assert_eq!(code.unwrap(), None, "by polling: {by_polling}");
            // Still ours to reap.
            let status = child.try_wait().unwrap();
            assert_eq!(
                status.and_then(|s| s.code()),
                Some(0),
                "by polling: {by_polling}"
            );
        }
    }

    /// The handle that does name the child reaps it, with pidfds or
    /// without.
    #[test]
    #[expect(clippy::zombie_processes, reason = "reaped by the code under test")]
    fn the_current_handle_reaps_its_child() {
        for by_polling in [false, true] {
            let child = Command::new("sh").args(["-c", "exit 3"]).spawn().unwrap();
            let p = Process::new(child.id()).unwrap();
            let code = if by_polling {
                wait_by_polling(&p, Some(Duration::from_secs(10)))
            } else {
                wait_exit(&p, Some(Duration::from_secs(10)))
            };
            assert_eq!(code.unwrap(), Some(3), "by polling: {by_polling}");
        }
    }

    /// `wait_pid` on a PID that the `/proc` in force does not show: a
    /// running child is waited for and reaped, a process that is not our
    /// child is waited for until the timeout (not `None` at once).
    #[test]
    #[expect(clippy::zombie_processes, reason = "reaped by the code under test")]
    fn wait_pid_waits_for_a_pid_proc_does_not_show() {
        let empty = std::env::temp_dir().join(format!("psutil-rs-wait-pid-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let roots = crate::Roots::default().with_procfs(empty.to_str().unwrap());
        let child = Command::new("sh")
            .args(["-c", "sleep 0.2; exit 7"])
            .spawn()
            .unwrap();
        let code = roots.scope(|| wait_pid(child.id(), Some(Duration::from_secs(10))));
        assert_eq!(code.unwrap(), Some(7));
        let init = roots.scope(|| wait_pid(1, Some(Duration::from_millis(50))));
        assert!(
            matches!(init, Err(Error::TimeoutExpired { pid: Some(1), .. })),
            "{init:?}"
        );
        let _ = std::fs::remove_dir(&empty);
    }
}
