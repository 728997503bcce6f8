//! `psutil killall`: signal processes by name.

use psutil::process::{Attr, Signal};
use serde::Serialize;

use super::{all_procs, name_matches, warn, Ctx, JSON_HELP};
use crate::error::{short, CliError};
use crate::fmt::clean;

/// `psutil killall`.
#[derive(clap::Args)]
#[command(
    about = "signal processes by name",
    long_about = "Send SIGNAL (default SIGTERM) to every process whose name, or the\n\
                 basename of whose first argument, is NAME, and report each PID.\n\
                 Exit status 1 if nothing matched or any process could not be\n\
                 signalled (e.g. access denied). With --json: a list of\n\
                 {pid, name, signal, result}, result being \"ok\" or the error.",
    override_usage = "psutil killall NAME... [-s SIGNAL] [--json]"
)]
pub struct Args {
    /// process names
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
    /// signal name or number (TERM, SIGKILL, 9, ...)
    #[arg(short, long, value_name = "SIGNAL", value_parser = signal_arg, allow_hyphen_values = true)]
    pub signal: Option<Signal>,
}

/// Parses `-s SIGNAL`.
fn signal_arg(s: &str) -> Result<Signal, String> {
    s.parse().map_err(|_| "unknown signal".to_string())
}

#[derive(Serialize)]
struct Outcome {
    pid: u32,
    name: Option<String>,
    signal: String,
    result: String,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let names = &a.names;
    let sig = a.signal.unwrap_or(Signal::SIGTERM);
    let me = std::process::id();
    let targets: Vec<_> = all_procs(&[Attr::Name, Attr::Cmdline])?
        .into_iter()
        .filter(|(_, i)| i.pid != me && names.iter().any(|n| name_matches(i, n)))
        .collect();

    let mut outcomes = Vec::new();
    let mut failed = false;
    for (proc, info) in &targets {
        // The handle from the listing knows the start time too, so a PID
        // reused meanwhile is reported gone instead of signalled.
        let result = match proc.send_signal(sig) {
            Ok(()) => "ok".to_string(),
            Err(e) => {
                // A process that exited meanwhile needs no signal.
                if !e.is_no_such_process() {
                    failed = true;
                }
                short(&e)
            }
        };
        outcomes.push(Outcome {
            pid: info.pid,
            name: info.name.as_ref().map(|n| n.to_string_lossy().into_owned()),
            signal: sig.to_string(),
            result,
        });
    }

    if a.json {
        ctx.json(&outcomes)?;
    } else {
        for o in &outcomes {
            let name = clean(o.name.as_deref().unwrap_or("?"));
            if o.result == "ok" {
                writeln!(ctx.out, "{} {name}: sent {}", o.pid, o.signal)?;
            } else {
                writeln!(ctx.out, "{} {name}: {}", o.pid, o.result)?;
            }
        }
    }
    if outcomes.is_empty() {
        ctx.out.flush()?;
        warn(&format!(
            "killall: no process found matching {}",
            names.join(", ")
        ));
        return Err(CliError::Exit(1));
    }
    if failed {
        return Err(CliError::Exit(1));
    }
    Ok(())
}
