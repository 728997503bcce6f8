//! The `serde` feature: the types that derive `Deserialize` read back what
//! they serialize (JSON in, the same JSON out).
#![cfg(feature = "serde")]

use serde::{de::DeserializeOwned, Serialize};

fn roundtrip<T: Serialize + DeserializeOwned>(v: &T) {
    let json = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn serde_roundtrip() {
    roundtrip(&psutil::memory::virtual_memory().unwrap());
    roundtrip(&psutil::memory::swap_memory().unwrap());
    roundtrip(&psutil::cpu::cpu_times().unwrap());
    roundtrip(&psutil::cpu::cpu_times_percpu().unwrap());
    roundtrip(&psutil::cpu::cpu_stats().unwrap());
    roundtrip(&psutil::disk::disk_usage("/").unwrap());
    roundtrip(&psutil::disk::disk_partitions(true).unwrap());
    let me = psutil::Process::current().unwrap();
    roundtrip(&me.memory_info().unwrap());
    roundtrip(&me.cpu_times().unwrap());
}
