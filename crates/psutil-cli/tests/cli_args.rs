//! The command line itself and what every command shares: `--version`,
//! help, the option forms, usage errors, output errors, and the shell
//! completions and man pages generated from the parser's description.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{ok, run, text, BIN};

mod common;

/// Every subcommand, as `psutil help` lists them.
const COMMANDS: [&str; 26] = [
    "ps",
    "procinfo",
    "pstree",
    "pidof",
    "killall",
    "pmap",
    "procsmem",
    "free",
    "meminfo",
    "cgroup",
    "cgroups",
    "disk_usage",
    "netstat",
    "ifconfig",
    "sensors",
    "temperatures",
    "fans",
    "battery",
    "who",
    "top",
    "iotop",
    "nettop",
    "cpu_distribution",
    "serve",
    "completions",
    "man",
];

/// Runs a command that must fail with a usage error; its stderr.
fn usage_error(args: &[&str]) -> String {
    let o = run(args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "psutil {args:?}: {err}");
    assert!(o.stdout.is_empty(), "psutil {args:?}: {}", text(&o.stdout));
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn version() {
    let want = format!("psutil {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(ok(&["--version"]), want);
    assert_eq!(ok(&["-V"]), want);
}

#[test]
fn help_lists_every_command() {
    let help = ok(&["help"]);
    assert!(help.starts_with("usage: psutil COMMAND"), "{help}");
    assert_eq!(ok(&["--help"]), help);
    assert_eq!(ok(&["-h"]), help);
    for c in COMMANDS {
        assert!(help.contains(&format!("\n  {c} ")), "{c} missing:\n{help}");
        let own = ok(&[c, "--help"]);
        assert!(own.starts_with(&format!("usage: psutil {c}")), "{own}");
        assert_eq!(own, ok(&["help", c]), "{c}");
    }
    // No command at all: the help, on stderr, as a usage error.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("usage: psutil COMMAND"));
}

#[test]
fn usage_errors_name_the_command() {
    let err = usage_error(&["ps", "--bogus"]);
    assert!(
        err.starts_with("psutil ps: unknown option '--bogus'\n"),
        "{err}"
    );
    assert!(
        err.ends_with("Run `psutil ps --help` for usage.\n"),
        "{err}"
    );
    // A near miss gets a suggestion.
    let err = usage_error(&["ps", "--jsno"]);
    assert!(err.contains("'--json'"), "{err}");

    let err = usage_error(&["bogus"]);
    assert!(err.starts_with("psutil: unknown command 'bogus'"), "{err}");
    assert!(err.contains("Run `psutil --help`"), "{err}");
    let err = usage_error(&["who", "extra"]);
    assert!(
        err.starts_with("psutil who: unexpected argument 'extra'"),
        "{err}"
    );
    let err = usage_error(&["pmap", "abc"]);
    assert!(err.starts_with("psutil pmap: invalid value 'abc'"), "{err}");
    let err = usage_error(&["pidof"]);
    assert!(err.starts_with("psutil pidof: "), "{err}");
    assert!(err.contains("<NAME>"), "{err}");
    let err = usage_error(&["killall", "-s", "NOPE", "x"]);
    assert!(err.contains("unknown signal"), "{err}");
    let err = usage_error(&["iotop", "--interval", "0"]);
    assert!(err.contains("expected seconds between"), "{err}");
    let err = usage_error(&["top", "--sort", "nope"]);
    assert!(err.contains("cpu, mem, pid, time"), "{err}");
    usage_error(&["procinfo", "1", "--all", "--json"]);
    usage_error(&["ps", "--json=1"]);
    usage_error(&["completions"]);
    usage_error(&["completions", "tcsh"]);
}

#[test]
fn option_forms() {
    // `--opt=value`, `-dVALUE`, a repeated option (the last one counts),
    // and the column-name alias of a sort key, in any case.
    let out = ok(&[
        "top",
        "--once",
        "--interval=5",
        "-d0.1",
        "--sort=%MEM",
        "-s",
        "pid",
    ]);
    assert!(out.contains("PID"), "{out}");
    // `-sKILL` parses (nothing matches: exit 1, not a usage error), and
    // after `--` a word starting with '-' is a name.
    let o = run(&["killall", "-sKILL", "no-such-process-name-xyz"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let o = run(&["pidof", "--", "-no-such-name"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    // A flag given twice is fine.
    ok(&["free", "--json", "--json"]);
}

#[test]
fn bash_completion_is_valid_bash() {
    let script = ok(&["completions", "bash"]);
    for c in COMMANDS {
        assert!(script.contains(c), "{c} missing");
    }
    let path = std::env::temp_dir().join(format!("psutil-completion-{}.bash", std::process::id()));
    std::fs::write(&path, &script).unwrap();
    let o = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(o.status.success(), "bash -n: {}", text(&o.stderr));
}

#[test]
fn zsh_and_fish_completions_cover_every_command() {
    for shell in ["zsh", "fish"] {
        let script = ok(&["completions", shell]);
        assert!(!script.is_empty());
        for c in COMMANDS {
            assert!(script.contains(c), "{shell}: {c} missing");
        }
        // Options and their descriptions come along.
        assert!(script.contains("cgroup-column"), "{shell}");
        assert!(script.contains("print JSON instead of text"), "{shell}");
    }
}

#[test]
fn man_page() {
    let page = ok(&["man"]);
    assert!(
        page.starts_with(".ie"),
        "not roff: {}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH psutil 1"), "{page}");
    for c in COMMANDS {
        // roff escapes '-' but not '_'.
        assert!(page.contains(&format!("psutil\\-{c}(1)")), "{c} missing");
    }
    render_cleanly(&page);
}

#[test]
fn man_pages_to_a_directory() {
    let dir = std::env::temp_dir().join(format!("psutil-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    ok(&["man", "--dir", dir.to_str().unwrap()]);
    let top = std::fs::read_to_string(dir.join("psutil.1")).unwrap();
    assert!(top.contains(".TH psutil 1"));
    for c in COMMANDS {
        let page = std::fs::read_to_string(dir.join(format!("psutil-{c}.1")))
            .unwrap_or_else(|e| panic!("psutil-{c}.1: {e}"));
        assert!(page.contains(&format!(".TH psutil-{c} 1")), "{c}");
    }
    let ps = std::fs::read_to_string(dir.join("psutil-ps.1")).unwrap();
    assert!(ps.contains("ps aux"), "{ps}");
    render_cleanly(&ps);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With groff on the machine: the page formats without a warning.
fn render_cleanly(page: &str) {
    if !Path::new("/usr/bin/groff").exists() {
        eprintln!("skipped: no groff");
        return;
    }
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), page.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "groff: {:?}", o.status);
    assert!(o.stderr.is_empty(), "groff warnings: {}", text(&o.stderr));
}

// ---------------------------------------------------------------- usage

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["bogus"],
        &["--json"],
        &["ps", "--bogus"],
        &["ps", "extra"],
        &["procinfo", "abc"],
        &["procinfo", "1", "2"],
        &["procinfo", "--all"],
        &["procinfo", "--module"],
        &["procinfo", "--all", "--module", "--json"],
        &["procinfo", "--all", "--json", "--attrs", "name,bogus"],
        &["procinfo", "--attrs", "name"],
        &["pidof"],
        &["killall"],
        &["killall", "-s", "NOPE", "x"],
        &["killall", "x", "-s"],
        &["pmap"],
        &["pmap", "-1"],
        &["help", "nope"],
    ];
    for args in cases {
        assert!(!usage_error(args).is_empty(), "{args:?}: no message");
    }
}

// ---------------------------------------------------------------- output

#[test]
fn closed_stdout_is_quiet() {
    for args in [&["ps"][..], &["procinfo", "--all", "--json"], &["pstree"]] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "{args:?}: {status:?} {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{err}"
        );
    }
}

#[test]
fn full_device_reports_write_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let o = Command::new(BIN).arg("ps").stdout(full).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot write output"),
        "{}",
        text(&o.stderr)
    );
}
