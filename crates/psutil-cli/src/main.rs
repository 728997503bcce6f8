//! `psutil`: process tools (ps, procinfo, pstree, pidof, killall, pmap,
//! procsmem) on top of the psutil library, after psutil's own scripts.
//!
//! Exit status: 0 success, 1 a process missing, denied or not matched,
//! 2 a usage error. A closed stdout (e.g. `psutil ps | head`) ends the
//! command quietly.

mod args;
mod cmd;
mod error;
mod fmt;
mod sys;

use std::io::{self, BufWriter, ErrorKind, Write};
use std::process::ExitCode;

use cmd::Ctx;
use error::{describe, CliError};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let tty = sys::stdout_is_tty();
    let result = {
        let mut ctx = Ctx {
            out: &mut out,
            width: sys::terminal_width(),
            color: tty && std::env::var_os("NO_COLOR").is_none(),
        };
        dispatch(&argv, &mut ctx)
    };
    // Flush what was written before reporting an error, so stdout and
    // stderr appear in order on a terminal.
    let flushed = out.flush();
    let result = match (result, flushed) {
        (Err(e), _) => Err(e),
        (Ok(()), Err(e)) => Err(CliError::Output(e)),
        (Ok(()), Ok(())) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

/// Prints the error (if it has anything to say) and picks the exit code.
fn report(e: CliError) -> ExitCode {
    let code = e.exit_code();
    let mut err = io::stderr().lock();
    let _ = match &e {
        CliError::Usage { cmd, msg } if cmd.is_empty() => writeln!(
            err,
            "psutil: {msg}\nRun `psutil --help` for the list of commands."
        ),
        CliError::Usage { cmd, msg } => writeln!(
            err,
            "psutil {cmd}: {msg}\nRun `psutil {cmd} --help` for usage."
        ),
        CliError::Psutil(pe) => writeln!(err, "psutil: {}", describe(pe)),
        CliError::Failed(msg) => writeln!(err, "psutil: {msg}"),
        CliError::Exit(_) => Ok(()),
        // The reader went away (`| head`): nothing to say, nothing failed.
        CliError::Output(io) if io.kind() == ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        CliError::Output(io) => writeln!(err, "psutil: cannot write output: {io}"),
    };
    ExitCode::from(code)
}

fn dispatch(argv: &[String], ctx: &mut Ctx) -> Result<(), CliError> {
    let Some(first) = argv.first() else {
        let _ = cmd::usage(&mut io::stderr().lock());
        return Err(CliError::Exit(2));
    };
    match first.as_str() {
        "-h" | "--help" => return Ok(cmd::usage(ctx.out)?),
        "help" => {
            return match argv.get(1) {
                None => Ok(cmd::usage(ctx.out)?),
                Some(name) => match cmd::find(name) {
                    Some(c) => Ok(cmd::help(c, ctx.out)?),
                    None => Err(CliError::usage("", format!("unknown command '{name}'"))),
                },
            };
        }
        _ => {}
    }
    let Some(c) = cmd::find(first) else {
        let msg = if first.starts_with('-') {
            format!("expected a command before '{first}'")
        } else {
            format!("unknown command '{first}'")
        };
        return Err(CliError::usage("", msg));
    };
    let parsed = args::parse(c.name, c.opts, &argv[1..])?;
    if parsed.help {
        return Ok(cmd::help(c, ctx.out)?);
    }
    (c.run)(&parsed, ctx)
}
