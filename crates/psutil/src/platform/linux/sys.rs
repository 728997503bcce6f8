//! Syscall wrappers: priorities, I/O priorities, resource limits, CPU
//! affinity, and race-free signalling through a `/proc/PID` directory fd.
//!
//! Errors come back as raw `io::Error`s; the caller maps them to psutil's
//! exceptions because only it knows which process and name they concern.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;

use rustix::event::{poll, PollFd, PollFlags};
use rustix::io::Errno;
use rustix::process::{waitid, waitpid, Pid, WaitId, WaitIdOptions, WaitOptions};
use rustix::thread::{sched_getaffinity, sched_setaffinity, CpuSet};
use rustix::time::Timespec;

use crate::process::Resource;

/// A PID as the kernel's `pid_t`. Zero and values above `i32::MAX` fail
/// with ESRCH: cast with `as`, they would become 0 or negative, which the
/// kernel reads as "the caller" or "a process group" (`waitpid(-1)` reaps
/// any child).
pub(crate) fn pid_of(pid: u32) -> io::Result<Pid> {
    i32::try_from(pid)
        .ok()
        .and_then(Pid::from_raw)
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ESRCH))
}

/// [`pid_of`] for the libc calls.
pub(crate) fn raw_pid(pid: u32) -> io::Result<libc::pid_t> {
    pid_of(pid).map(|p| p.as_raw_nonzero().get())
}

/// `getpriority(PRIO_PROCESS, pid)`.
pub(crate) fn get_nice(pid: u32) -> io::Result<i32> {
    Ok(rustix::process::getpriority_process(Some(pid_of(pid)?))?)
}

/// `setpriority(PRIO_PROCESS, pid, value)`.
pub(crate) fn set_nice(pid: u32, value: i32) -> io::Result<()> {
    Ok(rustix::process::setpriority_process(
        Some(pid_of(pid)?),
        value,
    )?)
}

const IOPRIO_WHO_PROCESS: libc::c_long = 1;
const IOPRIO_CLASS_SHIFT: i32 = 13;

/// `ioprio_get(IOPRIO_WHO_PROCESS, pid)` split into (class, data).
pub(crate) fn get_ionice(pid: u32) -> io::Result<(i32, i32)> {
    // SAFETY: ioprio_get takes two integers and returns an integer.
    let r = unsafe {
        libc::syscall(
            libc::SYS_ioprio_get,
            IOPRIO_WHO_PROCESS,
            libc::c_long::from(raw_pid(pid)?),
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    let r = r as i32;
    Ok((r >> IOPRIO_CLASS_SHIFT, r & ((1 << IOPRIO_CLASS_SHIFT) - 1)))
}

/// `ioprio_set(IOPRIO_WHO_PROCESS, pid, class << 13 | data)`.
pub(crate) fn set_ionice(pid: u32, class: i32, data: i32) -> io::Result<()> {
    let prio = (class << IOPRIO_CLASS_SHIFT) | data;
    let pid = raw_pid(pid)?;
    // SAFETY: ioprio_set takes three integers.
    let r = unsafe {
        libc::syscall(
            libc::SYS_ioprio_set,
            IOPRIO_WHO_PROCESS,
            libc::c_long::from(pid),
            prio as libc::c_long,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn rlim(v: Option<u64>) -> u64 {
    v.unwrap_or(libc::RLIM64_INFINITY)
}

fn unrlim(v: u64) -> Option<u64> {
    (v != libc::RLIM64_INFINITY).then_some(v)
}

/// `prlimit(pid, resource, NULL, &old)`: (soft, hard), `None` = infinity.
pub(crate) fn get_rlimit(pid: u32, r: Resource) -> io::Result<(Option<u64>, Option<u64>)> {
    let pid = raw_pid(pid)?;
    let mut old = libc::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a NULL new limit only reads; `old` is a valid out pointer.
    let rc = unsafe {
        libc::prlimit64(
            pid,
            r as libc::__rlimit_resource_t,
            std::ptr::null(),
            &mut old,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((unrlim(old.rlim_cur), unrlim(old.rlim_max)))
}

/// `prlimit(pid, resource, &new, NULL)`.
pub(crate) fn set_rlimit(
    pid: u32,
    r: Resource,
    soft: Option<u64>,
    hard: Option<u64>,
) -> io::Result<()> {
    let pid = raw_pid(pid)?;
    let new = libc::rlimit64 {
        rlim_cur: rlim(soft),
        rlim_max: rlim(hard),
    };
    // SAFETY: `new` is a valid limit; the old-limit pointer is NULL.
    let rc = unsafe {
        libc::prlimit64(
            pid,
            r as libc::__rlimit_resource_t,
            &new,
            std::ptr::null_mut(),
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `sched_getaffinity(pid)` as sorted CPU numbers.
pub(crate) fn get_affinity(pid: u32) -> io::Result<Vec<u32>> {
    let set = sched_getaffinity(Some(pid_of(pid)?))?;
    Ok((0..CpuSet::MAX_CPU)
        .filter(|&i| set.is_set(i))
        .filter_map(|i| u32::try_from(i).ok())
        .collect())
}

/// `sched_setaffinity(pid, cpus)`. A CPU number the set cannot hold fails
/// with EINVAL (as the kernel answers for CPUs it does not have).
pub(crate) fn set_affinity(pid: u32, cpus: &[u32]) -> io::Result<()> {
    let mut set = CpuSet::new();
    for &c in cpus {
        match usize::try_from(c) {
            Ok(c) if c < CpuSet::MAX_CPU => set.set(c),
            _ => return Err(io::Error::from_raw_os_error(libc::EINVAL)),
        }
    }
    Ok(sched_setaffinity(Some(pid_of(pid)?), &set)?)
}

/// A `/proc/PID` directory opened `O_RDONLY|O_DIRECTORY` (not `O_PATH`).
///
/// The fd is bound to one process instance: `openat` through it fails with
/// ESRCH once that process is reaped, even if the PID is reused, and the
/// kernel accepts it as a pidfd for `pidfd_send_signal(2)`.
pub(crate) struct ProcDir(OwnedFd);

impl ProcDir {
    /// Opens `ROOT/PID`.
    pub(crate) fn open(pid: u32) -> io::Result<ProcDir> {
        let file = super::procfs::with_pid_path(pid, "", |p| {
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
                .open(p)
        })?;
        Ok(ProcDir(OwnedFd::from(file)))
    }

    /// Reads `stat` through this directory: state letter and start time.
    pub(crate) fn identity(&self) -> io::Result<(u8, u64)> {
        let fd = rustix::fs::openat(
            &self.0,
            "stat",
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        let mut f = File::from(fd);
        let mut buf = Vec::with_capacity(512);
        io::Read::read_to_end(&mut f, &mut buf)?;
        super::parse::stat::parse_identity(&buf)
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ESRCH))
    }

    /// `pidfd_send_signal(dirfd, sig, NULL, 0)`; where the kernel has no
    /// such call (before 5.1, or a seccomp filter answering ENOSYS),
    /// `kill(pid, sig)` right after the caller's identity check through
    /// this fd: psutil's own (small) PID-reuse window, instead of failing.
    pub(crate) fn send_signal(&self, pid: u32, sig: i32) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        if !PIDFD_SIGNAL_MISSING.load(Relaxed) {
            match self.pidfd_send_signal(sig) {
                Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => {
                    PIDFD_SIGNAL_MISSING.store(true, Relaxed);
                }
                r => return r,
            }
        }
        let pid = raw_pid(pid)?;
        // libc, not rustix's kill_process: rustix's Signal takes any number
        // only through an unsafe constructor whose contract forbids sending
        // the numbers the C library reserves, and psutil sends any number.
        // SAFETY: kill takes a pid and a signal number.
        if unsafe { libc::kill(pid, sig) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    fn pidfd_send_signal(&self, sig: i32) -> io::Result<()> {
        // SAFETY: valid fd, a NULL siginfo and zero flags.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                self.0.as_raw_fd(),
                sig,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

/// Set once `pidfd_send_signal` answered ENOSYS: signals go by `kill`.
static PIDFD_SIGNAL_MISSING: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// `pidfd_open(pid, 0)`: a pollable fd that becomes readable on exit.
pub(crate) fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    Ok(rustix::process::pidfd_open(
        pid_of(pid)?,
        rustix::process::PidfdFlags::empty(),
    )?)
}

/// The kernel's `struct pidfd_info` (linux/pidfd.h), version 0 plus the
/// fields appended since; the ioctl encodes the size we pass.
#[repr(C)]
#[derive(Default)]
struct PidfdInfo {
    mask: u64,
    cgroupid: u64,
    pid: u32,
    tgid: u32,
    ppid: u32,
    ruid: u32,
    rgid: u32,
    euid: u32,
    egid: u32,
    suid: u32,
    sgid: u32,
    fsuid: u32,
    fsgid: u32,
    exit_code: i32,
    coredump_mask: u32,
    spare: u32,
}

const PIDFD_INFO_CREDS: u64 = 1 << 1;
/// `_IOWR(PIDFS_IOCTL_MAGIC, 11, struct pidfd_info)`.
const PIDFD_GET_INFO: libc::c_ulong =
    (3 << 30) | ((std::mem::size_of::<PidfdInfo>() as libc::c_ulong) << 16) | (0xFF << 8) | 11;

/// Real, effective and saved user and group ids, as in `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Creds {
    pub(crate) uids: [u32; 3],
    pub(crate) gids: [u32; 3],
}

/// Whether `PIDFD_GET_INFO` answered before (Linux 6.13+); once it is
/// known missing, callers go straight to `status`.
static PIDFD_INFO_MISSING: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// A process's credentials through `pidfd_open` + `PIDFD_GET_INFO`: the
/// same numbers as `status`'s `Uid:`/`Gid:` lines (both map into the
/// reader's user namespace) at a third of the cost of rendering `status`.
/// `None` when unavailable (older kernel, a thread id, the process gone,
/// or a custom procfs root): the caller then reads `status`, which also
/// decides between gone and zombie.
pub(crate) fn pidfd_creds(pid: u32) -> Option<Creds> {
    use std::sync::atomic::Ordering::Relaxed;
    if PIDFD_INFO_MISSING.load(Relaxed) {
        return None;
    }
    let fd = match pidfd_open(pid) {
        Ok(fd) => fd,
        Err(e) => {
            // No pidfd_open (before 5.3) or a seccomp filter refusing it;
            // a gone process or a thread id (EINVAL) says nothing about
            // the kernel.
            if matches!(e.raw_os_error(), Some(libc::ENOSYS) | Some(libc::EPERM)) {
                PIDFD_INFO_MISSING.store(true, Relaxed);
            }
            return None;
        }
    };
    let mut info = PidfdInfo {
        mask: PIDFD_INFO_CREDS,
        ..PidfdInfo::default()
    };
    // SAFETY: the fd is a pidfd and `info` is a writable pidfd_info of the
    // size encoded in the request.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), PIDFD_GET_INFO as _, &mut info) };
    if rc != 0 {
        if matches!(
            io::Error::last_os_error().raw_os_error(),
            Some(libc::ENOTTY) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP)
        ) {
            PIDFD_INFO_MISSING.store(true, Relaxed);
        }
        return None;
    }
    if info.mask & PIDFD_INFO_CREDS == 0 {
        return None;
    }
    Some(Creds {
        uids: [info.ruid, info.euid, info.suid],
        gids: [info.rgid, info.egid, info.sgid],
    })
}

/// Polls a pidfd for readability; `Ok(true)` when the process exited.
/// `deadline` `None` blocks; EINTR is retried with the time left.
pub(crate) fn poll_exit(fd: &OwnedFd, deadline: Option<std::time::Instant>) -> io::Result<bool> {
    loop {
        // ppoll's timespec: nanoseconds, so a short timeout never spins.
        let left = deadline.map(|d| {
            let left = d.saturating_duration_since(std::time::Instant::now());
            Timespec {
                tv_sec: i64::try_from(left.as_secs()).unwrap_or(i64::MAX),
                tv_nsec: i64::from(left.subsec_nanos()),
            }
        });
        let mut pfd = [PollFd::new(fd, PollFlags::IN)];
        return match poll(&mut pfd, left.as_ref()) {
            Ok(n) => Ok(n > 0),
            Err(Errno::INTR) => continue,
            Err(e) => Err(e.into()),
        };
    }
}

/// How a reaped child ended.
pub(crate) enum Reaped {
    /// `waitpid` collected it: exit code, or minus the signal number.
    Status(i32),
    /// Not our child (ECHILD): someone else reaps it.
    NotChild,
    /// Still running (WNOHANG found nothing).
    Running,
}

/// `waitpid(pid, WNOHANG)`, retrying EINTR.
pub(crate) fn try_reap(pid: u32) -> io::Result<Reaped> {
    // No child of ours has a PID outside pid_t's positive range.
    let Ok(pid) = pid_of(pid) else {
        return Ok(Reaped::NotChild);
    };
    loop {
        let status = match waitpid(Some(pid), WaitOptions::NOHANG) {
            Ok(Some((_, status))) => status,
            Ok(None) => return Ok(Reaped::Running),
            Err(Errno::INTR) => continue,
            Err(Errno::CHILD) => return Ok(Reaped::NotChild),
            Err(e) => return Err(e.into()),
        };
        return Ok(Reaped::Status(
            match (status.terminating_signal(), status.exit_status()) {
                (Some(sig), _) => -sig,
                (None, Some(code)) => code,
                // Stopped/continued are not reported without WUNTRACED.
                (None, None) => status.as_raw(),
            },
        ));
    }
}

/// `waitid(P_PIDFD, fd, WEXITED | WNOHANG)`, retrying EINTR: reaps exactly
/// the process `fd` names, never another that took its PID since. `None`
/// when the kernel has no `P_PIDFD` (before 5.4).
pub(crate) fn try_reap_pidfd(fd: &OwnedFd) -> io::Result<Option<Reaped>> {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG;
    loop {
        return match waitid(WaitId::PidFd(fd.as_fd()), options) {
            // WEXITED only: the child exited or was killed.
            Ok(Some(s)) => Ok(Some(Reaped::Status(match s.terminating_signal() {
                Some(sig) => -sig,
                None => s.exit_status().unwrap_or_default(),
            }))),
            Ok(None) => Ok(Some(Reaped::Running)),
            Err(Errno::INTR) => continue,
            Err(Errno::CHILD) => Ok(Some(Reaped::NotChild)),
            Err(Errno::INVAL) => Ok(None),
            Err(e) => Err(e.into()),
        };
    }
}

/// `sysconf(_SC_NPROCESSORS_ONLN)`.
///
/// libc, not rustix: rustix has only `sched_getaffinity`, which counts the
/// CPUs this process may run on, not the system's online CPUs that
/// psutil's `cpu_count()` (Python's `os.cpu_count()`) reports.
pub(crate) fn online_cpus() -> Option<usize> {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    usize::try_from(n).ok().filter(|&n| n >= 1)
}
