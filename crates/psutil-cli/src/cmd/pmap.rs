//! `psutil pmap`: the memory mappings of one process.

use psutil::process::Process;

use super::{parse_pid, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{bytes2human, clean, Align, Table};

/// `psutil pmap`.
#[derive(clap::Args)]
#[command(
    about = "memory mappings of a process",
    long_about = "Show the memory mappings of a process, like pmap: Address RSS Mode\n\
                 Mapping, then the total RSS. With --json: the list of\n\
                 memory_maps(grouped=False) entries (psutil's pmmap_ext fields).",
    override_usage = "psutil pmap PID [--json]"
)]
pub struct Args {
    /// the process
    #[arg(value_name = "PID", value_parser = parse_pid)]
    pub pid: u32,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let pid = a.pid;
    let proc = Process::new(pid)?;
    let name = proc.name()?;
    let maps = proc.memory_maps_ungrouped()?;
    if a.json {
        return ctx.json_lines(&maps);
    }
    writeln!(ctx.out, "pid={pid}, name={}", clean(&name))?;
    let mut t = Table::new(&[
        ("Address", Align::Left),
        ("RSS", Align::Right),
        ("Mode", Align::Left),
        ("Mapping", Align::Left),
    ]);
    t.sep = "  ";
    let mut total: u64 = 0;
    for m in &maps {
        total = total.saturating_add(m.rss);
        let start = m.addr.split('-').next().unwrap_or("");
        t.push(vec![
            format!("{start:0>16}"),
            bytes2human(m.rss),
            m.perms.clone(),
            clean(&m.path),
        ]);
    }
    t.write(ctx.out, ctx.width)?;
    writeln!(ctx.out, "{}", "-".repeat(33))?;
    writeln!(
        ctx.out,
        "Total RSS {} in {} mappings",
        bytes2human(total),
        maps.len()
    )?;
    Ok(())
}
