//! How the command fails: usage errors (exit 2), process errors and other
//! failures (exit 1), and output errors (a closed pipe ends quietly).

use std::io;

/// Everything a subcommand can fail with.
#[derive(Debug)]
pub enum CliError {
    /// Bad command line: printed with a hint to `--help`, exit code 2.
    Usage { cmd: String, msg: String },
    /// A psutil call failed (no such process, access denied, ...): exit 1.
    Psutil(psutil::Error),
    /// Any other failure, with its message: exit 1.
    Failed(String),
    /// Already reported on stderr (or nothing to say): just exit with code.
    Exit(u8),
    /// Writing the output failed.
    Output(io::Error),
}

impl CliError {
    pub fn usage(cmd: &str, msg: impl Into<String>) -> Self {
        CliError::Usage {
            cmd: cmd.to_string(),
            msg: msg.into(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage { .. } => 2,
            CliError::Exit(code) => *code,
            _ => 1,
        }
    }
}

impl From<psutil::Error> for CliError {
    fn from(e: psutil::Error) -> Self {
        CliError::Psutil(e)
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError::Output(e)
    }
}

/// `" (name)"` when a process name is known, else `""`.
fn name_suffix(name: &Option<String>) -> String {
    match name {
        Some(n) if !n.is_empty() => format!(" ({n})"),
        _ => String::new(),
    }
}

/// `e` and its sources joined with `": "` (as anyhow's `{:#}`): an
/// `Error::Io` says what failed, its source the operating system's reason.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}

/// A one-line, human description of a psutil error, ending with psutil's
/// exception class in parentheses.
pub fn describe(e: &psutil::Error) -> String {
    use psutil::{Error as E, GoneReason};
    match e {
        E::NoSuchProcess { pid, name, reason } => match reason {
            GoneReason::NotFound => format!("process {pid} not found (NoSuchProcess)"),
            GoneReason::PidReused => format!(
                "process {pid}{} no longer exists, its PID was reused (NoSuchProcess)",
                name_suffix(name)
            ),
            _ => format!(
                "process {pid}{} no longer exists (NoSuchProcess)",
                name_suffix(name)
            ),
        },
        E::ZombieProcess { pid, name, .. } => format!(
            "process {pid}{} is a zombie (ZombieProcess)",
            name_suffix(name)
        ),
        E::AccessDenied {
            pid: Some(pid),
            name,
            ..
        } => {
            // SAFETY: geteuid cannot fail and touches no memory.
            let root = unsafe { libc::geteuid() } == 0;
            format!(
                "access denied to process {pid}{} (AccessDenied){}",
                name_suffix(name),
                if root { "" } else { "; try as root" }
            )
        }
        E::AccessDenied { pid: None, .. } => "access denied (AccessDenied)".to_string(),
        other => format!("{} ({})", chain(other), other.kind_name()),
    }
}

/// Short form used in per-process result lists (`killall`).
pub fn short(e: &psutil::Error) -> String {
    if e.is_zombie() {
        "zombie".into()
    } else if e.is_no_such_process() {
        "no such process".into()
    } else if e.is_access_denied() {
        "access denied".into()
    } else {
        chain(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psutil::{Error, GoneReason};

    #[test]
    fn describe_goes_by_the_reason() {
        let gone = |reason| Error::NoSuchProcess {
            pid: 42,
            name: Some("x".into()),
            reason,
        };
        assert_eq!(
            describe(&gone(GoneReason::NotFound)),
            "process 42 not found (NoSuchProcess)"
        );
        assert_eq!(
            describe(&gone(GoneReason::Exited)),
            "process 42 (x) no longer exists (NoSuchProcess)"
        );
        assert_eq!(
            describe(&gone(GoneReason::PidReused)),
            "process 42 (x) no longer exists, its PID was reused (NoSuchProcess)"
        );
        let e = Error::InvalidArgument("bad".into());
        assert_eq!(describe(&e), "invalid argument: bad (ValueError)");
    }

    #[test]
    fn io_errors_show_the_os_reason_once() {
        let e = Error::Io {
            path: Some("/proc/stat".into()),
            source: std::io::Error::from_raw_os_error(13),
        };
        assert_eq!(
            describe(&e),
            "cannot access /proc/stat: Permission denied (os error 13) (OSError)"
        );
        assert_eq!(
            short(&e),
            "cannot access /proc/stat: Permission denied (os error 13)"
        );
    }
}
