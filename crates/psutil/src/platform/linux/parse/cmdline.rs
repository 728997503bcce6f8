//! `/proc/PID/cmdline` and `/proc/PID/environ`, proc(5).
//!
//! `cmdline` holds the arguments, each followed by a NUL byte, unless the
//! process rewrote its argument area (setproctitle(3), Chrome, postgres,
//! ...), in which case it is whatever the process wrote, often a single
//! space-separated string. It is empty for kernel threads and zombies.
//!
//! `environ` holds the initial environment as NUL-terminated `KEY=VALUE`
//! strings; a process may overwrite it, leaving garbage after the entries.
//!
//! Both are raw bytes: psutil decodes them with the filesystem encoding and
//! `surrogateescape`, so the caller decides how to turn them into strings.
//! Splitting bytes gives the same pieces as psutil splitting the decoded
//! text because UTF-8 never uses `0x00`, `0x20` or `=` inside a multi-byte
//! character.

/// Splits `/proc/PID/cmdline` into arguments as psutil's `cmdline()` does.
///
/// * Empty data gives no arguments (kernel thread; for a zombie psutil
///   raises `ZombieProcess`, which is the caller's check).
/// * The separator is NUL if the data ends with NUL, otherwise a space
///   (the process rewrote its arguments).
/// * One trailing separator is dropped, then the data is split on every
///   separator, keeping empty pieces: `a\0\0b\0` → `["a", "", "b"]`,
///   `\0` → `[""]`, `a  b` → `["a", "", "b"]`, `a b ` → `["a", "b"]`.
/// * If the separator is NUL but that gives a single argument containing a
///   space, it is split on spaces instead (setproctitle writing
///   `"prog arg1 arg2\0"`): `a b\0` → `["a", "b"]`.
///
/// With a space separator, NULs inside the data stay inside the arguments.
pub fn split_cmdline(data: &[u8]) -> Vec<Vec<u8>> {
    let Some(&last) = data.last() else {
        return Vec::new();
    };
    let sep = if last == 0 { 0 } else { b' ' };
    let body = data.strip_suffix(&[sep]).unwrap_or(data);
    let split =
        |sep: u8| -> Vec<Vec<u8>> { body.split(|&c| c == sep).map(<[u8]>::to_vec).collect() };
    let args = split(sep);
    if sep == 0 && args.len() == 1 && body.contains(&b' ') {
        return split(b' ');
    }
    args
}

/// Parses `/proc/PID/environ` as psutil's `parse_environ_block()` does,
/// returning `(key, value)` pairs in file order.
///
/// * Entries are NUL-terminated; parsing stops at the first empty entry
///   (a leading NUL or a double NUL) and at data without a final NUL, so a
///   trailing unterminated entry is dropped.
/// * The key runs up to the first `=`, the value is everything after it
///   (and may contain more `=`).
/// * An entry without `=`, or starting with `=` (empty key), is skipped.
///
/// Duplicate keys are all returned; psutil builds a dict, so the caller
/// should let the last one win.
pub fn parse_environ(data: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut env = Vec::new();
    let mut rest = data;
    while let Some(end) = rest.iter().position(|&c| c == 0) {
        if end == 0 {
            break;
        }
        let entry = &rest[..end];
        if let Some(eq) = entry.iter().position(|&c| c == b'=') {
            if eq > 0 {
                env.push((entry[..eq].to_vec(), entry[eq + 1..].to_vec()));
            }
        }
        rest = &rest[end + 1..];
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/proc/PID/cmdline` of `"/tmp/fx/my dir/sle ep" 30`.
    const SPACES: &[u8] = include_bytes!("../../../../tests/fixtures/proc/cmdline_spaces");

    fn args(data: &[u8]) -> Vec<String> {
        split_cmdline(data)
            .into_iter()
            .map(|a| String::from_utf8(a).unwrap())
            .collect()
    }

    fn env(data: &[u8]) -> Vec<(String, String)> {
        parse_environ(data)
            .into_iter()
            .map(|(k, v)| (String::from_utf8(k).unwrap(), String::from_utf8(v).unwrap()))
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn fixture_argument_with_spaces_is_kept_whole() {
        assert_eq!(args(SPACES), ["/tmp/fx/my dir/sle ep", "30"]);
    }

    #[test]
    fn nul_separated() {
        assert_eq!(
            args(b"/bin/sh\0-c\0echo hi\0"),
            ["/bin/sh", "-c", "echo hi"]
        );
        assert_eq!(args(b"init\0"), ["init"]);
        assert_eq!(args(b"a\0\0b\0"), ["a", "", "b"]);
        assert_eq!(args(b"a\0\0"), ["a", ""]);
        assert_eq!(args(b"a\0\0\0"), ["a", "", ""]);
        assert_eq!(args(b"\0"), [""]);
        assert_eq!(args(b"\0\0"), ["", ""]);
        assert_eq!(args(b"\0a\0"), ["", "a"]);
    }

    #[test]
    fn empty_is_kernel_thread() {
        assert!(split_cmdline(b"").is_empty());
    }

    #[test]
    fn space_separated_after_setproctitle() {
        // No trailing NUL: split on spaces, NULs stay inside the pieces.
        assert_eq!(
            args(b"nginx: worker process"),
            ["nginx:", "worker", "process"]
        );
        assert_eq!(args(b"a b "), ["a", "b"]);
        assert_eq!(args(b"a b  "), ["a", "b", ""]);
        assert_eq!(args(b"a  b"), ["a", "", "b"]);
        assert_eq!(args(b" a"), ["", "a"]);
        assert_eq!(args(b" "), [""]);
        assert_eq!(args(b"single"), ["single"]);
        assert_eq!(args(b"a\0b c"), ["a\0b", "c"]);
    }

    #[test]
    fn single_nul_terminated_argument_with_spaces_is_resplit() {
        assert_eq!(
            args(b"/usr/lib/chromium --type=renderer --lang=en\0"),
            ["/usr/lib/chromium", "--type=renderer", "--lang=en"]
        );
        assert_eq!(args(b"a  b\0"), ["a", "", "b"]);
        assert_eq!(args(b"a b \0"), ["a", "b", ""]);
        assert_eq!(args(b" \0"), ["", ""]);
        // Two or more arguments: never re-split.
        assert_eq!(args(b"a b\0\0"), ["a b", ""]);
        assert_eq!(args(b"a b\0c\0"), ["a b", "c"]);
    }

    #[test]
    fn non_utf8_bytes_pass_through() {
        assert_eq!(
            split_cmdline(b"\xff\xfe\0caf\xc3\xa9\0"),
            vec![b"\xff\xfe".to_vec(), "café".as_bytes().to_vec()]
        );
        assert_eq!(
            split_cmdline(b"\xff \xfe"),
            vec![b"\xff".to_vec(), b"\xfe".to_vec()]
        );
    }

    #[test]
    fn environ_basic() {
        assert_eq!(
            env(b"HOME=/root\0PATH=/bin:/usr/bin\0EMPTY=\0EQ=a=b=c\0"),
            pairs(&[
                ("HOME", "/root"),
                ("PATH", "/bin:/usr/bin"),
                ("EMPTY", ""),
                ("EQ", "a=b=c")
            ])
        );
        assert!(parse_environ(b"").is_empty());
    }

    #[test]
    fn environ_skips_entries_without_key() {
        assert_eq!(env(b"NOEQUALS\0=C:=C:\\\0=\0A=1\0"), pairs(&[("A", "1")]));
    }

    #[test]
    fn environ_stops_at_empty_entry_or_missing_nul() {
        // Double NUL ends the block, garbage after it is ignored.
        assert_eq!(env(b"A=1\0\0B=2\0"), pairs(&[("A", "1")]));
        // A leading NUL means an empty block.
        assert!(parse_environ(b"\0A=1\0").is_empty());
        // The last entry needs its NUL (truncated or overwritten area).
        assert_eq!(env(b"A=1\0B=2"), pairs(&[("A", "1")]));
        assert!(parse_environ(b"A=1").is_empty());
    }

    #[test]
    fn environ_duplicates_and_bytes() {
        // All duplicates are returned in order; the caller keeps the last.
        assert_eq!(
            env(b"A=1\0B=2\0A=3\0"),
            pairs(&[("A", "1"), ("B", "2"), ("A", "3")])
        );
        assert_eq!(
            parse_environ(b"K\xff=v\xfe\0"),
            vec![(b"K\xff".to_vec(), b"v\xfe".to_vec())]
        );
        // Spaces and newlines are ordinary characters.
        assert_eq!(env(b"A B=c d\ne\0"), pairs(&[("A B", "c d\ne")]));
    }
}
