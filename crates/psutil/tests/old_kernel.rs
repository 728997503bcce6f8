//! A kernel before 5.1, as far as the crate can tell: a seccomp filter
//! makes `pidfd_send_signal`, `pidfd_open` and `pidfd_getfd` answer ENOSYS
//! (what Linux 4.19 answers). Signals must then go by `kill(2)`, `wait()`
//! must poll, and `uids()`/`gids()` must come from `status` — the paths no
//! kernel that the VMs of tests/vm boot (6.1, 6.12) takes by itself.
//!
//! The filter is per thread: every test installs it on its own thread
//! first (threads and children it starts inherit it). Its own binary, so
//! the crate's "this kernel lacks X" memos never leak into other tests.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{wait_exec, wait_until, Kid};
use psutil::process::{process_iter_with, Attr, Process, Status};
use psutil::Error;

/// `AUDIT_ARCH_*` of the architectures whose seccomp data we check.
#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xC000_00B7;

/// Installs the filter on the calling thread; false where this
/// architecture is not covered (the tests then skip).
fn emulate_pre_5_1() -> bool {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        const LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
        const JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
        const RET_K: u16 = 0x06; // BPF_RET | BPF_K
        const RET_ALLOW: u32 = 0x7fff_0000;
        const RET_ERRNO: u32 = 0x0005_0000;
        let ins = |code, jt, jf, k| libc::sock_filter { code, jt, jf, k };
        // struct seccomp_data: nr at offset 0, arch at 4. Jumps are
        // relative to the next instruction.
        let mut prog = [
            ins(LD_W_ABS, 0, 0, 4),
            ins(JEQ_K, 0, 4, AUDIT_ARCH), // another arch: allow (6)
            ins(LD_W_ABS, 0, 0, 0),
            ins(JEQ_K, 3, 0, libc::SYS_pidfd_send_signal as u32), // -> 7
            ins(JEQ_K, 2, 0, libc::SYS_pidfd_open as u32),
            ins(JEQ_K, 1, 0, libc::SYS_pidfd_getfd as u32),
            ins(RET_K, 0, 0, RET_ALLOW),
            ins(RET_K, 0, 0, RET_ERRNO | libc::ENOSYS as u32),
        ];
        let fprog = libc::sock_fprog {
            len: prog.len() as u16,
            filter: prog.as_mut_ptr(),
        };
        // SAFETY: prctl with documented arguments; the program outlives
        // the call (the kernel copies it).
        unsafe {
            assert_eq!(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
            assert_eq!(
                libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &fprog as *const libc::sock_fprog
                ),
                0,
                "seccomp: {}",
                std::io::Error::last_os_error()
            );
        }
        // SAFETY: a raw syscall with plain integer arguments.
        let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) };
        assert_eq!(rc, -1);
        assert_eq!(
            std::io::Error::last_os_error().raw_os_error(),
            Some(libc::ENOSYS)
        );
        true
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        eprintln!("skipped: no seccomp filter for this architecture");
        false
    }
}

#[test]
fn signals_go_by_kill_and_wait_polls() {
    if !emulate_pre_5_1() {
        return;
    }
    let kid = Kid::sleep();
    wait_exec(kid.pid(), "sleep");
    let p = Process::new(kid.pid()).unwrap();
    p.suspend().unwrap();
    assert!(wait_until(|| p.status().unwrap() == Status::Stopped));
    p.resume().unwrap();
    assert!(wait_until(|| p.status().unwrap() == Status::Sleeping));
    // wait() without pidfd_open: the polling loop, timeout included.
    match p.wait(Some(Duration::from_millis(100))) {
        Err(Error::TimeoutExpired { pid, .. }) => assert_eq!(pid, Some(kid.pid())),
        other => panic!("{other:?}"),
    }
    p.terminate().unwrap();
    assert_eq!(
        p.wait(Some(Duration::from_secs(10))).unwrap(),
        Some(-libc::SIGTERM)
    );
    // Gone now: a signal is NoSuchProcess, not an I/O error.
    let e = p.kill().unwrap_err();
    assert!(e.is_no_such_process(), "{e:?}");
}

#[test]
fn ids_come_from_status() {
    if !emulate_pre_5_1() {
        return;
    }
    let kid = Kid::spawn(Command::new("sleep").arg("600"));
    wait_exec(kid.pid(), "sleep");
    let status = std::fs::read_to_string(format!("/proc/{}/status", kid.pid())).unwrap();
    let triple = |key: &str| -> [u32; 3] {
        let l = status.lines().find(|l| l.starts_with(key)).unwrap();
        let v: Vec<u32> = l[key.len()..]
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        [v[0], v[1], v[2]]
    };
    let p = Process::new(kid.pid()).unwrap();
    let (u, g) = (p.uids().unwrap(), p.gids().unwrap());
    assert_eq!([u.real, u.effective, u.saved], triple("Uid:"));
    assert_eq!([g.real, g.effective, g.saved], triple("Gid:"));
    // The listing's batch path reads the same ids (and memory) from status.
    let listed = process_iter_with(&[Attr::Uids, Attr::MemoryInfo, Attr::Name]).unwrap();
    let e = listed
        .iter()
        .find(|e| e.process.pid() == kid.pid())
        .expect("child listed");
    let info = &e.info;
    assert_eq!(info.uids, Some(u));
    assert_eq!(info.name.as_deref(), Some(std::ffi::OsStr::new("sleep")));
    assert!(info.memory_info.as_ref().is_some_and(|m| m.rss > 0));
}
