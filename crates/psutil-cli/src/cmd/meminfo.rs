//! `psutil meminfo`: every virtual_memory() and swap_memory() field in
//! human units (psutil's meminfo.py).

use super::free::Memory;
use super::{Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::bytes2human;

/// `psutil meminfo`.
#[derive(clap::Args)]
#[command(
    about = "all memory and swap figures, human-readable",
    long_about = "Show every field of psutil's virtual_memory() (total, available,\n\
                 percent, used, free, active, inactive, buffers, cached, shared,\n\
                 slab) and swap_memory() (total, used, free, percent, sin, sout)\n\
                 in human units, as psutil's meminfo.py does. With --json:\n\
                 {virtual_memory: {...}, swap_memory: {...}} in bytes.",
    override_usage = "psutil meminfo [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

/// Python's `str(float)` for the percent values (`3.5`, `100.0`).
fn py_float(f: f64) -> String {
    let s = format!("{f}");
    if f.is_finite() && !s.contains(['.', 'e']) {
        format!("{s}.0")
    } else {
        s
    }
}

/// meminfo.py's `'%-10s : %7s' % (name.capitalize(), value)`.
fn line(ctx: &mut Ctx, name: &str, value: String) -> Result<(), CliError> {
    let mut cap = name[..1].to_uppercase();
    cap.push_str(&name[1..]);
    writeln!(ctx.out, "{cap:<10} : {value:>7}")?;
    Ok(())
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let m = Memory::read()?;
    if a.json {
        return ctx.json(&m);
    }
    let v = &m.virtual_memory;
    writeln!(ctx.out, "MEMORY\n------")?;
    let bytes = [("total", v.total), ("available", v.available)];
    for (n, b) in bytes {
        line(ctx, n, bytes2human(b))?;
    }
    line(ctx, "percent", py_float(v.percent))?;
    for (n, b) in [
        ("used", v.used),
        ("free", v.free),
        ("active", v.active),
        ("inactive", v.inactive),
        ("buffers", v.buffers),
        ("cached", v.cached),
        ("shared", v.shared),
        ("slab", v.slab),
    ] {
        line(ctx, n, bytes2human(b))?;
    }
    let s = &m.swap_memory;
    writeln!(ctx.out, "\nSWAP\n----")?;
    for (n, b) in [("total", s.total), ("used", s.used), ("free", s.free)] {
        line(ctx, n, bytes2human(b))?;
    }
    line(ctx, "percent", py_float(s.percent))?;
    for (n, b) in [("sin", s.sin), ("sout", s.sout)] {
        line(ctx, n, bytes2human(b))?;
    }
    Ok(())
}
