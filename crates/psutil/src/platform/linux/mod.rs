//! The Linux backend: `/proc` readers, syscall wrappers and per-process
//! logic. Parsers in [`parse`] are pure; [`procfs`] does the reading.

pub(crate) mod parse;
pub(crate) mod process;
pub(crate) mod procfs;
pub(crate) mod sys;
pub(crate) mod terminal;
pub(crate) mod users;
