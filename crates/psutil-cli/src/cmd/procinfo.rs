//! `psutil procinfo`: everything about one process.

use std::io::Write;

use psutil::process::{Attr, Process, ProcessInfo, Resource, Status};

use super::{oracle, parse_pid, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{bytes2human, clean, cpu_time_precise, datetime, truncate, Align, Table};

/// `psutil procinfo`.
#[derive(clap::Args)]
#[command(
    about = "everything about one process",
    long_about = "Show everything about one process (default: this command itself).\n\
                 With --json: the process's as_dict() with all attributes.\n\
                 --all --json: as_dict() of every process (default attributes: all\n\
                 but cpu_percent and memory_percent; pid is always included).\n\
                 --module --json: pids(), pid_exists() probes and parent()/children()\n\
                 of every process, as tests/oracle/dump_psutil.py --module prints.",
    override_usage = "psutil procinfo [PID] [-v] [--json]\n       psutil procinfo --all --json [--attrs A,B,...] [--pids P,Q,...]\n       psutil procinfo --module --json [--probes P,Q,...] [--pids P,Q,...]"
)]
pub struct Args {
    /// the process (default: this command itself)
    #[arg(value_name = "PID", value_parser = parse_pid, conflicts_with_all = ["all", "module"])]
    pub pid: Option<u32>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
    /// list every open file, thread, mapping and variable
    #[arg(short, long)]
    pub verbose: bool,
    /// every process (needs --json)
    #[arg(long)]
    pub all: bool,
    /// module-level relations (needs --json)
    #[arg(long)]
    pub module: bool,
    /// with --all: the as_dict attribute names to read
    #[arg(long, value_name = "A,B,...", allow_hyphen_values = true)]
    pub attrs: Option<String>,
    /// with --all/--module: only these PIDs
    #[arg(long, value_name = "P,Q,...", allow_hyphen_values = true)]
    pub pids: Option<String>,
    /// with --module: the PIDs to ask pid_exists() about
    #[arg(long, value_name = "P,Q,...", allow_hyphen_values = true)]
    pub probes: Option<String>,
}

/// How many open files, threads, maps and variables to show without -v.
const SHORT_LIST: usize = 4;

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let all = a.all;
    let module = a.module;
    if all && module {
        return Err(CliError::usage(
            "procinfo",
            "--all and --module exclude each other",
        ));
    }
    if (all || module) && !a.json {
        let which = if all { "--all" } else { "--module" };
        return Err(CliError::usage("procinfo", format!("{which} needs --json")));
    }
    if !all && a.attrs.is_some() {
        return Err(CliError::usage("procinfo", "--attrs needs --all"));
    }
    if !(all || module) && a.pids.is_some() {
        return Err(CliError::usage(
            "procinfo",
            "--pids needs --all or --module",
        ));
    }
    if !module && a.probes.is_some() {
        return Err(CliError::usage("procinfo", "--probes needs --module"));
    }
    if all {
        return oracle::all(a, ctx);
    }
    if module {
        return oracle::module(a, ctx);
    }
    let pid = a.pid.unwrap_or_else(std::process::id);
    let proc = Process::new(pid)?;
    let info = proc.as_dict(Attr::ALL)?;
    if a.json {
        return ctx.json(&info);
    }
    let mut pr = Printer {
        out: ctx.out,
        color: ctx.color,
        width: ctx.width,
    };
    show(&mut pr, &proc, &info, a.verbose)
}

/// Writes `label  value` lines; continuation lines have an empty label.
struct Printer<'a, 'b> {
    out: &'a mut (dyn Write + 'b),
    color: bool,
    width: Option<usize>,
}

const LABEL_WIDTH: usize = 13;

impl Printer<'_, '_> {
    fn line(&mut self, label: &str, value: &str) -> Result<(), CliError> {
        let value = match self.width {
            Some(w) => truncate(value, w.saturating_sub(LABEL_WIDTH + 1)),
            None => value.to_string(),
        };
        if self.color && !label.is_empty() {
            writeln!(self.out, "\x1b[1;32m{label:<LABEL_WIDTH$}\x1b[0m {value}")?;
        } else {
            writeln!(
                self.out,
                "{}",
                format!("{label:<LABEL_WIDTH$} {value}").trim_end()
            )?;
        }
        Ok(())
    }

    /// A table whose first line sits next to `label`.
    fn table(&mut self, label: &str, t: &Table) -> Result<(), CliError> {
        let mut buf = Vec::new();
        t.write(&mut buf, None)?;
        let text = String::from_utf8_lossy(&buf);
        for (i, l) in text.lines().enumerate() {
            self.line(if i == 0 { label } else { "" }, l)?;
        }
        Ok(())
    }
}

/// psutil-style float: always with a decimal point (`0.0`, `1.25`).
fn pyfloat(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// procinfo.py's friendly names for the RLIMIT_* constants.
fn rlimit_label(r: Resource) -> &'static str {
    match r {
        Resource::As => "virtualmem",
        Resource::Core => "coredumpsize",
        Resource::Cpu => "cputime",
        Resource::Data => "datasize",
        Resource::Fsize => "filesize",
        Resource::Locks => "locks",
        Resource::Memlock => "memlock",
        Resource::Msgqueue => "msgqueue",
        Resource::Nice => "nice",
        Resource::Nofile => "openfiles",
        Resource::Nproc => "maxprocesses",
        Resource::Rss => "rss",
        Resource::Rtprio => "realtimeprio",
        Resource::Rttime => "rtimesched",
        Resource::Sigpending => "sigspending",
        Resource::Stack => "stack",
    }
}

fn show(pr: &mut Printer, proc: &Process, i: &ProcessInfo, verbose: bool) -> Result<(), CliError> {
    let zombie = i.status == Some(Status::Zombie);
    let unavailable = |attr: Attr| -> String {
        if !i.denied.contains(&attr) {
            String::new()
        } else if zombie {
            "(zombie)".into()
        } else {
            "(access denied)".into()
        }
    };
    let get = |attr: Attr, v: Option<String>| v.unwrap_or_else(|| unavailable(attr));

    pr.line("pid", &i.pid.to_string())?;
    pr.line("name", &get(Attr::Name, i.name.as_deref().map(clean)))?;
    let parent = match i.ppid {
        Some(ppid) => match proc.parent() {
            Ok(Some(par)) => match par.name() {
                Ok(n) => format!("{ppid} ({})", clean(&n)),
                Err(_) => ppid.to_string(),
            },
            _ => ppid.to_string(),
        },
        None => unavailable(Attr::Ppid),
    };
    pr.line("parent", &parent)?;
    if let Ok(children) = proc.children(false) {
        if !children.is_empty() {
            let mut t = Table::new(&[("PID", Align::Left), ("NAME", Align::Left)]);
            for c in &children {
                let name = match c.name() {
                    Ok(n) => clean(&n),
                    Err(e) if e.is_no_such_process() && !e.is_zombie() => continue,
                    Err(_) => String::new(),
                };
                t.push(vec![c.pid().to_string(), name]);
            }
            pr.table("children", &t)?;
        }
    }
    // A path the kernel hides (kernel threads) shows empty, as psutil's "".
    let path = |p: &Option<std::path::PathBuf>| p.as_deref().map(clean).unwrap_or_default();
    pr.line("exe", &get(Attr::Exe, i.exe.as_ref().map(path)))?;
    pr.line("cwd", &get(Attr::Cwd, i.cwd.as_ref().map(path)))?;
    pr.line(
        "cmdline",
        &get(
            Attr::Cmdline,
            i.cmdline.as_ref().map(|_| clean(super::command_line(i))),
        ),
    )?;
    pr.line(
        "started",
        &get(Attr::CreateTime, i.create_time.map(datetime)),
    )?;
    pr.line(
        "cpu-tspent",
        &get(
            Attr::CpuTimes,
            i.cpu_times.map(|c| cpu_time_precise(c.user + c.system)),
        ),
    )?;
    pr.line(
        "cpu-times",
        &get(
            Attr::CpuTimes,
            i.cpu_times.map(|c| {
                format!(
                    "user={}, system={}, children_user={}, children_system={}, iowait={}",
                    pyfloat(c.user),
                    pyfloat(c.system),
                    pyfloat(c.children_user),
                    pyfloat(c.children_system),
                    pyfloat(c.iowait)
                )
            }),
        ),
    )?;
    pr.line(
        "cpu-affinity",
        &get(
            Attr::CpuAffinity,
            i.cpu_affinity.as_ref().map(|a| format!("{a:?}")),
        ),
    )?;
    pr.line(
        "cpu-num",
        &get(Attr::CpuNum, i.cpu_num.map(|n| n.to_string())),
    )?;
    pr.line(
        "memory",
        &get(
            Attr::MemoryInfo,
            i.memory_info.map(|m| {
                format!(
                    "rss={}, vms={}, shared={}, text={}, lib={}, data={}, dirty={}",
                    bytes2human(m.rss),
                    bytes2human(m.vms),
                    bytes2human(m.shared),
                    bytes2human(m.text),
                    bytes2human(m.lib),
                    bytes2human(m.data),
                    bytes2human(m.dirty)
                )
            }),
        ),
    )?;
    let full = match i.memory_full_info {
        Some(m) => format!(
            "uss={}, pss={}, swap={}",
            bytes2human(m.uss),
            bytes2human(m.pss),
            bytes2human(m.swap)
        ),
        None => format!("uss/pss/swap {}", unavailable(Attr::MemoryFullInfo)),
    };
    pr.line("", &full)?;
    pr.line(
        "memory %",
        &get(
            Attr::MemoryPercent,
            i.memory_percent.map(|m| format!("{m:.2}")),
        ),
    )?;
    pr.line(
        "user",
        &get(Attr::Username, i.username.as_deref().map(clean)),
    )?;
    let ids = |r: u32, e: u32, s: u32| format!("real={r}, effective={e}, saved={s}");
    pr.line(
        "uids",
        &get(
            Attr::Uids,
            i.uids.map(|u| ids(u.real, u.effective, u.saved)),
        ),
    )?;
    pr.line(
        "gids",
        &get(
            Attr::Gids,
            i.gids.map(|g| ids(g.real, g.effective, g.saved)),
        ),
    )?;
    pr.line(
        "terminal",
        &get(
            Attr::Terminal,
            i.terminal.as_ref().map(|t| t.clone().unwrap_or_default()),
        ),
    )?;
    pr.line(
        "status",
        &get(Attr::Status, i.status.map(|s| s.as_str().to_string())),
    )?;
    pr.line("nice", &get(Attr::Nice, i.nice.map(|n| n.to_string())))?;
    pr.line(
        "ionice",
        &get(
            Attr::Ionice,
            i.ionice
                .map(|n| format!("class={}, value={}", n.ioclass.as_str(), n.value)),
        ),
    )?;
    pr.line(
        "num-threads",
        &get(Attr::NumThreads, i.num_threads.map(|n| n.to_string())),
    )?;
    pr.line(
        "num-fds",
        &get(Attr::NumFds, i.num_fds.map(|n| n.to_string())),
    )?;
    pr.line(
        "I/O",
        &get(
            Attr::IoCounters,
            i.io_counters.map(|c| {
                format!(
                    "read_count={}, write_count={}, read_bytes={}, write_bytes={}, \
                     read_chars={}, write_chars={}",
                    c.read_count,
                    c.write_count,
                    bytes2human(c.read_bytes),
                    bytes2human(c.write_bytes),
                    bytes2human(c.read_chars),
                    bytes2human(c.write_chars)
                )
            }),
        ),
    )?;
    pr.line(
        "ctx-switches",
        &get(
            Attr::NumCtxSwitches,
            i.num_ctx_switches
                .map(|c| format!("voluntary={}, involuntary={}", c.voluntary, c.involuntary)),
        ),
    )?;

    let limit = if verbose { usize::MAX } else { SHORT_LIST };
    match &i.open_files {
        Some(files) if !files.is_empty() => {
            let mut t = Table::new(&[("FD", Align::Right), ("PATH", Align::Left)]);
            for f in files.iter().take(limit) {
                t.push(vec![f.fd.to_string(), clean(&f.path)]);
            }
            pr.table("open-files", &t)?;
            if files.len() > limit {
                pr.line("", &format!("[...] total={}", files.len()))?;
            }
        }
        Some(_) => pr.line("open-files", "")?,
        None => pr.line("open-files", &unavailable(Attr::OpenFiles))?,
    }

    match &i.threads {
        Some(threads) if threads.len() > 1 => {
            let mut t = Table::new(&[
                ("TID", Align::Left),
                ("USER", Align::Right),
                ("SYSTEM", Align::Right),
            ]);
            for th in threads.iter().take(limit) {
                t.push(vec![
                    th.id.to_string(),
                    pyfloat(th.user_time),
                    pyfloat(th.system_time),
                ]);
            }
            pr.table("threads", &t)?;
            if threads.len() > limit {
                pr.line("", "[...]")?;
            }
            pr.line("", &format!("total={}", threads.len()))?;
        }
        Some(_) => pr.line("threads", "")?,
        None => pr.line("threads", &unavailable(Attr::Threads))?,
    }

    let mut limits: Vec<(Resource, Option<u64>, Option<u64>)> = Vec::new();
    let mut denied = false;
    for &r in Resource::ALL {
        match proc.rlimit(r) {
            Ok((soft, hard)) => limits.push((r, soft, hard)),
            Err(e) if e.is_access_denied() => denied = true,
            Err(_) => {}
        }
    }
    if limits.is_empty() {
        pr.line("res-limits", if denied { "(access denied)" } else { "" })?;
    } else {
        limits.sort_by_key(|(r, _, _)| r.as_str());
        let lim = |v: Option<u64>| v.map_or_else(|| "infinity".to_string(), |n| n.to_string());
        let mut t = Table::new(&[
            ("RLIMIT", Align::Left),
            ("SOFT", Align::Right),
            ("HARD", Align::Right),
        ]);
        for (r, soft, hard) in limits {
            t.push(vec![rlimit_label(r).to_string(), lim(soft), lim(hard)]);
        }
        pr.table("res-limits", &t)?;
    }

    match &i.memory_maps {
        Some(maps) if !maps.is_empty() => {
            let mut sorted: Vec<_> = maps.iter().collect();
            sorted.sort_by_key(|m| std::cmp::Reverse(m.rss));
            let mut t = Table::new(&[("RSS", Align::Right), ("PATH", Align::Left)]);
            for m in sorted.iter().take(limit) {
                t.push(vec![bytes2human(m.rss), clean(&m.path)]);
            }
            pr.table("mem-maps", &t)?;
            if maps.len() > limit {
                pr.line("", &format!("[...] total={}", maps.len()))?;
            }
        }
        Some(_) => pr.line("mem-maps", "")?,
        None => pr.line("mem-maps", &unavailable(Attr::MemoryMaps))?,
    }

    match &i.environ {
        Some(env) if !env.is_empty() => {
            let mut t = Table::new(&[("NAME", Align::Left), ("VALUE", Align::Left)]);
            for (k, v) in env.iter().take(limit) {
                t.push(vec![clean(k), clean(v)]);
            }
            pr.table("environ", &t)?;
            if env.len() > limit {
                pr.line("", &format!("[...] total={}", env.len()))?;
            }
        }
        Some(_) => pr.line("environ", "")?,
        None => pr.line("environ", &unavailable(Attr::Environ))?,
    }
    Ok(())
}
