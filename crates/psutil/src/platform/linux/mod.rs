//! The Linux backend: `/proc` readers, syscall wrappers and per-process
//! logic. Parsers in [`parse`] are pure; [`procfs`] does the reading.

pub(crate) mod cgroup;
pub(crate) mod cpu;
pub(crate) mod disk;
pub(crate) mod errno;
pub(crate) mod memory;
pub(crate) mod net;
pub(crate) mod parse;
pub(crate) mod process;
pub(crate) mod procfs;
pub(crate) mod sensors;
pub(crate) mod sys;
pub(crate) mod terminal;
pub(crate) mod users;

pub(crate) use cgroup::DEFAULT_ROOT as DEFAULT_CGROUPFS_ROOT;
pub(crate) use procfs::{
    boot_time, clock_ticks_per_second, root as procfs_root, scoped_roots,
    set_root as set_procfs_root, set_scoped_roots, set_sys_root, sys_root, with_scoped_roots,
    ScopedRoots,
};
