#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| psutil::fuzzing::cgroup_files(data));
