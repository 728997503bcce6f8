//! Logged-in users: psutil's `users()`, read from the utmp file.
//!
//! psutil asks glibc (`getutxent`), which reads `/var/run/utmp`. Here the
//! binary records are decoded directly (glibc's 384-byte `struct utmp` of
//! 64-bit Linux), so no global libc cursor is involved and another file can
//! be read with [`users_from`].

use std::path::Path;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::platform::imp::users::{self as imp, UtmpRecord, USER_PROCESS};
use crate::Result;

/// glibc's `_PATH_UTMP`, the file psutil's `users()` ends up reading.
pub const UTMP_PATH: &str = "/var/run/utmp";

/// psutil's `suser`: one login session.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct User {
    /// Login name (`ut_user`).
    pub name: String,
    /// Terminal (`ut_line`, e.g. `pts/0`), `None` when empty.
    pub terminal: Option<String>,
    /// Remote host (`ut_host`); `"localhost"` for local logins (an empty
    /// host or the X displays `:0` / `:0.0`), as psutil does. Always
    /// `Some` on Linux.
    pub host: Option<String>,
    /// Login time, seconds since the epoch (`ut_tv.tv_sec`, whole seconds).
    pub started: f64,
    /// PID of the login process (`ut_pid`).
    pub pid: u32,
}

impl User {
    fn from_record(r: UtmpRecord) -> User {
        let host = if r.host.is_empty() || r.host == ":0" || r.host == ":0.0" {
            "localhost".to_owned()
        } else {
            r.host
        };
        User {
            name: r.user,
            terminal: (!r.line.is_empty()).then_some(r.line),
            host: Some(host),
            started: f64::from(r.tv_sec),
            pid: u32::try_from(r.pid).unwrap_or(0),
        }
    }
}

/// psutil's `users()`: the `USER_PROCESS` entries of [`UTMP_PATH`], in file
/// order. A missing utmp file means nobody is logged in (an empty list, as
/// glibc reports it).
///
/// # Errors
///
/// As [`users_from`].
///
/// # Examples
///
/// ```
/// // Empty when nobody is logged in (or there is no utmp file, as in most containers).
/// for u in psutil::users::users()? {
///     println!("{} on {:?} from {:?} since {} (pid {})", u.name, u.terminal, u.host, u.started, u.pid);
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn users() -> Result<Vec<User>> {
    users_from(UTMP_PATH)
}

/// [`users()`] for another utmp-format file (e.g. a copy, or a test
/// fixture). A missing file gives an empty list; other read errors are
/// returned.
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when the file exists but cannot be read
/// (e.g. `PermissionDenied`). A missing file is an empty list, and truncated
/// records are skipped.
pub fn users_from(path: impl AsRef<Path>) -> Result<Vec<User>> {
    Ok(imp::utmp_records(path.as_ref())?
        .into_iter()
        .filter(|r| r.ut_type == USER_PROCESS)
        .map(User::from_record)
        .collect())
}
