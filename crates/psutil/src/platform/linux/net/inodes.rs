//! Which process holds which socket: the `socket:[INODE]` links under
//! `/proc/PID/fd`, each read once per call.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};

use rustix::fs::{Mode, OFlags, CWD};

use crate::parallel;
use crate::platform::imp::{parse, procfs};
use crate::Result;

/// The holder of one socket: psutil keeps the last PID that has it (PIDs
/// are walked in ascending order) and every fd of that PID, in directory
/// order.
#[derive(Debug, Clone)]
pub(crate) struct Owner {
    pub pid: u32,
    /// The holder's start time (clock ticks after boot), when the walk
    /// read it.
    pub start_ticks: Option<u64>,
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

    /// Adds the sockets of one process. Entries from an earlier (lower) PID
    /// are replaced, as psutil's `dict.update` does.
    fn add_process(&mut self, pid: u32, start_ticks: Option<u64>, found: &[(u64, i32)]) {
        for &(inode, fd) in found {
            match self.map.get_mut(&inode) {
                Some(o) if o.pid == pid => o.more.push(fd),
                _ => {
                    self.map.insert(
                        inode,
                        Owner {
                            pid,
                            start_ticks,
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

/// Descriptor tables at least this long have their links read in chunks
/// shared by every thread: one process holding thousands of sockets would
/// otherwise keep one thread busy long after the others are done.
const LONG_TABLE: usize = 512;
/// Links per chunk of a long table.
const CHUNK: usize = 256;
/// PIDs per unit of the walk.
const BLOCK: usize = 64;

/// Opens `/proc/PID/fd` and lists its descriptor numbers, in directory
/// order.
fn list_fds(pid: u32) -> io::Result<(OwnedFd, Vec<i32>)> {
    let dir = procfs::with_pid_path(pid, "fd", |p| {
        rustix::fs::openat(
            CWD,
            p,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
    })?;
    let mut names = Vec::new();
    procfs::for_each_numeric(dir.as_fd(), |n| {
        if let Ok(num) = i32::try_from(n) {
            names.push(num);
        }
    })?;
    Ok((dir, names))
}

/// The start time of the process whose `/proc/PID/fd` is `dir`, read as
/// `dir/../stat`: the lookup goes through the directory already open, so
/// it names the same process even if the PID was reused since (a gone
/// process gives `None`).
fn start_ticks(dir: &OwnedFd) -> Option<u64> {
    let stat = rustix::fs::openat(
        dir,
        "../stat",
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut buf = [0u8; 1024];
    let mut len = 0;
    while len < buf.len() {
        match rustix::io::read(&stat, &mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return None,
        }
    }
    parse::stat::parse_identity(&buf[..len]).map(|(_, start)| start)
}

/// The sockets among the links `names` of `dir`, in order; a long table
/// is read in chunks on up to `threads` threads (the caller's included).
fn read_table(dir: &OwnedFd, names: &[i32], threads: usize) -> io::Result<Vec<(u64, i32)>> {
    if names.len() < LONG_TABLE || threads <= 1 {
        return read_links(dir.as_raw_fd(), names);
    }
    let chunks: Vec<&[i32]> = names.chunks(CHUNK).collect();
    let parts = parallel::map_units(chunks.len(), threads, |i| {
        read_links(dir.as_raw_fd(), chunks[i])
    });
    let mut found = Vec::new();
    for part in parts {
        found.extend(part?);
    }
    Ok(found)
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

/// What the first pass of [`all_inodes`] found in one process.
enum Found {
    /// Its sockets, links read, and its start time.
    Sockets(Vec<(u64, i32)>, Option<u64>),
    /// A long table, its links left for the second pass.
    Long { dir: OwnedFd, names: Vec<i32> },
}

/// Sockets of every process, each holder with its start time. Processes
/// that cannot be read or that vanish are skipped silently (their sockets
/// get no owner), as in psutil.
///
/// This is one `readlink` per descriptor of every process, almost all of
/// it kernel time, so it runs on up to `threads` threads (the caller's
/// included) in two passes: blocks
/// of PIDs are listed (and short tables read) by whichever thread is free;
/// then the long tables' links are read in chunks the same way. Owners are
/// recorded in PID order, so a higher PID's claim on a shared socket
/// overrides a lower one's, psutil's rule.
pub(crate) fn all_inodes(threads: usize) -> Result<Owners> {
    let pids = procfs::pids()?;
    let blocks = parallel::map_units(pids.len().div_ceil(BLOCK), threads, |b| {
        let mut found = Vec::new();
        for &pid in &pids[b * BLOCK..pids.len().min((b + 1) * BLOCK)] {
            let Ok((dir, names)) = list_fds(pid) else {
                continue;
            };
            if names.len() >= LONG_TABLE {
                found.push((pid, Found::Long { dir, names }));
            } else if let Ok(sockets) = read_links(dir.as_raw_fd(), &names) {
                if !sockets.is_empty() {
                    found.push((pid, Found::Sockets(sockets, start_ticks(&dir))));
                }
            }
        }
        found
    });
    let longs: Vec<(&OwnedFd, &[i32])> = blocks
        .iter()
        .flatten()
        .filter_map(|(_, f)| match f {
            Found::Long { dir, names } => Some((dir, names.as_slice())),
            Found::Sockets(..) => None,
        })
        .collect();
    let chunks: Vec<(usize, &[i32])> = longs
        .iter()
        .enumerate()
        .flat_map(|(t, (_, names))| names.chunks(CHUNK).map(move |c| (t, c)))
        .collect();
    let read = parallel::map_units(chunks.len(), threads, |i| {
        let (t, names) = chunks[i];
        read_links(longs[t].0.as_raw_fd(), names)
    });
    // A long table whose reading failed is skipped, like a short one.
    let mut long_sockets: Vec<Option<Vec<(u64, i32)>>> = vec![Some(Vec::new()); longs.len()];
    for (&(t, _), part) in chunks.iter().zip(read) {
        match (part, &mut long_sockets[t]) {
            (Ok(v), Some(acc)) => acc.extend(v),
            (Err(_), slot) => *slot = None,
            (Ok(_), None) => {}
        }
    }
    let mut long_sockets = long_sockets.into_iter();
    let mut owners = Owners::default();
    for (pid, found) in blocks.iter().flatten() {
        match found {
            Found::Sockets(s, start) => owners.add_process(*pid, *start, s),
            Found::Long { dir, .. } => {
                if let Some(Some(s)) = long_sockets.next() {
                    owners.add_process(*pid, start_ticks(dir), &s);
                }
            }
        }
    }
    Ok(owners)
}

/// Sockets of one process, read on up to `threads` threads (the caller's
/// included); errors become psutil's process exceptions.
pub(crate) fn process_inodes(pid: u32, threads: usize) -> Result<Owners> {
    let mut owners = Owners::default();
    let found = list_fds(pid)
        .and_then(|(dir, names)| read_table(&dir, &names, threads))
        .map_err(|e| {
            crate::platform::imp::errno::process_error(
                pid,
                crate::platform::imp::errno::Target::File("fd"),
                e,
            )
        })?;
    owners.add_process(pid, None, &found);
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
        let owners = process_inodes(std::process::id(), 1).unwrap();
        let num = sock.as_raw_fd();
        let owner = owners.get(inode_of(num)).expect("our socket");
        assert_eq!(owner.pid, std::process::id());
        assert_eq!(owner.fds().collect::<Vec<_>>(), vec![num]);
        assert!(owners
            .map
            .values()
            .all(|o| o.fds().all(|n| n != file.as_raw_fd())));
    }

    fn inode_of(fd: i32) -> u64 {
        std::fs::metadata(format!("/proc/self/fd/{fd}"))
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .unwrap()
    }

    /// More than `LONG_TABLE` sockets: read in chunks, by both walks.
    #[test]
    fn long_table_in_chunks() {
        use std::os::fd::AsRawFd;
        let socks: Vec<std::net::UdpSocket> = (0..LONG_TABLE + CHUNK + 7)
            .map(|_| std::net::UdpSocket::bind("127.0.0.1:0").unwrap())
            .collect();
        let me = std::process::id();
        let one = process_inodes(me, 4).unwrap();
        let caller = process_inodes(me, 1).unwrap();
        let all = all_inodes(4).unwrap();
        for s in &socks {
            let (fd, inode) = (s.as_raw_fd(), inode_of(s.as_raw_fd()));
            for owners in [&one, &caller, &all] {
                let o = owners.get(inode).expect("socket found");
                assert_eq!((o.pid, o.first_fd), (me, fd));
            }
        }
    }

    #[test]
    fn later_pid_wins() {
        let mut o = Owners::default();
        o.add_process(10, None, &[(1, 3), (2, 4), (1, 5)]);
        o.add_process(20, None, &[(2, 7), (2, 8)]);
        let a = o.get(1).unwrap();
        assert_eq!((a.pid, a.fds().collect::<Vec<_>>()), (10, vec![3, 5]));
        let b = o.get(2).unwrap();
        assert_eq!((b.pid, b.fds().collect::<Vec<_>>()), (20, vec![7, 8]));
    }
}
