//! The one boundary between the public API and an operating system.
//!
//! Public modules (`memory`, `cpu`, ...) call `imp::<area>` only (and the
//! root setters `imp` re-exports), never `imp::parse`, `imp::procfs` or
//! `imp::sys`; `tests/boundary.sh` checks it. Everything that knows about
//! `/proc`, `/sys` or Linux syscalls lives under `linux/`. Another OS would
//! add a sibling module with the same items.

#[cfg(target_os = "linux")]
pub(crate) mod linux;
#[cfg(target_os = "linux")]
pub(crate) use linux as imp;

#[cfg(not(target_os = "linux"))]
compile_error!("psutil-rs supports Linux only for now");
