//! `psutil free`: memory and swap in KiB, like `free` (psutil's free.py).

use psutil::memory::{swap_memory, virtual_memory};
use serde::Serialize;

use super::{Ctx, JSON_HELP};
use crate::error::CliError;

/// `psutil free`.
#[derive(clap::Args)]
#[command(
    about = "amount of free and used memory, like free",
    long_about = "Show physical memory and swap like `free` (psutil's free.py): rows\n\
                 Mem and Swap, columns total used free shared buffers cache, in\n\
                 KiB. used is total - available, cache includes SReclaimable.\n\
                 With --json: {virtual_memory: {...}, swap_memory: {...}} in\n\
                 bytes, with psutil's field names.",
    override_usage = "psutil free [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

/// The `--json` form shared with `psutil meminfo`.
#[derive(Serialize)]
pub struct Memory {
    pub virtual_memory: psutil::memory::VirtualMemory,
    pub swap_memory: psutil::memory::SwapMemory,
}

impl Memory {
    pub fn read() -> Result<Memory, CliError> {
        Ok(Memory {
            virtual_memory: virtual_memory()?,
            swap_memory: swap_memory()?,
        })
    }
}

/// One row of free.py's `"{:<7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}"`.
fn row(label: &str, cols: [String; 6]) -> String {
    let mut s = format!("{label:<7}");
    for c in cols {
        s.push_str(&format!(" {c:>10}"));
    }
    s
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let m = Memory::read()?;
    if a.json {
        return ctx.json(&m);
    }
    let (v, s) = (&m.virtual_memory, &m.swap_memory);
    let kib = |n: u64| (n / 1024).to_string();
    let header = ["total", "used", "free", "shared", "buffers", "cache"].map(String::from);
    writeln!(ctx.out, "{}", row("", header))?;
    let mem = [v.total, v.used, v.free, v.shared, v.buffers, v.cached].map(kib);
    writeln!(ctx.out, "{}", row("Mem:", mem))?;
    let swap = [
        kib(s.total),
        kib(s.used),
        kib(s.free),
        String::new(),
        String::new(),
        String::new(),
    ];
    writeln!(ctx.out, "{}", row("Swap:", swap))?;
    Ok(())
}
