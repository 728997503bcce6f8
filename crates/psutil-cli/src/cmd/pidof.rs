//! `psutil pidof`: PIDs of processes by name.

use psutil::process::Attr;

use super::{all_infos, name_matches, positional, Command, Ctx, JSON};
use crate::args::Parsed;
use crate::error::CliError;

pub const COMMAND: Command = Command {
    name: "pidof",
    args: "NAME... [--json]",
    about: "PIDs of processes by name",
    summary: "Print the PIDs of processes whose name, or the basename of whose first\n\
              argument, is NAME: ascending, on one line. Exit status 1 if none.\n\
              With --json: a list of integers.",
    opts: &[JSON],
    run,
};

fn run(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    let names = positional("pidof", p, 1, usize::MAX)?;
    let me = std::process::id();
    let found: Vec<u32> = all_infos(&[Attr::Name, Attr::Cmdline])?
        .iter()
        .filter(|i| i.pid != me && names.iter().any(|n| name_matches(i, n)))
        .map(|i| i.pid)
        .collect();
    if p.flag("json") {
        ctx.json(&found)?;
    } else if !found.is_empty() {
        let line: Vec<String> = found.iter().map(u32::to_string).collect();
        writeln!(ctx.out, "{}", line.join(" "))?;
    }
    if found.is_empty() {
        return Err(CliError::Exit(1));
    }
    Ok(())
}
