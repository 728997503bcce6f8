//! `psutil ps`: every process, like `ps aux`.

use psutil::process::Attr;

use super::{all_infos, command_line, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{bytes2human, clean, cpu_time, start_column, truncate, Align, Table};

/// `psutil ps`.
#[derive(clap::Args)]
#[command(
    about = "list all processes, like ps aux",
    long_about = "List all processes, like `ps aux`: USER PID %MEM VSZ RSS NICE STATUS START\n\
                 TIME CMDLINE. START is HH:MM for processes started today, else MonDD;\n\
                 TIME is user+system CPU time. Lines are cut to the terminal width.\n\
                 With --json: a list of as_dict() objects with the attributes pid,\n\
                 username, memory_percent, memory_info, nice, status, create_time,\n\
                 cpu_times, name, cmdline.",
    override_usage = "psutil ps [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

const ATTRS: [Attr; 10] = [
    Attr::Pid,
    Attr::Username,
    Attr::MemoryPercent,
    Attr::MemoryInfo,
    Attr::Nice,
    Attr::Status,
    Attr::CreateTime,
    Attr::CpuTimes,
    Attr::Name,
    Attr::Cmdline,
];

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let infos = all_infos(&ATTRS)?;
    if a.json {
        return ctx.json_lines(&infos);
    }
    let mut t = Table::new(&[
        ("USER", Align::Left),
        ("PID", Align::Right),
        ("%MEM", Align::Right),
        ("VSZ", Align::Right),
        ("RSS", Align::Right),
        ("NICE", Align::Right),
        ("STATUS", Align::Left),
        ("START", Align::Left),
        ("TIME", Align::Right),
        ("CMDLINE", Align::Left),
    ]);
    for i in &infos {
        let user = i.username.as_deref().map(|u| truncate(u, 10));
        let (vsz, rss) = match &i.memory_info {
            Some(m) => (bytes2human(m.vms), bytes2human(m.rss)),
            None => (String::new(), String::new()),
        };
        t.push(vec![
            clean(user.unwrap_or_default()),
            i.pid.to_string(),
            i.memory_percent
                .map(|m| format!("{m:.1}"))
                .unwrap_or_default(),
            vsz,
            rss,
            i.nice.map(|n| n.to_string()).unwrap_or_default(),
            i.status
                .map(|s| truncate(s.as_str(), 5))
                .unwrap_or_default(),
            i.create_time.map(start_column).unwrap_or_default(),
            i.cpu_times
                .map(|c| cpu_time(c.user + c.system))
                .unwrap_or_default(),
            clean(command_line(i)),
        ]);
    }
    t.write(ctx.out, ctx.width)?;
    Ok(())
}
