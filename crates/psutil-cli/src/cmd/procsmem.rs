//! `psutil procsmem`: memory of every process, smem-like.

use psutil::process::Attr;
use serde::Serialize;

use super::{command_line, warn, Ctx, JSON_HELP};
use crate::error::{describe, CliError};
use crate::fmt::{bytes2human, clean, truncate, Align, Table};

/// `psutil procsmem`.
#[derive(clap::Args)]
#[command(
    about = "memory of every process (USS, PSS, swap), smem-like",
    long_about = "Show the memory of every process, like smem: PID User Cmdline USS PSS\n\
                 Swap RSS, sorted by USS (Unique Set Size), the largest last.\n\
                 Processes whose memory_full_info() is denied are counted on\n\
                 stderr. With --json: a list of {pid, username, cmdline, uss, pss,\n\
                 swap, rss}.",
    override_usage = "psutil procsmem [--json]"
)]
pub struct Args {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    pid: u32,
    username: Option<String>,
    cmdline: Option<Vec<String>>,
    uss: u64,
    pss: u64,
    swap: u64,
    rss: u64,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut rows = Vec::new();
    let mut denied = 0usize;
    let mut cmds = Vec::new();
    for proc in psutil::process::process_iter()? {
        let mem = match proc.memory_full_info() {
            Ok(m) => m,
            Err(e) if e.is_access_denied() => {
                denied += 1;
                continue;
            }
            Err(e) if e.is_no_such_process() => continue,
            Err(e) => {
                warn(&describe(&e));
                continue;
            }
        };
        // Kernel threads have no memory of their own.
        if mem.uss == 0 {
            continue;
        }
        let info = match proc.as_dict(&[Attr::Name, Attr::Cmdline, Attr::Username]) {
            Ok(i) => i,
            Err(_) => continue,
        };
        cmds.push(command_line(&info));
        rows.push(Row {
            pid: proc.pid(),
            username: info.username,
            cmdline: info
                .cmdline
                .map(|c| c.iter().map(|a| a.to_string_lossy().into_owned()).collect()),
            uss: mem.uss,
            pss: mem.pss,
            swap: mem.swap,
            rss: mem.rss,
        });
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&k| (rows[k].uss, rows[k].pid));

    if a.json {
        let sorted: Vec<&Row> = order.iter().map(|&k| &rows[k]).collect();
        ctx.json_lines(&sorted)?;
    } else {
        let mut t = Table::new(&[
            ("PID", Align::Left),
            ("User", Align::Left),
            ("Cmdline", Align::Left),
            ("USS", Align::Right),
            ("PSS", Align::Right),
            ("Swap", Align::Right),
            ("RSS", Align::Right),
        ]);
        for &k in &order {
            let r = &rows[k];
            t.push(vec![
                r.pid.to_string(),
                clean(truncate(r.username.as_deref().unwrap_or(""), 8)),
                clean(truncate(&cmds[k], 30)),
                bytes2human(r.uss),
                bytes2human(r.pss),
                bytes2human(r.swap),
                bytes2human(r.rss),
            ]);
        }
        t.write(ctx.out, ctx.width)?;
    }
    if denied > 0 {
        ctx.out.flush()?;
        warn(&format!(
            "{denied} process{} skipped: access denied",
            if denied == 1 { "" } else { "es" }
        ));
    }
    Ok(())
}
