//! The python child holding one socket of every kind (`net_sockets.py`
//! next to this file), shared by the library's net tests and the CLI's
//! netstat tests: each includes this file with `#[path = "..."] mod`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The python child holding the sockets; stdin closed and reaped on drop.
pub struct SocketKid {
    child: Child,
    /// name -> [fd, family, type, laddr, raddr, status]
    pub expected: BTreeMap<String, Value>,
}

impl SocketKid {
    /// `None` (the test skips) where there is no python3, e.g. in the
    /// kernel-matrix VMs (tests/vm); a failure under
    /// `PSUTIL_REQUIRE_ORACLE=1`, as for the oracle.
    pub fn start() -> Option<SocketKid> {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../psutil/tests/helpers/net_sockets.py"
        );
        let spawned = Command::new("python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                assert!(
                    std::env::var("PSUTIL_REQUIRE_ORACLE").as_deref() != Ok("1"),
                    "python3 missing"
                );
                eprintln!("skipped: no python3 for the socket-holding child");
                return None;
            }
            r => r.expect("python3"),
        };
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let v: Value = serde_json::from_str(&line).expect("child JSON");
        let expected = v.as_object().unwrap().clone().into_iter().collect();
        Some(SocketKid { child, expected })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for SocketKid {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
