//! `psutil pidof`: PIDs of processes by name.

use psutil::process::Attr;

use super::{all_infos, name_matches, Ctx, JSON_HELP};
use crate::error::CliError;

/// `psutil pidof`.
#[derive(clap::Args)]
#[command(
    about = "PIDs of processes by name",
    long_about = "Print the PIDs of processes whose name, or the basename of whose first\n\
                 argument, is NAME: ascending, on one line. Exit status 1 if none.\n\
                 With --json: a list of integers.",
    override_usage = "psutil pidof NAME... [--json]"
)]
pub struct Args {
    /// process names
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let names = &a.names;
    let me = std::process::id();
    let found: Vec<u32> = all_infos(&[Attr::Name, Attr::Cmdline])?
        .iter()
        .filter(|i| i.pid != me && names.iter().any(|n| name_matches(i, n)))
        .map(|i| i.pid)
        .collect();
    if a.json {
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
