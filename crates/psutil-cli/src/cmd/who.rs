//! `psutil who`: logged-in users, like psutil's `scripts/who.py`.

use psutil::users::users;
use psutil::Process;

use super::{positional, Command, Ctx, JSON};
use crate::args::Parsed;
use crate::error::CliError;
use crate::fmt::{clean, datetime};

pub const COMMAND: Command = Command {
    name: "who",
    args: "[--json]",
    about: "logged-in users (who)",
    summary: "List login sessions from utmp (psutil's users()): user, terminal,\n\
              login time, host and the name of the login process.\n\
              With --json: a list of {name, terminal, host, started, pid}.",
    opts: &[JSON],
    run,
};

fn run(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("who", p, 0, 0)?;
    let list = users()?;
    if p.flag("json") {
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
