//! `psutil who`: logged-in users, like psutil's `scripts/who.py`.

use psutil::users::users;
use psutil::Process;

use super::{Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{clean, datetime};

/// `psutil who`.
#[derive(clap::Args)]
#[command(
    about = "logged-in users (who)",
    long_about = "List login sessions from utmp (psutil's users()): user, terminal,\n\
                 login time, host and the name of the login process.\n\
                 With --json: a list of {name, terminal, host, started, pid}.",
    override_usage = "psutil who [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let list = users()?;
    if a.json {
        return ctx.json_lines(&list);
    }
    for u in &list {
        let proc_name = match u.pid {
            0 => String::new(),
            pid => Process::new(pid).and_then(|p| p.name()).unwrap_or_default(),
        };
        let started = datetime(u.started);
        // who.py prints "YYYY-MM-DD HH:MM".
        let started = started.get(..16).unwrap_or(&started);
        writeln!(
            ctx.out,
            "{:<12} {:<10} {:<10} {:<14} {}",
            clean(&u.name),
            clean(u.terminal.as_deref().unwrap_or("-")),
            started,
            format!("({})", clean(u.host.as_deref().unwrap_or(""))),
            clean(&proc_name)
        )?;
    }
    Ok(())
}
