//! Reading `/proc`: the configurable root, reusable buffers, and psutil's
//! mapping of errno values to process errors.
//!
//! Every `/proc` file is read whole with one `read` loop into a
//! thread-local buffer, so a batch of reads allocates nothing once warm.

use super::parse;
use crate::forksafe::{Cached, SharedStr};
use crate::Error;
use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::Arc;

/// The roots; empty for the defaults (`/proc`, `/sys`).
static PROCFS_PATH: SharedStr = SharedStr::new();
static SYSFS_PATH: SharedStr = SharedStr::new();

/// Roots that take precedence over the process-wide ones on one thread
/// (`crate::Roots::enter`), without trailing slashes.
#[derive(Debug)]
pub(crate) struct ScopedRoots {
    pub(crate) procfs: String,
    pub(crate) sysfs: String,
    pub(crate) cgroupfs: String,
}

thread_local! {
    static SCOPED: RefCell<Option<Arc<ScopedRoots>>> = const { RefCell::new(None) };
}

/// This thread's scoped roots, if any (to carry into worker threads).
pub(crate) fn scoped_roots() -> Option<Arc<ScopedRoots>> {
    SCOPED.with(|s| s.borrow().clone())
}

/// Replaces this thread's scoped roots, returning the previous ones.
pub(crate) fn set_scoped_roots(roots: Option<Arc<ScopedRoots>>) -> Option<Arc<ScopedRoots>> {
    SCOPED.with(|s| s.replace(roots))
}

/// Runs `f` with `roots` as this thread's scoped roots (a worker thread
/// doing part of a call made under them), then puts the previous back.
pub(crate) fn with_scoped_roots<R>(roots: Option<Arc<ScopedRoots>>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<ScopedRoots>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            set_scoped_roots(self.0.take());
        }
    }
    let _restore = Restore(set_scoped_roots(roots));
    f()
}

/// One of this thread's scoped roots, if it has them.
pub(crate) fn scoped_root(pick: fn(&ScopedRoots) -> &String) -> Option<String> {
    SCOPED.with(|s| s.borrow().as_deref().map(|r| pick(r).clone()))
}

/// The current `/sys` root (default `/sys`).
pub(crate) fn sys_root() -> String {
    if let Some(p) = scoped_root(|r| &r.sysfs) {
        return p;
    }
    match SYSFS_PATH.get() {
        "" => "/sys".to_owned(),
        p => p.to_owned(),
    }
}

/// Sets the `/sys` root.
pub(crate) fn set_sys_root(path: &str) {
    SYSFS_PATH.set(path.trim_end_matches('/'));
}

/// The current `/proc` root (psutil's `PROCFS_PATH`).
pub(crate) fn root() -> String {
    if let Some(p) = scoped_root(|r| &r.procfs) {
        return p;
    }
    match PROCFS_PATH.get() {
        "" => "/proc".to_owned(),
        p => p.to_owned(),
    }
}

/// True while `/proc` is the live kernel's (no custom root set), so that
/// syscalls may stand in for `/proc` reads.
pub(crate) fn is_default_root() -> bool {
    if let Some(p) = scoped_root(|r| &r.procfs) {
        return p == "/proc";
    }
    matches!(PROCFS_PATH.get(), "" | "/proc")
}

/// True when `/proc` shows this process's own PID namespace (its `self`
/// link names our PID). Syscalls that take a PID (`pidfd_open`) must only
/// stand in for `/proc/PID` reads then: a `/proc` mounted from another
/// namespace numbers processes differently. Checked once.
pub(crate) fn is_own_pid_namespace() -> bool {
    // 1: another namespace, 2: ours.
    static SAME: Cached = Cached::new();
    SAME.get(|| {
        let same = std::fs::read_link("/proc/self").is_ok_and(|l| {
            l.as_os_str().as_encoded_bytes() == std::process::id().to_string().as_bytes()
        });
        1 + u64::from(same)
    }) == 2
}

/// Sets the `/proc` root.
pub(crate) fn set_root(path: &str) {
    PROCFS_PATH.set(path.trim_end_matches('/'));
}

thread_local! {
    static BUF: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(32 * 1024));
    static PATH: RefCell<String> = RefCell::new(String::with_capacity(64));
}

/// Builds `ROOT/PID/FILE` in a reused string and calls `f` with it.
pub(crate) fn with_pid_path<R>(pid: u32, file: &str, f: impl FnOnce(&str) -> R) -> R {
    let build = |s: &mut String| {
        use std::fmt::Write;
        s.clear();
        // root() without its allocation: this runs for every process read.
        let scoped = SCOPED.with(|r| r.borrow().as_ref().map(|r| s.push_str(&r.procfs)));
        if scoped.is_none() {
            s.push_str(match PROCFS_PATH.get() {
                "" => "/proc",
                p => p,
            });
        }
        let _ = write!(s, "/{pid}");
        if !file.is_empty() {
            s.push('/');
            s.push_str(file);
        }
    };
    PATH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            build(&mut s);
            f(&s)
        }
        Err(_) => {
            let mut s = String::new();
            build(&mut s);
            f(&s)
        }
    })
}

/// Reads a whole file into a reused buffer and hands the bytes to `parse`.
pub(crate) fn read_with<R>(path: &str, parse: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
    read_file(path, false, parse)
}

/// `/proc/PID` files the kernel renders in one piece: one `show()` of a
/// `single_open` seq file, or the argument/environment area copied in one
/// go. For these a short read is the end of the file.
fn is_single_record(file: &str) -> bool {
    matches!(
        file,
        "stat" | "statm" | "status" | "io" | "cmdline" | "environ" | "smaps_rollup"
    ) || file.starts_with("fdinfo/")
        || (file.starts_with("task/") && file.ends_with("/stat"))
}

fn read_file<R>(path: &str, single_record: bool, parse: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
    let mut file = File::open(path)?;
    BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            read_all(&mut file, &mut buf, single_record)?;
            Ok(parse(&buf))
        }
        Err(_) => {
            let mut buf = Vec::with_capacity(4096);
            read_all(&mut file, &mut buf, single_record)?;
            Ok(parse(&buf))
        }
    })
}

/// Reads `file` to its end into `buf` (cleared first), without the
/// `fstat` + `lseek` that `read_to_end` adds to every file.
///
/// Multi-record seq files (`smaps`, `maps`, `net/tcp`) return about a page
/// per `read` whatever the buffer size, so only `single_record` files may
/// stop at a short read; the rest read until `read` returns 0.
fn read_all(file: &mut File, buf: &mut Vec<u8>, single_record: bool) -> io::Result<()> {
    fill(file.as_fd(), buf, single_record, false)
}

/// [`read_all`] of a single-record file from offset 0 with `pread`.
fn pread_all(fd: BorrowedFd<'_>, buf: &mut Vec<u8>) -> io::Result<()> {
    fill(fd, buf, true, true)
}

/// Reads `fd` into `buf` (cleared first) with `read` at its position, or
/// with `pread` from offset 0 when `positioned`.
fn fill(
    fd: BorrowedFd<'_>,
    buf: &mut Vec<u8>,
    single_record: bool,
    positioned: bool,
) -> io::Result<()> {
    buf.clear();
    loop {
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(buf.capacity().max(4096));
        }
        let offset = libc::off_t::try_from(buf.len()).unwrap_or(libc::off_t::MAX);
        let spare = buf.spare_capacity_mut();
        let want = spare.len();
        let ptr = spare.as_mut_ptr().cast();
        let n = loop {
            // SAFETY: `read`/`pread` write at most `want` bytes into the
            // spare capacity, and only the `n` bytes they report are marked
            // initialized below.
            let rc = unsafe {
                if positioned {
                    libc::pread(fd.as_raw_fd(), ptr, want, offset)
                } else {
                    libc::read(fd.as_raw_fd(), ptr, want)
                }
            };
            if rc >= 0 {
                break rc as usize;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        // SAFETY: the kernel initialized `n <= want` bytes.
        unsafe { buf.set_len(buf.len() + n) };
        if n == 0 || (single_record && n < want) {
            return Ok(());
        }
    }
}

/// Reads `ROOT/PID/FILE` and parses it; raw I/O errors.
pub(crate) fn read_pid_file<R>(
    pid: u32,
    file: &str,
    parse: impl FnOnce(&[u8]) -> R,
) -> io::Result<R> {
    with_pid_path(pid, file, |path| {
        read_file(path, is_single_record(file), parse)
    })
}

/// A descriptor the library keeps open between calls, with the identity
/// (device, inode) of what it was opened on.
///
/// The program may close descriptors it does not know about (a daemon
/// closing everything after `fork`, `close_range`), and the number can
/// then name one of its own files. So the identity is checked before each
/// use, and a descriptor that no longer is ours is forgotten, never read
/// or closed.
pub(crate) struct KeptFile {
    fd: std::mem::ManuallyDrop<std::os::fd::OwnedFd>,
    id: (u64, u64),
}

impl KeptFile {
    /// Keeps `fd`; `None` if it cannot be identified.
    pub(crate) fn new(fd: std::os::fd::OwnedFd) -> Option<KeptFile> {
        let st = rustix::fs::fstat(&fd).ok()?;
        Some(KeptFile {
            id: (st.st_dev, st.st_ino),
            fd: std::mem::ManuallyDrop::new(fd),
        })
    }

    /// The descriptor, if it still is the file it was opened on.
    pub(crate) fn get(&self) -> Option<BorrowedFd<'_>> {
        let st = rustix::fs::fstat(&*self.fd).ok()?;
        ((st.st_dev, st.st_ino) == self.id).then(|| self.fd.as_fd())
    }
}

impl Drop for KeptFile {
    fn drop(&mut self) {
        if self.get().is_some() {
            // SAFETY: dropped once, here; the descriptor was checked to
            // still be the one this value opened.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.fd) };
        }
    }
}

/// Reads the single-record file `ROOT/PID/FILE` through `kept`, a
/// descriptor its caller keeps open across reads of one process (a
/// monitor's handle re-reading `stat` every pass): one `fstat` + `pread`
/// instead of `open`, `read` and `close`. The descriptor is opened on the
/// first read, and again when the kept one fails (the process was reaped:
/// the path then fails or finds whoever reused the PID). It is not kept
/// once this process's descriptors are within 64 of its `RLIMIT_NOFILE`:
/// the program's own files come first.
pub(crate) fn read_pid_file_kept<R>(
    kept: &mut Option<KeptFile>,
    pid: u32,
    file: &str,
    parse: impl FnOnce(&[u8]) -> R,
) -> io::Result<R> {
    BUF.with(|b| {
        let Ok(mut buf) = b.try_borrow_mut() else {
            return read_pid_file(pid, file, parse);
        };
        if let Some(fd) = kept.as_ref().and_then(KeptFile::get) {
            if pread_all(fd, &mut buf).is_ok() {
                return Ok(parse(&buf));
            }
        }
        *kept = None;
        let mut f = with_pid_path(pid, file, |p| File::open(p))?;
        read_all(&mut f, &mut buf, true)?;
        if u64::try_from(f.as_raw_fd()).is_ok_and(|n| n.saturating_add(64) < nofile_limit()) {
            *kept = KeptFile::new(f.into());
        }
        Ok(parse(&buf))
    })
}

/// The soft `RLIMIT_NOFILE`, read once a second at most (a program may
/// raise it while it runs).
fn nofile_limit() -> u64 {
    thread_local! {
        static LIMIT: std::cell::Cell<(u64, Option<std::time::Instant>)> =
            const { std::cell::Cell::new((0, None)) };
    }
    LIMIT.with(|c| {
        let (limit, at) = c.get();
        if at.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(1)) {
            return limit;
        }
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .unwrap_or(u64::MAX);
        c.set((limit, Some(std::time::Instant::now())));
        limit
    })
}

/// Reads `ROOT/FILE` (e.g. `stat`, `meminfo`).
pub(crate) fn read_root_file<R>(file: &str, parse: impl FnOnce(&[u8]) -> R) -> Result<R, Error> {
    let path = format!("{}/{file}", root());
    read_with(&path, parse).map_err(|e| Error::io(path, e))
}

/// Reads `SYSROOT/FILE` (e.g. `class/hwmon/hwmon0/name`) whole.
pub(crate) fn read_sys_file<R>(file: &str, parse: impl FnOnce(&[u8]) -> R) -> Result<R, Error> {
    let path = format!("{}/{file}", sys_root());
    read_with(&path, parse).map_err(|e| Error::io(path, e))
}

/// Lists the numeric entries of the `/proc` root, sorted (psutil's `pids()`).
pub(crate) fn pids() -> Result<Vec<u32>, Error> {
    let root = root();
    let dir = rustix::fs::open(
        root.as_str(),
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .map_err(|e| Error::io(root.clone(), e.into()))?;
    let mut pids = Vec::with_capacity(512);
    for_each_numeric(dir.as_fd(), |n| {
        if let Ok(pid) = u32::try_from(n) {
            pids.push(pid);
        }
    })
    .map_err(|e| Error::io(root, e))?;
    pids.sort_unstable();
    Ok(pids)
}

/// The backend of [`crate::process::StatScan`]: `PID/stat` of every
/// process, opened relative to a kept descriptor of the `/proc` directory
/// (a shorter path walk per open than `/proc/PID/stat`), the directory
/// listed again at each pass, buffers reused.
pub(crate) struct StatScanner {
    dir: rustix::fd::OwnedFd,
    root: String,
    pids: Vec<u32>,
    path: String,
}

impl StatScanner {
    pub(crate) fn open() -> Result<StatScanner, Error> {
        let root = root();
        let dir = rustix::fs::open(
            root.as_str(),
            rustix::fs::OFlags::RDONLY
                | rustix::fs::OFlags::DIRECTORY
                | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .map_err(|e| Error::io(root.clone(), e.into()))?;
        Ok(StatScanner {
            dir,
            root,
            pids: Vec::new(),
            path: String::with_capacity(24),
        })
    }

    /// Calls `f` with each process's parsed `stat`, by ascending PID; a
    /// process gone or unreadable between the listing and the read, or
    /// with a malformed line, is skipped.
    pub(crate) fn for_each(&mut self, mut f: impl FnMut(parse::stat::Stat)) -> Result<(), Error> {
        let StatScanner {
            dir,
            root,
            pids,
            path,
        } = self;
        let listed = rustix::fs::seek(&*dir, rustix::fs::SeekFrom::Start(0))
            .map_err(io::Error::from)
            .and_then(|_| {
                pids.clear();
                for_each_numeric(dir.as_fd(), |n| {
                    if let Ok(pid) = u32::try_from(n) {
                        pids.push(pid);
                    }
                })
            });
        listed.map_err(|e| Error::io(root.clone(), e))?;
        pids.sort_unstable();
        for &pid in pids.iter() {
            use std::fmt::Write;
            path.clear();
            let _ = write!(path, "{pid}/stat");
            let Ok(fd) = rustix::fs::openat(
                &*dir,
                path.as_str(),
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            ) else {
                continue;
            };
            let mut file = File::from(fd);
            let stat = BUF.with(|cell| match cell.try_borrow_mut() {
                Ok(mut buf) => {
                    read_all(&mut file, &mut buf, true).map(|()| parse::stat::parse(&buf))
                }
                Err(_) => {
                    let mut buf = Vec::with_capacity(1024);
                    read_all(&mut file, &mut buf, true).map(|()| parse::stat::parse(&buf))
                }
            });
            if let Ok(Some(stat)) = stat {
                f(stat);
            }
        }
        Ok(())
    }
}

thread_local! {
    static DIR_BUF: RefCell<Vec<MaybeUninit<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Calls `f` with every entry of the open directory `dir` whose name is a
/// decimal number (PIDs in `/proc`, descriptors in `/proc/PID/fd`).
///
/// `getdents64` straight into a reused 64 KiB buffer: one call lists a
/// few thousand entries, and no entry is allocated or reopened.
pub(crate) fn for_each_numeric(dir: BorrowedFd<'_>, mut f: impl FnMut(u64)) -> io::Result<()> {
    for_each_name(dir, |name| {
        if let Some(n) = parse::parse_u64(name) {
            f(n);
        }
    })
}

/// Calls `f` with the name of every entry of the open directory `dir`,
/// `.` and `..` included, read as [`for_each_numeric`] does.
fn for_each_name(dir: BorrowedFd<'_>, mut f: impl FnMut(&[u8])) -> io::Result<()> {
    const SIZE: usize = 64 * 1024;
    let mut walk = |buf: &mut Vec<MaybeUninit<u8>>| -> io::Result<()> {
        if buf.len() < SIZE {
            buf.resize(SIZE, MaybeUninit::uninit());
        }
        let mut entries = rustix::fs::RawDir::new(dir, buf);
        while let Some(entry) = entries.next() {
            f(entry?.file_name().to_bytes());
        }
        Ok(())
    };
    DIR_BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => walk(&mut buf),
        Err(_) => walk(&mut Vec::new()),
    })
}

/// Opens the directory at `path` and calls `f` with every entry's name
/// (`.` and `..` included).
pub(crate) fn for_each_entry(path: &str, f: impl FnMut(&[u8])) -> io::Result<()> {
    let dir = rustix::fs::open(
        path,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    for_each_name(dir.as_fd(), f)
}

/// `btime` of `/proc/stat`: boot time in seconds since the epoch.
pub(crate) fn boot_time() -> Result<f64, Error> {
    read_root_file("stat", |data| {
        data.split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(b"btime "))
            .and_then(|v| parse::parse_u64(v.trim_ascii()))
    })?
    .map(|v| v as f64)
    .ok_or_else(|| {
        Error::io(
            format!("{}/stat", root()),
            io::Error::other("no btime line"),
        )
    })
}

/// `sysconf(_SC_CLK_TCK)`, asked once: the one source of the tick rate
/// (100 if the answer makes no sense).
///
/// Not `rustix::param::clock_ticks_per_second`: like `page_size` below it
/// reads the auxiliary vector and faults under valgrind (checked with
/// rustix 1.1.6 and `valgrind --tool=callgrind`).
pub(crate) fn clock_ticks_per_second() -> u64 {
    static TICKS: Cached = Cached::new();
    TICKS.get(|| {
        // SAFETY: sysconf has no preconditions.
        let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        u64::try_from(n).ok().filter(|&n| n > 0).unwrap_or(100)
    })
}

/// [`clock_ticks_per_second`] as a divisor.
pub(crate) fn clock_ticks() -> f64 {
    clock_ticks_per_second() as f64
}

/// `sysconf(_SC_PAGESIZE)`, asked once (it cannot change while we run).
///
/// Not `rustix::param::page_size`: that walks the auxiliary vector and
/// validates the vDSO's ELF header, which faults under valgrind.
pub(crate) fn page_size() -> u64 {
    static PAGE: Cached = Cached::new();
    PAGE.get(|| {
        // SAFETY: sysconf has no preconditions.
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        u64::try_from(n).ok().filter(|&n| n > 0).unwrap_or(4096)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_entries_across_several_getdents_calls() {
        let dir = std::env::temp_dir().join(format!("psutil-getdents-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // ~3,000 entries need more than one 64 KiB getdents64 buffer.
        for n in 0..3000u32 {
            std::fs::write(dir.join(n.to_string()), b"").unwrap();
        }
        for odd in ["abc", ".hidden", "12x", "-1"] {
            std::fs::write(dir.join(odd), b"").unwrap();
        }
        let fd = rustix::fs::open(
            &dir,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
            rustix::fs::Mode::empty(),
        )
        .unwrap();
        let mut seen = Vec::new();
        for_each_numeric(fd.as_fd(), |n| seen.push(n)).unwrap();
        seen.sort_unstable();
        assert_eq!(seen, (0..3000).collect::<Vec<u64>>());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Field 10 of `stat`, `minflt`, read through `kept`.
    fn minflt(kept: &mut Option<KeptFile>, pid: u32) -> u64 {
        read_pid_file_kept(kept, pid, "stat", |d| {
            let d = &d[d.iter().rposition(|&c| c == b')').unwrap() + 2..];
            let f: Vec<&[u8]> = d.split(|&c| c == b' ').collect();
            parse::parse_u64(f[7]).unwrap()
        })
        .unwrap()
    }

    #[test]
    fn kept_file_is_read_fresh() {
        let me = std::process::id();
        let mut kept = None;
        let before = minflt(&mut kept, me);
        let fd = kept
            .as_ref()
            .and_then(KeptFile::get)
            .map(|fd| fd.as_raw_fd());
        assert!(fd.is_some(), "the first read keeps the file");
        // Fault in new pages: minflt must grow, so the kept descriptor does
        // not serve the first rendering again.
        let mut v = vec![0u8; 64 << 20];
        for i in (0..v.len()).step_by(4096) {
            v[i] = 1;
        }
        std::hint::black_box(&v);
        assert!(minflt(&mut kept, me) > before);
        assert_eq!(
            kept.as_ref()
                .and_then(KeptFile::get)
                .map(|fd| fd.as_raw_fd()),
            fd
        );
    }

    #[test]
    fn a_kept_descriptor_closed_behind_our_back_is_neither_read_nor_closed() {
        let me = std::process::id();
        let prefix = format!("{me} (");
        let mut kept = None;
        let mut stat = || {
            read_pid_file_kept(&mut kept, me, "stat", |d| d.starts_with(prefix.as_bytes())).unwrap()
        };
        assert!(stat());
        let fd = kept.as_ref().map(|f| f.fd.as_raw_fd()).expect("kept");
        // The program closes that number and opens a file of its own on it.
        let other = File::open("/proc/self/cmdline").unwrap();
        // SAFETY: dup2 onto a descriptor only `kept` uses, as a program that
        // closes every descriptor and opens new ones would.
        assert_eq!(unsafe { libc::dup2(other.as_raw_fd(), fd) }, fd);
        let mut stat = || {
            read_pid_file_kept(&mut kept, me, "stat", |d| d.starts_with(prefix.as_bytes())).unwrap()
        };
        assert!(stat(), "the program's file was read as stat");
        drop(kept);
        // SAFETY: F_GETFD only queries; then the test closes what it made.
        unsafe {
            assert_ne!(
                libc::fcntl(fd, libc::F_GETFD),
                -1,
                "the program's file was closed"
            );
            libc::close(fd);
        }
    }

    #[test]
    fn kept_file_of_a_reaped_process_is_let_go() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut kept = None;
        assert!(read_pid_file_kept(&mut kept, pid, "stat", |d| d.len()).unwrap() > 0);
        assert!(kept.is_some());
        child.kill().unwrap();
        child.wait().unwrap();
        let err = read_pid_file_kept(&mut kept, pid, "stat", |d| d.len()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT), "{err}");
        assert!(kept.is_none());
    }

    #[test]
    fn proc_is_our_pid_namespace() {
        assert!(is_own_pid_namespace());
    }

    #[test]
    fn pids_are_sorted_and_include_ours() {
        let pids = pids().unwrap();
        assert!(pids.windows(2).all(|w| w[0] < w[1]));
        assert!(pids.contains(&std::process::id()));
    }
}
