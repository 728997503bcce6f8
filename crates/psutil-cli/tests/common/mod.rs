//! What the CLI's integration tests share: running the built `psutil`,
//! and the child processes to run it against ([`Kid`], the one
//! spawn-and-wait-until-ready helper; [`UniqueSleep`] for a process name
//! no other process has).

// Each test binary uses a part of this.
#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The `psutil` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_psutil");

/// Runs `code` in the oracle interpreter (real psutil 7.2.2 in
/// `.venv-oracle`, never in the same interpreter as ours) and returns what
/// it printed; `None` (and says so) when the venv is missing, a failure
/// under `PSUTIL_REQUIRE_ORACLE=1`.
pub fn oracle(code: &str) -> Option<String> {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-oracle/bin/python");
    if !py.exists() {
        assert!(
            std::env::var("PSUTIL_REQUIRE_ORACLE").as_deref() != Ok("1"),
            "oracle venv missing: run tests/oracle/setup_venv.sh"
        );
        eprintln!("skipped: no oracle venv");
        return None;
    }
    let out = Command::new(py).arg("-c").arg(code).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Runs `psutil ARGS` (stdin empty) to completion.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run psutil")
}

/// Output bytes as text (lossy).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `psutil ARGS`, which must succeed without a panic message; its
/// stdout.
pub fn ok(args: &[&str]) -> String {
    let o = run(args);
    let err = text(&o.stderr);
    assert!(
        o.status.success(),
        "psutil {args:?} failed ({:?}): {err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{err}");
    text(&o.stdout)
}

/// Like [`ok`], its stdout parsed as JSON.
pub fn ok_json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("psutil {args:?}: bad JSON {e}: {out}"))
}

/// A child process, killed and reaped when dropped.
pub struct Kid {
    pub child: Child,
}

impl Kid {
    /// Spawns `cmd` (stdio to /dev/null) and waits until it is ready: it
    /// has exec'd (its `comm` is `comm`, cut to the kernel's 15 bytes)
    /// and its new command line is set. The kernel sets comm first and
    /// the arguments a moment later (a window seen under emulation,
    /// tests/vm).
    pub fn spawn(mut cmd: Command, comm: &str) -> Kid {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // A freshly copied executable can briefly be "busy" (ETXTBSY)
        // while another test thread forks with the copy's write descriptor
        // still inherited (until its exec): retry.
        let mut tries = 0;
        let child = loop {
            match cmd.spawn() {
                Ok(c) => break c,
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("cannot run {:?}: {e}", cmd.get_program()),
            }
        };
        let kid = Kid { child };
        kid.wait_ready(comm);
        kid
    }

    /// `sleep 600`.
    pub fn sleep() -> Kid {
        let mut cmd = Command::new("sleep");
        cmd.arg("600");
        Kid::spawn(cmd, "sleep")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `secs` for the child to end; its exit status.
    pub fn wait_exit(&mut self, secs: u64) -> Option<ExitStatus> {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(secs) {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn wait_ready(&self, comm: &str) {
        let pid = self.pid();
        let deadline = Instant::now() + Duration::from_secs(10);
        let want: String = comm.chars().take(15).collect();
        while Instant::now() < deadline {
            if let Ok(c) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
                let args = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                if c.trim_end() == want && !args.is_empty() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("process {pid} never became {comm}");
    }
}

impl Drop for Kid {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private copy of `sleep` under a name no other process has (short
/// enough for `comm` to show it whole), in a directory of its own that is
/// removed on drop.
pub struct UniqueSleep {
    dir: PathBuf,
    pub exe: PathBuf,
    pub name: String,
}

impl UniqueSleep {
    pub fn new() -> UniqueSleep {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "pst{}x{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let dir = std::env::temp_dir().join(format!("psutil-cli-test-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        let exe = dir.join(&name);
        std::fs::copy(sleep_path(), &exe).unwrap();
        UniqueSleep { dir, exe, name }
    }

    /// Runs the copy as `NAME 600`, ready.
    pub fn start(&self) -> Kid {
        let mut cmd = Command::new(&self.exe);
        cmd.arg0(&self.name).arg("600");
        Kid::spawn(cmd, &self.name)
    }
}

impl Drop for UniqueSleep {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn sleep_path() -> &'static Path {
    ["/usr/bin/sleep", "/bin/sleep"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .expect("no sleep binary")
}
