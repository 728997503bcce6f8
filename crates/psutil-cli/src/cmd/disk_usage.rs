//! `psutil disk_usage`: mounted filesystems and their usage, like
//! psutil's `scripts/disk_usage.py` (and `df -h`).

use psutil::disk::{disk_partitions, disk_usage, DiskPartition, DiskUsage};
use serde::Serialize;

use super::{warn, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::bytes2human;

/// `psutil disk_usage`.
#[derive(clap::Args)]
#[command(
    about = "mounted filesystems and their usage (df)",
    long_about = "List mounted filesystems (psutil's disk_partitions) with their usage\n\
                 (disk_usage): Device Total Used Free Use% Type Mount. Filesystems whose\n\
                 usage cannot be read are reported on stderr and skipped.\n\
                 With --json: a list of {device, mountpoint, fstype, opts, usage:\n\
                 {total, used, free, percent}}.",
    override_usage = "psutil disk_usage [--all] [--json]"
)]
pub struct Args {
    /// include pseudo filesystems (disk_partitions(all=True))
    #[arg(short, long)]
    pub all: bool,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    part: DiskPartition,
    usage: DiskUsage,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut rows = Vec::new();
    for part in disk_partitions(a.all)? {
        match disk_usage(&part.mountpoint) {
            Ok(usage) => rows.push(Row { part, usage }),
            // The error names the mount point; its source the OS's reason.
            Err(e) => warn(&crate::error::chain(&e)),
        }
    }
    if a.json {
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
                &r.part.device.to_string_lossy(),
                &bytes2human(r.usage.total),
                &bytes2human(r.usage.used),
                &bytes2human(r.usage.free),
                &(r.usage.percent as u64).to_string(),
                &r.part.fstype,
                &r.part.mountpoint.to_string_lossy(),
            )
        )?;
    }
    Ok(())
}
