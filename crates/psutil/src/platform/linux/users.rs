//! The utmp file behind `crate::users`, and user-name lookups for
//! `Process.username()`.
//!
//! psutil calls `pwd.getpwuid()` for every process; a listing of thousands
//! of processes owned by a handful of users would repeat the same NSS
//! lookup thousands of times, so names are memoized per uid.

use crate::forksafe::ForkMutex;
use crate::{Error, Result};
use std::collections::HashMap;
use std::ffi::CStr;
use std::io;
use std::path::Path;

pub(crate) use super::parse::utmp::{UtmpRecord, USER_PROCESS};

/// Every record of the utmp-format file at `path`, in file order. A
/// missing file has none (as glibc reports it); other read errors are
/// returned.
pub(crate) fn utmp_records(path: &Path) -> Result<Vec<UtmpRecord>> {
    match std::fs::read(path) {
        Ok(data) => Ok(super::parse::utmp::parse_utmp(&data)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(path, e)),
    }
}

static NAMES: ForkMutex<HashMap<u32, Option<String>>> = ForkMutex::new();

fn lookup(uid: u32) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: zeroed passwd is a valid out value for getpwuid_r.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: all pointers are valid for the given buffer length.
        let rc =
            unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: getpwuid_r succeeded, so pw_name is a NUL-terminated string in `buf`.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) };
        return Some(name.to_string_lossy().into_owned());
    }
}

/// The login name of `uid`, or the uid as text when it has no entry
/// (psutil's rule).
pub(crate) fn username(uid: u32) -> String {
    NAMES
        .lock(HashMap::new)
        .entry(uid)
        .or_insert_with(|| lookup(uid))
        .clone()
        .unwrap_or_else(|| uid.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_and_unknown() {
        assert_eq!(super::username(0), "root");
        assert_eq!(super::username(4_000_000_123), "4000000123");
    }
}
