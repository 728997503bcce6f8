//! The exporter's own, lean pass over `/proc`: one `stat` read per
//! process, for the process counts and the ranking, with every buffer
//! reused from scrape to scrape.
//!
//! Why not the library's `ProcessIter`: a scrape needs five fields of
//! `stat` from every process and nothing else, and nearly all of its cost
//! is the kernel's (open, read, close of `/proc/PID/stat`). Here files are
//! opened relative to a kept `/proc` descriptor (a shorter path walk),
//! the directory is listed with `getdents64` into a kept buffer, nothing
//! is allocated per process, and the selected processes' memory, thread
//! count and start time come from that same `stat` read (`vsize` and `rss`
//! are what `statm`'s first two fields say), so only `io` and `fd` are
//! read on top for them.
//!
//! Processes that vanish between listing and reading are skipped; the
//! caller decides what a refused read means.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// The fields of `/proc/PID/stat` the exporter uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stat {
    pub pid: u32,
    /// The state letter (`R`, `S`, ...).
    pub state: u8,
    /// User and system time, clock ticks.
    pub utime: u64,
    pub stime: u64,
    pub num_threads: u64,
    /// Start time, clock ticks after boot: with the PID, the process's
    /// identity.
    pub starttime: u64,
    /// Virtual memory size, bytes (`statm` size × page size).
    pub vsize: u64,
    /// Resident pages (`statm` resident).
    pub rss_pages: u64,
}

/// Parses `stat`: the `comm` field (in parentheses, may contain anything)
/// and the fields the exporter uses. `None` if the text is malformed.
pub fn parse_stat(data: &[u8]) -> Option<(Stat, &[u8])> {
    let open = data.iter().position(|&c| c == b'(')?;
    let close = data.iter().rposition(|&c| c == b')')?;
    if close < open {
        return None;
    }
    let pid = parse_u64(data[..open].trim_ascii())?;
    let comm = &data[open + 1..close];
    // Fields after comm, numbered from 3 (state) as in proc(5).
    let mut f = data[close + 1..]
        .split(|&c| c == b' ')
        .filter(|s| !s.is_empty());
    let state = *f.next()?.first()?;
    let mut num = |skip: usize| -> Option<u64> { parse_u64(f.nth(skip)?.trim_ascii()) };
    // 14 utime, 15 stime, 20 num_threads, 22 starttime, 23 vsize, 24 rss.
    let utime = num(10)?;
    let stime = num(0)?;
    let num_threads = num(4)?;
    let starttime = num(1)?;
    let vsize = num(0)?;
    let rss_pages = num(0)?;
    let stat = Stat {
        pid: u32::try_from(pid).ok()?,
        state,
        utime,
        stime,
        num_threads,
        starttime,
        vsize,
        rss_pages,
    };
    Some((stat, comm))
}

fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// `read_bytes` and `write_bytes` of `/proc/PID/io`.
pub fn parse_io(data: &[u8]) -> Option<(u64, u64)> {
    let (mut r, mut w) = (None, None);
    for line in data.split(|&c| c == b'\n') {
        if let Some(v) = line.strip_prefix(b"read_bytes:") {
            r = parse_u64(v.trim_ascii());
        } else if let Some(v) = line.strip_prefix(b"write_bytes:") {
            w = parse_u64(v.trim_ascii());
        }
    }
    Some((r?, w?))
}

/// A kept `/proc` directory and the buffers one pass reuses.
pub struct ProcFs {
    dir: OwnedFd,
    dents: Vec<u8>,
    buf: Vec<u8>,
    pids: Vec<u32>,
}

/// `PID/file` as a C string in a stack buffer.
struct PidPath {
    bytes: [u8; 40],
}

impl PidPath {
    fn new(pid: u32, file: &[u8]) -> PidPath {
        let mut bytes = [0u8; 40];
        let mut digits = [0u8; 10];
        let mut n = pid;
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let d = &digits[i..];
        bytes[..d.len()].copy_from_slice(d);
        bytes[d.len()] = b'/';
        let file = &file[..file.len().min(40 - d.len() - 2)];
        bytes[d.len() + 1..d.len() + 1 + file.len()].copy_from_slice(file);
        PidPath { bytes }
    }

    fn as_ptr(&self) -> *const libc::c_char {
        self.bytes.as_ptr().cast()
    }
}

impl ProcFs {
    /// Opens `root` (normally `/proc`).
    pub fn open(root: &str) -> io::Result<ProcFs> {
        let path = CString::new(root).map_err(io::Error::other)?;
        // SAFETY: a valid C string; the result is checked.
        let fd = unsafe {
            libc::open(
                path.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(ProcFs {
            // SAFETY: fd is a descriptor we just opened and own.
            dir: unsafe { OwnedFd::from_raw_fd(fd) },
            dents: vec![0; 32 * 1024],
            buf: Vec::with_capacity(4096),
            pids: Vec::new(),
        })
    }

    /// The PIDs listed in `/proc` now.
    pub fn pids(&mut self) -> io::Result<Vec<u32>> {
        let fd = self.dir.as_raw_fd();
        // SAFETY: fd is ours; rewinding a directory has no other effect.
        if unsafe { libc::lseek(fd, 0, libc::SEEK_SET) } < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut pids = std::mem::take(&mut self.pids);
        pids.clear();
        for_each_dirent(fd, &mut self.dents, |name| {
            if let Some(pid) = parse_u64(name).and_then(|p| u32::try_from(p).ok()) {
                pids.push(pid);
            }
        })?;
        Ok(pids)
    }

    /// Hands the PID list back for reuse by the next [`ProcFs::pids`].
    pub fn recycle(&mut self, pids: Vec<u32>) {
        self.pids = pids;
    }

    /// Opens `PID/file` below the kept directory.
    fn open_at(&self, pid: u32, file: &[u8], flags: libc::c_int) -> io::Result<OwnedFd> {
        let path = PidPath::new(pid, file);
        // SAFETY: path is NUL-terminated (zeroed buffer, bounded copy);
        // the result is checked.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                path.as_ptr(),
                flags | libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fd is a descriptor we just opened and own.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// The whole of `/proc/PID/file`, in a buffer reused by the next read.
    pub fn read(&mut self, pid: u32, file: &[u8]) -> io::Result<&[u8]> {
        let fd = self.open_at(pid, file, 0)?;
        self.buf.clear();
        loop {
            if self.buf.capacity() - self.buf.len() < 1024 {
                self.buf.reserve(self.buf.capacity().max(4096));
            }
            let spare = self.buf.spare_capacity_mut();
            // SAFETY: reads at most spare.len() bytes into spare.
            let n = unsafe { libc::read(fd.as_raw_fd(), spare.as_mut_ptr().cast(), spare.len()) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if n == 0 {
                break;
            }
            // SAFETY: the kernel initialised n more bytes.
            unsafe { self.buf.set_len(self.buf.len() + n as usize) };
        }
        Ok(&self.buf)
    }

    /// Entries in `/proc/PID/fd` (psutil's `num_fds()`).
    pub fn count_fds(&mut self, pid: u32) -> io::Result<usize> {
        let fd = self.open_at(pid, b"fd", libc::O_DIRECTORY)?;
        let mut n = 0;
        for_each_dirent(fd.as_raw_fd(), &mut self.dents, |name| {
            if name != b"." && name != b".." {
                n += 1;
            }
        })?;
        Ok(n)
    }
}

/// Calls `f` with the name of every entry of the open directory `fd`.
fn for_each_dirent(fd: libc::c_int, buf: &mut [u8], mut f: impl FnMut(&[u8])) -> io::Result<()> {
    loop {
        // SAFETY: the kernel writes at most buf.len() bytes into buf.
        let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Ok(());
        }
        let data = &buf[..n as usize];
        let mut off = 0;
        // struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name.
        while off + 19 < data.len() {
            let reclen = usize::from(u16::from_ne_bytes([data[off + 16], data[off + 17]]));
            if reclen == 0 || off + reclen > data.len() {
                break;
            }
            let name = &data[off + 19..off + reclen];
            let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
            f(&name[..end]);
            off += reclen;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat() {
        let line = b"1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 \
                     250 75 0 0 20 0 3 0 98765 123456789 42 18446744073709551615 \
                     1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        let (s, comm) = parse_stat(line).unwrap();
        assert_eq!(comm, b"a (weird) name");
        assert_eq!(
            s,
            Stat {
                pid: 1234,
                state: b'S',
                utime: 250,
                stime: 75,
                num_threads: 3,
                starttime: 98765,
                vsize: 123456789,
                rss_pages: 42,
            }
        );
        assert!(parse_stat(b"12 (x) S 1 2").is_none());
        assert!(parse_stat(b"garbage").is_none());
    }

    #[test]
    fn parses_io() {
        let io = b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\n\
                   write_bytes: 8192\ncancelled_write_bytes: 0\n";
        assert_eq!(parse_io(io), Some((4096, 8192)));
        assert_eq!(parse_io(b"rchar: 1\n"), None);
    }

    #[test]
    fn pid_paths() {
        let p = PidPath::new(4194304, b"stat");
        assert_eq!(&p.bytes[..13], b"4194304/stat\0");
        let p = PidPath::new(0, b"fd");
        assert_eq!(&p.bytes[..5], b"0/fd\0");
    }

    #[test]
    fn reads_this_process() {
        let mut fs = ProcFs::open("/proc").unwrap();
        let me = std::process::id();
        assert!(fs.pids().unwrap().contains(&me));
        let (s, _) = parse_stat(fs.read(me, b"stat").unwrap())
            .map(|(s, c)| (s, c.to_vec()))
            .unwrap();
        assert_eq!(s.pid, me);
        assert!(s.num_threads >= 1 && s.rss_pages > 0);
        let fds = fs.count_fds(me).unwrap();
        assert!(fds >= 3, "{fds}");
        assert!(fs.read(u32::MAX, b"stat").is_err());
    }
}
