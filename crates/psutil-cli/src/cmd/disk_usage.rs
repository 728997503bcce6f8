//! `psutil disk_usage`: mounted filesystems and their usage, like
//! psutil's `scripts/disk_usage.py` (and `df -h`).

use psutil::disk::{disk_partitions, disk_usage, DiskPartition, DiskUsage};
use serde::Serialize;

use super::{positional, warn, Command, Ctx, JSON};
use crate::args::{OptSpec, Parsed};
use crate::error::CliError;
use crate::fmt::bytes2human;

const ALL: OptSpec = OptSpec {
    long: "all",
    short: Some('a'),
    value: None,
    help: "include pseudo filesystems (disk_partitions(all=True))",
};

pub const COMMAND: Command = Command {
    name: "disk_usage",
    args: "[--all] [--json]",
    about: "mounted filesystems and their usage (df)",
    summary: "List mounted filesystems (psutil's disk_partitions) with their usage\n\
              (disk_usage): Device Total Used Free Use% Type Mount. Filesystems whose\n\
              usage cannot be read are reported on stderr and skipped.\n\
              With --json: a list of {device, mountpoint, fstype, opts, usage:\n\
              {total, used, free, percent}}.",
    opts: &[ALL, JSON],
    run,
};

#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    part: DiskPartition,
    usage: DiskUsage,
}

fn run(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("disk_usage", p, 0, 0)?;
    let mut rows = Vec::new();
    for part in disk_partitions(p.flag("all"))? {
        match disk_usage(&part.mountpoint) {
            Ok(usage) => rows.push(Row { part, usage }),
            Err(e) => warn(&format!("{}: {e}", part.mountpoint)),
        }
    }
    if p.flag("json") {
        return ctx.json(&rows);
    }
    let line = |dev: &str, t: &str, u: &str, f: &str, pct: &str, ty: &str, m: &str| {
        format!("{dev:<17} {t:>8} {u:>8} {f:>8} {pct:>5}% {ty:>9}  {m}")
    };
    writeln!(
        ctx.out,
        "{}",
        line("Device", "Total", "Used", "Free", "Use ", "Type", "Mount")
    )?;
    for r in &rows {
        writeln!(
            ctx.out,
            "{}",
            line(
                &r.part.device,
                &bytes2human(r.usage.total),
                &bytes2human(r.usage.used),
                &bytes2human(r.usage.free),
                &(r.usage.percent as u64).to_string(),
                &r.part.fstype,
                &r.part.mountpoint,
            )
        )?;
    }
    Ok(())
}
