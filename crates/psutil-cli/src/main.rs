//! `psutil`: process tools (ps, procinfo, pstree, pidof, killall, pmap,
//! procsmem) on top of the psutil library, after psutil's own scripts.
//!
//! Exit status: 0 success, 1 a process missing, denied or not matched,
//! 2 a usage error. A closed stdout (e.g. `psutil ps | head`) ends the
//! command quietly.

mod cmd;
mod error;
mod fmt;
mod sys;

use std::ffi::OsString;
use std::io::{self, BufWriter, ErrorKind, Write};
use std::process::ExitCode;

use cmd::Ctx;
use error::{describe, CliError};

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
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

fn dispatch(argv: &[OsString], ctx: &mut Ctx) -> Result<(), CliError> {
    match cmd::parse(argv) {
        Ok(cli) => cli.command.run(ctx),
        Err(e) => parse_error(&e, argv, ctx),
    }
}

/// What the parser stopped with: help or the version (printed, success),
/// no command at all (the help on stderr, exit 2), or a usage error in our
/// own words, naming the subcommand.
fn parse_error(e: &clap::Error, argv: &[OsString], ctx: &mut Ctx) -> Result<(), CliError> {
    use clap::error::{ContextKind, ContextValue, ErrorKind as Kind};
    match e.kind() {
        Kind::DisplayHelp | Kind::DisplayVersion => {
            write!(ctx.out, "{}", e.render())?;
            return Ok(());
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(io::stderr().lock(), "{}", e.render());
            return Err(CliError::Exit(2));
        }
        _ => {}
    }
    // The subcommand, when the word after `psutil` names one (the top
    // level has no options that take a value).
    let cli = cmd::cli();
    let name = argv
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| cli.find_subcommand(a).is_some())
        .unwrap_or("");
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.as_str(),
        _ => "",
    };
    // clap's text: "error: MESSAGE", tips, then the usage, which
    // `--help` shows instead.
    let rendered = e.render().to_string();
    let text = rendered.split("\nUsage:").next().unwrap_or("");
    let text = text.strip_prefix("error: ").unwrap_or(text);
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("For more information"));
    let first = lines.next().unwrap_or("invalid arguments").to_string();
    let first = match e.kind() {
        Kind::UnknownArgument => match context(ContextKind::InvalidArg) {
            a if a.starts_with('-') => format!("unknown option '{a}'"),
            "" => first,
            a => format!("unexpected argument '{a}'"),
        },
        Kind::InvalidSubcommand => match context(ContextKind::InvalidSubcommand) {
            "" => first,
            c => format!("unknown command '{c}'"),
        },
        _ => first,
    };
    let msg = std::iter::once(first.as_str())
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n");
    Err(CliError::usage(name, msg))
}
