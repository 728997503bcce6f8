//! A small command-line parser: options declared per subcommand, long
//! (`--json`, `--attrs=a,b`, `--attrs a,b`) and short (`-s KILL`, `-sKILL`,
//! `-v`) forms, `--` to end options, everything else positional.

use crate::error::CliError;

/// One option a subcommand accepts.
pub struct OptSpec {
    /// Long name without dashes (`"json"`).
    pub long: &'static str,
    /// Optional one-letter alias (`'s'` for `-s`).
    pub short: Option<char>,
    /// Name of the value it takes (`Some("SIGNAL")`), `None` for a flag.
    pub value: Option<&'static str>,
    pub help: &'static str,
}

/// The result of parsing one subcommand's arguments.
#[derive(Debug, Default)]
pub struct Parsed {
    flags: Vec<&'static str>,
    values: Vec<(&'static str, String)>,
    pub positional: Vec<String>,
    /// `-h`/`--help` was given.
    pub help: bool,
}

impl Parsed {
    /// True if the flag `--long` was given.
    pub fn flag(&self, long: &str) -> bool {
        self.flags.contains(&long)
    }

    /// The value of `--long VALUE` (the last one if repeated).
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| *k == long)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `args` (the words after the subcommand name) against `specs`.
/// `cmd` names the subcommand in error messages.
pub fn parse(cmd: &str, specs: &'static [OptSpec], args: &[String]) -> Result<Parsed, CliError> {
    let mut p = Parsed::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            p.positional.extend(it.by_ref().cloned());
            break;
        }
        if arg == "-h" || arg == "--help" {
            p.help = true;
            continue;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let spec = specs
                .iter()
                .find(|s| s.long == name)
                .ok_or_else(|| CliError::usage(cmd, format!("unknown option '--{name}'")))?;
            take(cmd, spec, &format!("--{name}"), inline, &mut it, &mut p)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let mut chars = arg[1..].chars();
            let c = chars.next().unwrap_or('-');
            let rest: String = chars.collect();
            let spec = specs
                .iter()
                .find(|s| s.short == Some(c))
                .ok_or_else(|| CliError::usage(cmd, format!("unknown option '{arg}'")))?;
            if spec.value.is_none() && !rest.is_empty() {
                return Err(CliError::usage(cmd, format!("unknown option '{arg}'")));
            }
            let inline = (!rest.is_empty()).then_some(rest);
            take(cmd, spec, &format!("-{c}"), inline, &mut it, &mut p)?;
        } else {
            p.positional.push(arg.clone());
        }
    }
    Ok(p)
}

fn take<'a>(
    cmd: &str,
    spec: &'static OptSpec,
    shown: &str,
    inline: Option<String>,
    it: &mut impl Iterator<Item = &'a String>,
    p: &mut Parsed,
) -> Result<(), CliError> {
    match spec.value {
        None => {
            if inline.is_some() {
                return Err(CliError::usage(
                    cmd,
                    format!("option '{shown}' takes no value"),
                ));
            }
            p.flags.push(spec.long);
        }
        Some(meta) => {
            let v = match inline {
                Some(v) => v,
                None => it.next().cloned().ok_or_else(|| {
                    CliError::usage(cmd, format!("option '{shown}' needs a value ({meta})"))
                })?,
            };
            p.values.push((spec.long, v));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPECS: &[OptSpec] = &[
        OptSpec {
            long: "json",
            short: None,
            value: None,
            help: "",
        },
        OptSpec {
            long: "signal",
            short: Some('s'),
            value: Some("SIGNAL"),
            help: "",
        },
        OptSpec {
            long: "verbose",
            short: Some('v'),
            value: None,
            help: "",
        },
    ];

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn forms() {
        let p = parse("x", SPECS, &words("a --json -s KILL b -v")).unwrap();
        assert!(p.flag("json") && p.flag("verbose"));
        assert_eq!(p.value("signal"), Some("KILL"));
        assert_eq!(p.positional, ["a", "b"]);
        let p = parse("x", SPECS, &words("-sHUP --signal=INT -- -v")).unwrap();
        assert_eq!(p.value("signal"), Some("INT"));
        assert_eq!(p.positional, ["-v"]);
        assert!(!p.flag("verbose"));
        assert!(parse("x", SPECS, &words("-h")).unwrap().help);
    }

    #[test]
    fn errors() {
        for bad in ["--nope", "-x", "-s", "--json=1", "-vq"] {
            let e = parse("x", SPECS, &words(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
    }
}
