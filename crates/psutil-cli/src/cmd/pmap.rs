//! `psutil pmap`: the memory mappings of one process.

use psutil::process::Process;

use super::{parse_pid, positional, Command, Ctx, JSON};
use crate::args::Parsed;
use crate::error::CliError;
use crate::fmt::{bytes2human, clean, Align, Table};

pub const COMMAND: Command = Command {
    name: "pmap",
    args: "PID [--json]",
    about: "memory mappings of a process",
    summary: "Show the memory mappings of a process, like pmap: Address RSS Mode\n\
              Mapping, then the total RSS. With --json: the list of\n\
              memory_maps(grouped=False) entries (psutil's pmmap_ext fields).",
    opts: &[JSON],
    run,
};

fn run(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    let args = positional("pmap", p, 1, 1)?;
    let pid = parse_pid("pmap", &args[0])?;
    let proc = Process::new(pid)?;
    let name = proc.name()?;
    let maps = proc.memory_maps_ungrouped()?;
    if p.flag("json") {
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
