//! The subcommands, one module each, and what they share.

use std::io::{self, Write};
use std::sync::Arc;

use psutil::process::{process_iter, Attr, Process, ProcessInfo};
use serde::Serialize;

use crate::args::{OptSpec, Parsed};
use crate::error::{describe, CliError};

mod cgroup;
mod disk_usage;
mod free;
mod ifconfig;
mod killall;
mod meminfo;
mod netstat;
mod oracle;
mod pidof;
mod pmap;
mod procinfo;
mod procsmem;
mod ps;
mod pstree;
mod sensors;
mod serve;
mod top;
mod who;

/// Where a subcommand writes, and what it knows about the terminal.
pub struct Ctx<'a> {
    pub out: &'a mut dyn Write,
    /// Terminal width when stdout is a terminal; lines are cut to it.
    pub width: Option<usize>,
    /// Colour labels (stdout is a terminal and `NO_COLOR` is unset).
    pub color: bool,
}

impl Ctx<'_> {
    /// Writes `value` as pretty JSON and a newline.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        serde_json::to_writer_pretty(&mut *self.out, value).map_err(json_err)?;
        writeln!(self.out)?;
        Ok(())
    }

    /// Writes a JSON list with one compact item per line: still valid
    /// JSON, and easy to grep and diff.
    pub fn json_lines<T: Serialize>(&mut self, items: &[T]) -> Result<(), CliError> {
        if items.is_empty() {
            writeln!(self.out, "[]")?;
            return Ok(());
        }
        writeln!(self.out, "[")?;
        for (i, item) in items.iter().enumerate() {
            serde_json::to_writer(&mut *self.out, item).map_err(json_err)?;
            writeln!(self.out, "{}", if i + 1 < items.len() { "," } else { "" })?;
        }
        writeln!(self.out, "]")?;
        Ok(())
    }
}

fn json_err(e: serde_json::Error) -> CliError {
    match e.io_error_kind() {
        Some(kind) => CliError::Output(io::Error::new(kind, e)),
        None => CliError::Failed(format!("cannot encode JSON: {e}")),
    }
}

/// Writes a warning to stderr (never fails).
pub fn warn(msg: &str) {
    let _ = writeln!(io::stderr().lock(), "psutil: {msg}");
}

/// One subcommand.
pub struct Command {
    pub name: &'static str,
    /// Arguments shown after the name in usage lines.
    pub args: &'static str,
    /// One line for the command list.
    pub about: &'static str,
    /// The description `--help` shows.
    pub summary: &'static str,
    pub opts: &'static [OptSpec],
    pub run: fn(&Parsed, &mut Ctx) -> Result<(), CliError>,
}

pub const JSON: OptSpec = OptSpec {
    long: "json",
    short: None,
    value: None,
    help: "print JSON instead of text",
};

/// Every subcommand, in the order `help` lists them.
pub static COMMANDS: &[Command] = &[
    ps::COMMAND,
    procinfo::COMMAND,
    pstree::COMMAND,
    pidof::COMMAND,
    killall::COMMAND,
    pmap::COMMAND,
    procsmem::COMMAND,
    free::COMMAND,
    meminfo::COMMAND,
    cgroup::COMMAND,
    cgroup::CGROUPS,
    disk_usage::COMMAND,
    netstat::COMMAND,
    ifconfig::COMMAND,
    sensors::SENSORS,
    sensors::TEMPERATURES,
    sensors::FANS,
    sensors::BATTERY,
    who::COMMAND,
    top::TOP,
    top::IOTOP,
    top::NETTOP,
    top::CPU_DISTRIBUTION,
    serve::COMMAND,
];

pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Full help for one subcommand.
pub fn help(c: &Command, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "usage: psutil {} {}", c.name, c.args)?;
    writeln!(out)?;
    writeln!(out, "{}", c.summary)?;
    writeln!(out)?;
    writeln!(out, "options:")?;
    let mut lines: Vec<(String, &str)> = c
        .opts
        .iter()
        .map(|o| {
            let mut s = String::new();
            if let Some(ch) = o.short {
                s.push_str(&format!("-{ch}, "));
            }
            s.push_str("--");
            s.push_str(o.long);
            if let Some(v) = o.value {
                s.push(' ');
                s.push_str(v);
            }
            (s, o.help)
        })
        .collect();
    lines.push(("-h, --help".into(), "show this help"));
    let w = lines.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    for (s, h) in lines {
        writeln!(out, "  {s:<w$}  {h}")?;
    }
    Ok(())
}

/// The overall usage text.
pub fn usage(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "usage: psutil COMMAND [ARGS...] [--json]")?;
    writeln!(out)?;
    writeln!(out, "Process tools built on the psutil library.")?;
    writeln!(out)?;
    writeln!(out, "commands:")?;
    let w = COMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in COMMANDS {
        writeln!(out, "  {:<w$}  {}", c.name, c.about)?;
    }
    let help = "show this text, or `help COMMAND`";
    writeln!(out, "  {:<w$}  {help}", "help")?;
    writeln!(out)?;
    writeln!(
        out,
        "Run `psutil COMMAND --help` for a command's options. Exit status: 0 on\n\
         success, 1 when a process is missing, denied or not matched, 2 on a\n\
         usage error."
    )?;
    Ok(())
}

/// Parses a PID argument (a usage error if it is not a number).
pub fn parse_pid(cmd: &str, s: &str) -> Result<u32, CliError> {
    s.parse::<u32>()
        .map_err(|_| CliError::usage(cmd, format!("invalid PID '{s}'")))
}

/// Parses a comma-separated list of numbers (`--pids 1,2,3`).
pub fn parse_u32_list(cmd: &str, opt: &str, s: &str) -> Result<Vec<u32>, CliError> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.parse::<u32>()
                .map_err(|_| CliError::usage(cmd, format!("--{opt}: invalid number '{x}'")))
        })
        .collect()
}

/// Requires between `min` and `max` positional arguments.
pub fn positional<'a>(
    cmd: &str,
    p: &'a Parsed,
    min: usize,
    max: usize,
) -> Result<&'a [String], CliError> {
    let n = p.positional.len();
    if n < min {
        return Err(CliError::usage(cmd, "missing argument"));
    }
    if n > max {
        return Err(CliError::usage(
            cmd,
            format!("unexpected argument '{}'", p.positional[max]),
        ));
    }
    Ok(&p.positional)
}

/// `as_dict(attrs)` of every process, PID order. Processes that vanish
/// meanwhile are skipped; any other failure for one process is reported on
/// stderr and that process skipped, so one odd process never hides the
/// rest.
pub fn all_infos(attrs: &[Attr]) -> Result<Vec<ProcessInfo>, CliError> {
    Ok(all_procs(attrs)?.into_iter().map(|(_, i)| i).collect())
}

/// Like [`all_infos`], with each process's handle.
pub fn all_procs(attrs: &[Attr]) -> Result<Vec<(Arc<Process>, ProcessInfo)>, CliError> {
    let mut out = Vec::new();
    for entry in process_iter(None)? {
        match entry.process.as_dict(attrs) {
            Ok(info) => out.push((entry.process, info)),
            Err(e) if e.is_no_such_process() => {}
            Err(e) => warn(&describe(&e)),
        }
    }
    Ok(out)
}

/// True if `name` is the process name or the basename of `cmdline[0]`
/// (how pidof and killall match).
pub fn name_matches(info: &ProcessInfo, name: &str) -> bool {
    if info.name.as_deref() == Some(name) {
        return true;
    }
    match info.cmdline.as_ref().and_then(|c| c.first()) {
        Some(arg0) => arg0 == name || arg0.rsplit('/').next() == Some(name),
        None => false,
    }
}

/// The displayed command of a process: its joined cmdline, or its name
/// (kernel threads and zombies have an empty cmdline).
pub fn command_line(info: &ProcessInfo) -> String {
    match &info.cmdline {
        Some(c) if !c.is_empty() => c.join(" "),
        _ => info.name.clone().unwrap_or_default(),
    }
}
