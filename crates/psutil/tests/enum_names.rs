//! Every enum that carries psutil's names follows one convention: `ALL`
//! lists the values, `as_str` gives psutil's name, `FromStr` parses it
//! back, and `Display` writes the same name.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use psutil::cgroup::Runtime;
use psutil::net::{AddressFamily, ConnStatus, ConnectionKind, NicDuplex, SocketType};
use psutil::process::{Attr, IoPriorityClass, MemoryType, Resource, Signal, Status};

/// Checks `as_str -> parse` and `Display == as_str` for every value, that
/// the names are distinct, and that an unknown name is InvalidArgument.
fn check<T>(all: &[T], as_str: fn(T) -> &'static str)
where
    T: Copy + PartialEq + Debug + Display + FromStr<Err = psutil::Error>,
{
    assert!(!all.is_empty());
    let mut seen = std::collections::HashSet::new();
    for &v in all {
        let name = as_str(v);
        assert!(seen.insert(name), "{name} twice");
        assert_eq!(name.parse::<T>().unwrap(), v, "{name}");
        assert_eq!(v.to_string(), name);
    }
    let err = "no such name".parse::<T>().unwrap_err();
    assert!(matches!(err, psutil::Error::InvalidArgument(_)), "{err:?}");
}

#[test]
fn every_enum_round_trips_its_names() {
    check(AddressFamily::ALL, AddressFamily::as_str);
    check(SocketType::ALL, SocketType::as_str);
    check(ConnStatus::ALL, ConnStatus::as_str);
    check(ConnectionKind::ALL, ConnectionKind::as_str);
    check(NicDuplex::ALL, NicDuplex::as_str);
    check(Status::ALL, Status::as_str);
    check(IoPriorityClass::ALL, IoPriorityClass::as_str);
    check(Resource::ALL, Resource::as_str);
    check(MemoryType::ALL, MemoryType::as_str);
    check(Signal::ALL, Signal::as_str);
    check(Attr::ALL, Attr::as_str);
    check(Runtime::ALL, Runtime::as_str);
}
