//! Helpers shared by the live and fixture tests: children that die with
//! the test, and `build!` for `#[non_exhaustive]` structs.

#![allow(dead_code, unused_macros)]

/// A `#[non_exhaustive]` psutil struct from field values: outside the
/// crate a struct expression cannot build one, so this starts from
/// `Default` (or the `..rest` value) and assigns the fields given.
macro_rules! build {
    ($t:path { $($f:ident $(: $v:expr)?),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut v = <$t as Default>::default();
        $(v.$f = build!(@value $f $($v)?);)*
        v
    }};
    ($t:path { $($f:ident $(: $v:expr)?,)* ..$rest:expr }) => {{
        let mut v: $t = $rest;
        $(v.$f = build!(@value $f $($v)?);)*
        v
    }};
    (@value $f:ident $v:expr) => {
        $v
    };
    // Shorthand `field`: the variable of that name.
    (@value $f:ident) => {
        $f
    };
}

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A spawned child killed and reaped on drop.
///
/// Tests often reap the child themselves (`Process::wait`, `wait_procs`),
/// which `Child` cannot know. Its `kill` and `wait` by PID would then hit
/// whichever child of this test process took the PID since, so the drop
/// goes through a pidfd opened while the child was surely unreaped. Without
/// pidfds (before Linux 5.3, or a seccomp filter) it falls back to the PID.
pub struct Kid {
    child: Child,
    pidfd: Option<std::os::fd::OwnedFd>,
}

impl Kid {
    pub fn spawn(cmd: &mut Command) -> Kid {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn child");
        let pidfd = rustix::process::Pid::from_raw(child.id() as i32).and_then(|pid| {
            rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).ok()
        });
        Kid { child, pidfd }
    }

    pub fn sleep() -> Kid {
        Kid::spawn(Command::new("sleep").arg("600"))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Kid {
    fn drop(&mut self) {
        use rustix::process::{pidfd_send_signal, waitid, WaitId, WaitIdOptions};
        match &self.pidfd {
            Some(fd) => {
                // Both fail harmlessly once the child is reaped.
                let _ = pidfd_send_signal(fd, rustix::process::Signal::KILL);
                let _ = waitid(
                    WaitId::PidFd(std::os::fd::AsFd::as_fd(fd)),
                    WaitIdOptions::EXITED,
                );
            }
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// Polls `cond` every 5 ms for up to 5 s.
pub fn wait_until(mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// The fields of a `stat` file (`/proc/PID/stat`, `.../task/TID/stat`)
/// after `(comm)`, which may hold spaces, read directly: `[0]` is the
/// state, field 3 of proc(5), so field N is `[N - 3]`.
pub fn stat_fields(path: impl AsRef<std::path::Path>) -> Option<Vec<String>> {
    let s = std::fs::read_to_string(path).ok()?;
    let fields = s[s.rfind(')')? + 1..].split_ascii_whitespace();
    Some(fields.map(String::from).collect())
}

/// The state letter of `/proc/PID/stat`.
pub fn state(pid: u32) -> Option<char> {
    stat_fields(format!("/proc/{pid}/stat"))?
        .first()?
        .chars()
        .next()
}

/// Waits until the child finished exec (its comm is no longer the
/// parent's), so that name/cmdline/exe are the new program's.
///
/// The kernel sets the new comm before it lays out the new program's
/// arguments: for a moment `cmdline` is empty (seen under emulation in the
/// kernel-matrix VMs), so both are waited for.
pub fn wait_exec(pid: u32, comm: &str) {
    assert!(
        wait_until(|| std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| c.trim_end() == comm)
            && std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| !c.is_empty())),
        "child {pid} never became {comm}"
    );
}

pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// A fresh private directory under the system temp dir.
pub fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("psutil-rs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The one fake-root guard of the fixture tests: `psutil::Roots` with the
/// given `/proc`, `/sys` and cgroupfs roots (the real ones where `None`),
/// entered on the calling thread (and the crate's worker threads) until
/// the guard drops. Nothing process-wide changes, so tests run in
/// parallel without a lock.
pub fn fake_roots(
    procfs: Option<&std::path::Path>,
    sysfs: Option<&std::path::Path>,
    cgroupfs: Option<&std::path::Path>,
) -> psutil::RootsGuard {
    let mut roots = psutil::Roots::default();
    if let Some(p) = procfs {
        roots = roots.with_procfs(p.to_str().unwrap());
    }
    if let Some(p) = sysfs {
        roots = roots.with_sysfs(p.to_str().unwrap());
    }
    if let Some(p) = cgroupfs {
        roots = roots.with_cgroupfs(p.to_str().unwrap());
    }
    roots.enter()
}

/// Runs `f` with `/proc` at `procfs` on this thread ([`fake_roots`]).
pub fn in_procfs<R>(procfs: &std::path::Path, f: impl FnOnce() -> R) -> R {
    let _roots = fake_roots(Some(procfs), None, None);
    f()
}

/// A `/proc/PID/stat` line of a sleeping process named `fake`, started at
/// tick 12345, for fake `/proc` trees.
pub fn fake_stat_line(pid: u32) -> String {
    format!(
        "{pid} (fake) S 1 {pid} {pid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 12345 1000000 100 \
         18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    )
}

/// A scratch tree for a fake root ([`tempdir`]), removed when dropped.
pub struct TempTree(pub std::path::PathBuf);

impl TempTree {
    pub fn new(tag: &str) -> TempTree {
        TempTree(tempdir(tag))
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `code` in the oracle interpreter (real psutil 7.2.2 in
/// `.venv-oracle`, a separate process: psutil and ours never share an
/// interpreter) and parses the JSON it prints on stdout.
///
/// Returns `None` (and says so) when the venv is missing, unless
/// `PSUTIL_REQUIRE_ORACLE=1` (set by `test.sh`), which makes that a failure.
pub fn oracle_json(code: &str) -> Option<serde_json::Value> {
    let py = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-oracle/bin/python");
    if !py.exists() {
        assert!(
            std::env::var("PSUTIL_REQUIRE_ORACLE").as_deref() != Ok("1"),
            "oracle venv missing: run tests/oracle/setup_venv.sh"
        );
        eprintln!("skipped: no oracle venv (tests/oracle/setup_venv.sh)");
        return None;
    }
    let out = Command::new(py)
        .arg("-c")
        .arg(format!("import json, psutil\n{code}"))
        .output()
        .expect("run oracle python");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("oracle printed JSON"))
}

/// An exclusive `flock` on `$TMPDIR/psutil-rs-NAME.lock`, held until the
/// file is dropped. nextest runs every test in its own process, where an
/// in-process mutex does not reach: tests that share machine-wide state
/// (`/var/run/utmp`, the socket tables) take one of these.
pub fn file_lock(name: &str) -> std::fs::File {
    use std::os::fd::AsRawFd;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join(format!("psutil-rs-{name}.lock")))
        .expect("open lock file");
    // SAFETY: flock on an fd we own.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock");
    f
}

/// Serializes the tests that read or write `/var/run/utmp`.
pub fn utmp_guard() -> std::fs::File {
    file_lock("utmp")
}

/// Waits until `sleep` child `pid` is asleep in its timer: past exec and
/// past the dynamic loader, which opens (and closes) library files on the
/// way. For `sleep`, interruptible sleep only happens in the timer.
pub fn wait_asleep(pid: u32) {
    wait_exec(pid, "sleep");
    assert!(
        wait_until(|| state(pid) == Some('S')),
        "child {pid} never went to sleep"
    );
}
