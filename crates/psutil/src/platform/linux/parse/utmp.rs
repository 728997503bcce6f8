//! Binary utmp records (`/var/run/utmp`), glibc's `struct utmp` on 64-bit
//! Linux (x86_64, aarch64, ...): 384 bytes, native byte order.
//!
//! ```text
//! offset size field
//!      0    2 ut_type       (short; 2 bytes of padding follow)
//!      4    4 ut_pid        (pid_t)
//!      8   32 ut_line       (tty name without /dev/, NUL-padded)
//!     40    4 ut_id
//!     44   32 ut_user
//!     76  256 ut_host
//!    332    4 ut_exit       (two shorts)
//!    336    4 ut_session    (int32 on 64-bit for 32-bit compatibility)
//!    340    8 ut_tv         (two int32: seconds, microseconds)
//!    348   16 ut_addr_v6
//!    364   20 reserved
//! ```
//!
//! String fields are NUL-padded and need not be NUL-terminated when full.

/// Size of one record.
pub const RECORD_SIZE: usize = 384;
/// `ut_type` of a logged-in user's session.
pub const USER_PROCESS: i16 = 7;

const LINE: std::ops::Range<usize> = 8..40;
const ID: std::ops::Range<usize> = 40..44;
const USER: std::ops::Range<usize> = 44..76;
const HOST: std::ops::Range<usize> = 76..332;
const TV_SEC: std::ops::Range<usize> = 340..344;
const TV_USEC: std::ops::Range<usize> = 344..348;

/// One utmp record, strings decoded lossily up to the first NUL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UtmpRecord {
    /// `ut_type` (`USER_PROCESS` = 7, `DEAD_PROCESS` = 8, ...).
    pub ut_type: i16,
    /// `ut_pid`: the login process.
    pub pid: i32,
    /// `ut_line`: terminal name (`pts/0`, `tty1`), may be empty.
    pub line: String,
    /// `ut_id`: inittab id / tty suffix.
    pub id: String,
    /// `ut_user`: login name.
    pub user: String,
    /// `ut_host`: remote host, X display (`:0`) or empty.
    pub host: String,
    /// `ut_tv.tv_sec`: login time, seconds since the epoch.
    pub tv_sec: i32,
    /// `ut_tv.tv_usec`.
    pub tv_usec: i32,
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn i32_at(rec: &[u8], r: std::ops::Range<usize>) -> i32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&rec[r]);
    i32::from_ne_bytes(b)
}

/// Decodes one 384-byte record; `None` if `rec` is shorter.
pub fn parse_record(rec: &[u8]) -> Option<UtmpRecord> {
    if rec.len() < RECORD_SIZE {
        return None;
    }
    Some(UtmpRecord {
        ut_type: i16::from_ne_bytes([rec[0], rec[1]]),
        pid: i32_at(rec, 4..8),
        line: cstr(&rec[LINE]),
        id: cstr(&rec[ID]),
        user: cstr(&rec[USER]),
        host: cstr(&rec[HOST]),
        tv_sec: i32_at(rec, TV_SEC),
        tv_usec: i32_at(rec, TV_USEC),
    })
}

/// Decodes every whole record of a utmp file (a trailing partial record,
/// as `getutent` would, is ignored).
pub fn parse_utmp(data: &[u8]) -> Vec<UtmpRecord> {
    data.chunks_exact(RECORD_SIZE)
        .filter_map(parse_record)
        .collect()
}

#[cfg(test)]
/// Encodes a record in the same layout: the inverse of [`parse_record`],
/// used to build test files. Strings longer than their field are cut.
pub fn encode_record(r: &UtmpRecord) -> [u8; RECORD_SIZE] {
    let mut b = [0u8; RECORD_SIZE];
    b[0..2].copy_from_slice(&r.ut_type.to_ne_bytes());
    b[4..8].copy_from_slice(&r.pid.to_ne_bytes());
    let mut put = |range: std::ops::Range<usize>, s: &str| {
        let n = s.len().min(range.len());
        b[range.start..range.start + n].copy_from_slice(&s.as_bytes()[..n]);
    };
    put(LINE, &r.line);
    put(ID, &r.id);
    put(USER, &r.user);
    put(HOST, &r.host);
    b[TV_SEC].copy_from_slice(&r.tv_sec.to_ne_bytes());
    b[TV_USEC].copy_from_slice(&r.tv_usec.to_ne_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/system/users/utmp"
    );

    #[test]
    fn fixture_records() {
        let data = std::fs::read(FIXTURE).unwrap();
        let recs = parse_utmp(&data);
        // Eight whole records; the torn ninth is ignored.
        assert_eq!(recs.len(), 8);
        assert_eq!(recs[0].ut_type, 2);
        let alice = &recs[1];
        assert_eq!(alice.ut_type, USER_PROCESS);
        assert_eq!(
            (alice.pid, alice.line.as_str(), alice.id.as_str()),
            (1234, "pts/0", "ts/0")
        );
        assert_eq!(
            (alice.user.as_str(), alice.host.as_str()),
            ("alice", "10.0.0.5")
        );
        assert_eq!((alice.tv_sec, alice.tv_usec), (1_700_000_000, 250_000));
        // Full fields without NUL stop at the field's end.
        assert_eq!(recs[6].user, "x".repeat(32));
        assert_eq!(recs[6].host, "h".repeat(256));
    }

    #[test]
    fn encode_round_trips() {
        let r = UtmpRecord {
            ut_type: USER_PROCESS,
            pid: 42,
            line: "pts/3".into(),
            id: "ts/3".into(),
            user: "root".into(),
            host: "example.org".into(),
            tv_sec: 1_234_567_890,
            tv_usec: 5,
        };
        assert_eq!(parse_record(&encode_record(&r)), Some(r));
        assert_eq!(parse_record(&[0; 383]), None);
    }
}
