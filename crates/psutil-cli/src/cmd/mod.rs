//! The subcommands, one module each, and what they share.

use std::ffi::OsString;
use std::io::{self, Write};
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use psutil::process::{process_iter, Attr, Process, ProcessInfo};
use serde::Serialize;

use crate::error::{describe, CliError};

mod cgroup;
mod disk_usage;
mod free;
mod generate;
mod ifconfig;
mod killall;
mod live;
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

/// The help text's last paragraph.
const AFTER_HELP: &str = "Run `psutil COMMAND --help` for a command's options. Exit status: 0 on\n\
                          success, 1 when a process is missing, denied or not matched, 2 on a\n\
                          usage error.";

/// How every help page is laid out: the usage line, the description, the
/// options (and the closing note, where there is one).
const HELP_TEMPLATE: &str = "usage: {usage}\n\n{about-with-newline}\n{all-args}{after-help}";

/// The help of `--json`, which most commands take.
pub const JSON_HELP: &str = "print JSON instead of text";

/// The command line: `psutil COMMAND [ARGS...]`. The one description the
/// parser, `--help`, the shell completions and the man page come from.
#[derive(Parser)]
#[command(
    name = "psutil",
    version,
    about = "Process tools built on the psutil library.",
    override_usage = "psutil COMMAND [ARGS...] [--json]",
    after_help = AFTER_HELP,
    subcommand_required = true,
    arg_required_else_help = true,
    // A repeated option is not an error: the last one counts.
    args_override_self = true,
    subcommand_value_name = "COMMAND"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

/// Every subcommand, in the order `help` lists them. The descriptions are
/// on each one's arguments struct, next to its code.
#[derive(Subcommand)]
#[command(rename_all = "snake_case")]
pub enum Cmd {
    Ps(ps::Args),
    Procinfo(procinfo::Args),
    Pstree(pstree::Args),
    Pidof(pidof::Args),
    Killall(killall::Args),
    Pmap(pmap::Args),
    Procsmem(procsmem::Args),
    Free(free::Args),
    Meminfo(meminfo::Args),
    Cgroup(cgroup::Args),
    Cgroups(cgroup::CgroupsArgs),
    DiskUsage(disk_usage::Args),
    Netstat(netstat::Args),
    Ifconfig(ifconfig::Args),
    Sensors(sensors::SensorsArgs),
    Temperatures(sensors::TemperaturesArgs),
    Fans(sensors::FansArgs),
    Battery(sensors::BatteryArgs),
    Who(who::Args),
    Top(live::top::Args),
    Iotop(live::iotop::Args),
    Nettop(live::nettop::Args),
    CpuDistribution(live::cpu_distribution::Args),
    Serve(serve::Args),
    Completions(generate::CompletionsArgs),
    Man(generate::ManArgs),
}

impl Cmd {
    pub fn run(&self, ctx: &mut Ctx) -> Result<(), CliError> {
        match self {
            Cmd::Ps(a) => ps::run(a, ctx),
            Cmd::Procinfo(a) => procinfo::run(a, ctx),
            Cmd::Pstree(a) => pstree::run(a, ctx),
            Cmd::Pidof(a) => pidof::run(a, ctx),
            Cmd::Killall(a) => killall::run(a, ctx),
            Cmd::Pmap(a) => pmap::run(a, ctx),
            Cmd::Procsmem(a) => procsmem::run(a, ctx),
            Cmd::Free(a) => free::run(a, ctx),
            Cmd::Meminfo(a) => meminfo::run(a, ctx),
            Cmd::Cgroup(a) => cgroup::run(a, ctx),
            Cmd::Cgroups(a) => cgroup::run_cgroups(a, ctx),
            Cmd::DiskUsage(a) => disk_usage::run(a, ctx),
            Cmd::Netstat(a) => netstat::run(a, ctx),
            Cmd::Ifconfig(a) => ifconfig::run(a, ctx),
            Cmd::Sensors(a) => sensors::run_sensors(a, ctx),
            Cmd::Temperatures(a) => sensors::run_temperatures(a, ctx),
            Cmd::Fans(a) => sensors::run_fans(a, ctx),
            Cmd::Battery(a) => sensors::run_battery(a, ctx),
            Cmd::Who(a) => who::run(a, ctx),
            Cmd::Top(a) => live::top::run(a, ctx),
            Cmd::Iotop(a) => live::iotop::run(a, ctx),
            Cmd::Nettop(a) => live::nettop::run(a, ctx),
            Cmd::CpuDistribution(a) => live::cpu_distribution::run(a, ctx),
            Cmd::Serve(a) => serve::run(a, ctx),
            Cmd::Completions(a) => generate::completions(a, ctx),
            Cmd::Man(a) => generate::man(a, ctx),
        }
    }
}

/// The whole command-line description, with the layout every subcommand's
/// help shares.
pub fn cli() -> clap::Command {
    Cli::command()
        .help_template(HELP_TEMPLATE)
        .mut_subcommands(|c| c.help_template(HELP_TEMPLATE))
}

/// Parses the command line (`argv[0]` included).
pub fn parse(argv: &[OsString]) -> Result<Cli, clap::Error> {
    let matches = cli().try_get_matches_from(argv)?;
    Cli::from_arg_matches(&matches)
}

/// Parses a PID argument.
pub fn parse_pid(s: &str) -> Result<u32, String> {
    s.parse::<u32>().map_err(|_| "not a process ID".to_string())
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
    for process in process_iter()? {
        match process.as_dict(attrs) {
            Ok(info) => out.push((process, info)),
            Err(e) if e.is_no_such_process() => {}
            Err(e) => warn(&describe(&e)),
        }
    }
    Ok(out)
}

/// True if `name` is the process name or the basename of `cmdline[0]`
/// (how pidof and killall match).
pub fn name_matches(info: &ProcessInfo, name: &str) -> bool {
    if info.name.as_deref() == Some(name.as_ref()) {
        return true;
    }
    match info.cmdline.as_ref().and_then(|c| c.first()) {
        Some(arg0) => arg0 == name || std::path::Path::new(arg0).file_name() == Some(name.as_ref()),
        None => false,
    }
}

/// The displayed command of a process: its joined cmdline, or its name
/// (kernel threads and zombies have an empty cmdline).
pub fn command_line(info: &ProcessInfo) -> String {
    match &info.cmdline {
        Some(c) if !c.is_empty() => c
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
        _ => info
            .name
            .as_ref()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}
