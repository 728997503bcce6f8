//! Which process holds which socket: the `socket:[INODE]` links under
//! `/proc/PID/fd`, each read once per call.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};

use rustix::fs::{Mode, OFlags, CWD};

use crate::platform::imp::procfs;
use crate::Result;

/// The holder of one socket: psutil keeps the last PID that has it (PIDs
/// are walked in ascending order) and every fd of that PID, in directory
/// order.
#[derive(Debug, Clone)]
pub(crate) struct Owner {
    pub pid: u32,
    pub first_fd: i32,
    more: Vec<i32>,
}

impl Owner {
    /// Every fd of the owner that refers to the socket.
    pub fn fds(&self) -> impl Iterator<Item = i32> + '_ {
        std::iter::once(self.first_fd).chain(self.more.iter().copied())
    }
}

/// Socket inode → owner.
#[derive(Debug, Default)]
pub(crate) struct Owners {
    map: HashMap<u64, Owner>,
}

impl Owners {
    pub fn get(&self, inode: u64) -> Option<&Owner> {
        self.map.get(&inode)
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds the owners found in a range of higher PIDs: they win.
    fn merge_higher(&mut self, upper: Owners) {
        self.map.extend(upper.map);
    }

    /// Adds the sockets of one process. Entries from an earlier (lower) PID
    /// are replaced, as psutil's `dict.update` does.
    fn add_process(&mut self, pid: u32, found: &[(u64, i32)]) {
        for &(inode, fd) in found {
            match self.map.get_mut(&inode) {
                Some(o) if o.pid == pid => o.more.push(fd),
                _ => {
                    self.map.insert(
                        inode,
                        Owner {
                            pid,
                            first_fd: fd,
                            more: Vec::new(),
                        },
                    );
                }
            }
        }
    }
}

/// Parses `socket:[12345]`.
fn socket_inode(link: &[u8]) -> Option<u64> {
    let rest = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    super::super::parse::parse_u64(rest)
}

/// Reads the link of descriptor `num` in the fd directory `dir`;
/// `Ok(None)` if it is not a socket.
fn read_socket_link(dir: RawFd, num: i32) -> io::Result<Option<u64>> {
    // The decimal name, NUL-terminated, built on the stack.
    let mut name = [0u8; 12];
    let mut at = name.len() - 1;
    let mut v = num.unsigned_abs();
    loop {
        at -= 1;
        name[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let mut buf = [0u8; 64];
    // SAFETY: `name[at..]` is NUL-terminated and `buf` is writable for its
    // length; readlinkat never writes more than that.
    let n = unsafe {
        libc::readlinkat(
            dir,
            name[at..].as_ptr().cast(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let n = usize::try_from(n).unwrap_or(0).min(buf.len());
    Ok(socket_inode(&buf[..n]))
}

/// Descriptor tables at least this long are read on two threads: one
/// process holding thousands of sockets dominates a `net_connections` call.
const SPLIT_FDS: usize = 1024;

/// The (inode, fd) pairs of every socket `pid` holds, in directory order.
/// Errors from listing the directory are returned; links that vanish or
/// are not links are skipped (psutil's `get_proc_inodes`).
fn scan(pid: u32, out: &mut Vec<(u64, i32)>) -> io::Result<()> {
    out.clear();
    let fd = procfs::with_pid_path(pid, "fd", |p| {
        rustix::fs::openat(
            CWD,
            p,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
    })?;
    let raw = fd.as_raw_fd();
    let mut names: Vec<i32> = Vec::new();
    procfs::for_each_numeric(fd.as_fd(), |n| {
        if let Ok(num) = i32::try_from(n) {
            names.push(num);
        }
    })?;
    if names.len() >= SPLIT_FDS {
        let (a, b) = names.split_at(names.len() / 2);
        let (ra, rb) = std::thread::scope(|s| {
            let hb = s.spawn(|| read_links(raw, b));
            let ra = read_links(raw, a);
            (
                ra,
                hb.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        });
        out.extend(ra?);
        out.extend(rb?);
    } else {
        out.extend(read_links(raw, &names)?);
    }
    Ok(())
}

/// Reads the links `names` of the directory `dir`: the sockets among them.
fn read_links(dir: RawFd, names: &[i32]) -> io::Result<Vec<(u64, i32)>> {
    let mut found = Vec::new();
    for &num in names {
        match read_socket_link(dir, num) {
            Ok(Some(inode)) => found.push((inode, num)),
            Ok(None) => {}
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ENOENT)
                        | Some(libc::ESRCH)
                        | Some(libc::EINVAL)
                        | Some(libc::ENAMETOOLONG)
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

/// Sockets of every process. Processes that cannot be read or that vanish
/// are skipped silently (their sockets get no owner), as in psutil.
///
/// The walk is one `readlink` per descriptor of every process, almost all
/// kernel time: every CPU (up to 4) takes blocks of PIDs from a shared
/// counter, and the blocks' owners are merged in PID order so that a
/// higher PID's claim overrides a lower one's, psutil's rule.
pub(crate) fn all_inodes() -> Result<Owners> {
    const BLOCK: usize = 64;
    let pids = procfs::pids()?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    if pids.len() < 2 * BLOCK || threads == 1 {
        return Ok(walk(&pids));
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(BLOCK, Ordering::Relaxed);
            if start >= pids.len() {
                return done;
            }
            done.push((start, walk(&pids[start..pids.len().min(start + BLOCK)])));
        }
    };
    let mut blocks = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(worker)).collect();
        let mut all = worker();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    blocks.sort_unstable_by_key(|&(start, _)| start);
    let mut owners = Owners::default();
    for (_, upper) in blocks {
        owners.merge_higher(upper);
    }
    Ok(owners)
}

/// The owners of the sockets of `pids`, walked in order.
fn walk(pids: &[u32]) -> Owners {
    let mut owners = Owners::default();
    let mut found = Vec::new();
    for &pid in pids {
        if scan(pid, &mut found).is_ok() && !found.is_empty() {
            owners.add_process(pid, &found);
        }
    }
    owners
}

/// Sockets of one process; errors become psutil's process exceptions.
pub(crate) fn process_inodes(pid: u32) -> Result<Owners> {
    let mut owners = Owners::default();
    let mut found = Vec::new();
    scan(pid, &mut found).map_err(|e| procfs::map_err(pid, "fd", e))?;
    owners.add_process(pid, &found);
    Ok(owners)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(socket_inode(b"socket:[123]"), Some(123));
        assert_eq!(socket_inode(b"socket:[]"), None);
        assert_eq!(socket_inode(b"pipe:[123]"), None);
        assert_eq!(socket_inode(b"socket:[12"), None);
    }

    #[test]
    fn own_socket_is_found_by_descriptor_number() {
        use std::os::fd::AsRawFd;
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let file = std::fs::File::open("/proc/self/stat").unwrap();
        let mut found = Vec::new();
        scan(std::process::id(), &mut found).unwrap();
        let num = sock.as_raw_fd();
        let inode = std::fs::metadata(format!("/proc/self/fd/{num}"))
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .unwrap();
        assert!(found.contains(&(inode, num)), "{found:?}");
        assert!(found.iter().all(|&(_, n)| n != file.as_raw_fd()));
    }

    #[test]
    fn upper_pid_range_wins_when_merged() {
        let mut low = Owners::default();
        low.add_process(10, &[(1, 3), (2, 4)]);
        let mut high = Owners::default();
        high.add_process(20, &[(2, 7)]);
        low.merge_higher(high);
        assert_eq!(low.get(1).unwrap().pid, 10);
        let b = low.get(2).unwrap();
        assert_eq!((b.pid, b.fds().collect::<Vec<_>>()), (20, vec![7]));
    }

    #[test]
    fn later_pid_wins() {
        let mut o = Owners::default();
        o.add_process(10, &[(1, 3), (2, 4), (1, 5)]);
        o.add_process(20, &[(2, 7), (2, 8)]);
        let a = o.get(1).unwrap();
        assert_eq!((a.pid, a.fds().collect::<Vec<_>>()), (10, vec![3, 5]));
        let b = o.get(2).unwrap();
        assert_eq!((b.pid, b.fds().collect::<Vec<_>>()), (20, vec![7, 8]));
    }
}
