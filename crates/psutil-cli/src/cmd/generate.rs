//! `psutil completions SHELL` and `psutil man`: the shell completions and
//! the man pages, generated from the same description as the parser.

use std::path::PathBuf;

use clap_complete::Shell;

use super::{cli, Ctx};
use crate::error::CliError;

/// `psutil completions`.
#[derive(clap::Args)]
#[command(
    about = "print a shell completion script (bash, zsh, fish, elvish, powershell)",
    long_about = "Print the completion script for SHELL on stdout. To install it:\n\
                  \n\
                  \x20 bash: psutil completions bash > ~/.local/share/bash-completion/completions/psutil\n\
                  \x20 zsh:  psutil completions zsh > ~/.zfunc/_psutil\n\
                  \x20       (with fpath+=~/.zfunc before compinit in ~/.zshrc)\n\
                  \x20 fish: psutil completions fish > ~/.config/fish/completions/psutil.fish",
    override_usage = "psutil completions SHELL"
)]
pub struct CompletionsArgs {
    /// the shell to complete in
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// `psutil man`.
#[derive(clap::Args)]
#[command(
    about = "print the man page (roff), or write every page to a directory",
    long_about = "Print the psutil(1) man page (roff) on stdout, e.g.\n\
                  \x20 psutil man > ~/.local/share/man/man1/psutil.1\n\
                  With --dir DIR: write psutil.1 and one page per command\n\
                  (psutil-ps.1, ...) into DIR instead.",
    override_usage = "psutil man [--dir DIR]"
)]
pub struct ManArgs {
    /// write psutil.1 and psutil-COMMAND.1 into DIR
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath, allow_hyphen_values = true)]
    pub dir: Option<PathBuf>,
}

pub fn completions(a: &CompletionsArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    // Into memory first: the generators panic when a write fails (a
    // closed pipe must end quietly instead).
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cli(), "psutil", &mut script);
    ctx.out.write_all(&script)?;
    Ok(())
}

pub fn man(a: &ManArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    // No page for `help`: `psutil help CMD` is `psutil CMD --help`.
    let cli = cli().disable_help_subcommand(true);
    match &a.dir {
        None => clap_mangen::Man::new(cli).render(ctx.out)?,
        Some(dir) => {
            clap_mangen::generate_to(cli, dir).map_err(|e| {
                CliError::Failed(format!("cannot write man pages to {}: {e}", dir.display()))
            })?;
            writeln!(ctx.out, "{}", dir.join("psutil.1").display())?;
        }
    }
    Ok(())
}
