//! `psutil serve`: a Prometheus exporter. Serves `GET /metrics` in the
//! text exposition format 0.0.4 on loopback port 9477 by default (clear of
//! node_exporter's 9100).
//!
//! Layout: [`collect`] reads the library into a snapshot and turns it into
//! metric families (pure), [`metrics`] writes the format, [`http`] is a
//! single-threaded event-loop HTTP/1.1 server built to stay responsive
//! under misbehaving clients (its module doc says how and why).
//!
//! Concurrent scrapes share collections: the requests completed in one
//! turn of the server's loop are answered from one collection, so N
//! simultaneous scrapes cost one collection, not N.

mod collect;
mod http;
mod metrics;

use std::cell::RefCell;
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use regex::Regex;

use super::Ctx;
use crate::error::CliError;
use collect::{families, CgroupSelection, Collector, Enabled, Selection, COLLECTORS};
use http::{Request, Response};

/// The default address: loopback only, a port of its own.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9477";
/// Per-process metrics for this many processes unless `--top` says.
const DEFAULT_TOP: usize = 10;
/// With `--procs`, at most this many matching processes unless `--top`.
const DEFAULT_TOP_MATCHING: usize = 100;
/// Descriptors kept free of connections: stdio, the listener, epoll, and
/// the files a collection opens.
const RESERVED_FDS: u64 = 64;

/// `psutil serve`.
#[derive(clap::Args)]
#[command(
    about = "Prometheus exporter: system and process metrics on /metrics",
    long_about = "Serve system metrics (CPU, load, memory, swap, disk I/O and usage,\n\
                 network, temperatures, boot time, process counts) and per-process\n\
                 metrics for a bounded set of processes over HTTP, in Prometheus's\n\
                 text format: GET /metrics. Listens on 127.0.0.1:9477 by default;\n\
                 the bound address is printed on stderr (use port 0 for any free\n\
                 port). Per-process metrics cover the --top N busiest processes\n\
                 (CPU time since the previous scrape; default 10), or, with\n\
                 --procs, the processes whose name matches the regular expression\n\
                 PATTERN (anywhere in the name; anchor with ^...$), at most --top\n\
                 of them (default 100). --top 0 turns them off.\n\
                 Per-cgroup metrics (psutil_cgroup_*, cAdvisor's meanings, label\n\
                 cgroup plus runtime/container_id/pod_uid where detected) cover the\n\
                 cgroups down to --cgroup-depth below the root (default 3; 0 turns\n\
                 them off) whose path matches --cgroups PATTERN, at most 1000.\n\
                 System pressure goes out under node_exporter's names, prefixed\n\
                 psutil_pressure_*.\n\
                 \n\
                 Collectors, in the manner of node_exporter: each area is a\n\
                 collector (listed below), on by default. --no-collector.NAME\n\
                 turns one off, --collector.NAME on; --collector.disable-defaults\n\
                 turns off every collector not named by a --collector.NAME. Of\n\
                 --collector.NAME and --no-collector.NAME the last given wins.\n\
                 A disabled collector's families are absent and its files are\n\
                 not read. System metrics only, no /proc/PID read at all:\n\
                 --no-collector.processes --no-collector.cgroup.\n\
                 \n\
                 Up to --max-connections connections are held (default 1024);\n\
                 past that, the stalest (least recent progress) is closed. A\n\
                 request head must arrive within 10 s, a response be read within\n\
                 10 s, and kept-alive connections are closed after 20 s idle.",
    override_usage = "psutil serve [--listen ADDR] [--procs PATTERN] [--top N] [--interval SECONDS] [--max-connections N]\n       \
                     [--cgroup-depth N] [--cgroups PATTERN]\n       \
                     [--collector.NAME]... [--no-collector.NAME]... [--collector.disable-defaults]"
)]
pub struct Args {
    /// address to listen on (default 127.0.0.1:9477)
    #[arg(short, long, value_name = "ADDR", allow_hyphen_values = true)]
    pub listen: Option<String>,
    /// per-process metrics for processes whose name matches
    #[arg(long, value_name = "PATTERN", value_parser = Regex::new, allow_hyphen_values = true)]
    pub procs: Option<Regex>,
    /// per-process metrics for at most N processes, busiest first
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub top: Option<usize>,
    /// reuse a collection younger than this (default 0: fresh per scrape)
    #[arg(long, value_name = "SECONDS", value_parser = parse_min_age, allow_hyphen_values = true)]
    pub interval: Option<Duration>,
    /// connections held at once; more evict the stalest (default 1024)
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_hyphen_values = true)]
    pub max_connections: Option<usize>,
    /// per-cgroup metrics down to depth N below the root (default 3, 0: none)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub cgroup_depth: Option<usize>,
    /// per-cgroup metrics for cgroups whose path matches
    #[arg(long, value_name = "PATTERN", value_parser = Regex::new, allow_hyphen_values = true)]
    pub cgroups: Option<Regex>,
    #[command(flatten)]
    pub collectors: CollectorFlags,
}

/// `--collector.NAME`, `--no-collector.NAME` and
/// `--collector.disable-defaults`, node_exporter's spelling: a pair of
/// flags per entry of [`COLLECTORS`], generated from that table (the
/// `no-` half hidden from the option list, which says it exists).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectorFlags {
    /// `--collector.disable-defaults`.
    pub disable_defaults: bool,
    /// (collector, on) for each collector named on the command line, the
    /// last of its two flags winning.
    pub chosen: Vec<(&'static str, bool)>,
}

const DISABLE_DEFAULTS: &str = "collector.disable-defaults";

impl CollectorFlags {
    /// The collectors that run.
    pub fn enabled(&self) -> Enabled {
        let mut e = if self.disable_defaults {
            Enabled::none()
        } else {
            Enabled::default()
        };
        for &(name, on) in &self.chosen {
            e.set(name, on);
        }
        e
    }
}

impl clap::FromArgMatches for CollectorFlags {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut chosen = Vec::new();
        for c in COLLECTORS {
            // Each flag overrides its pair: at most one of them is set.
            if m.get_flag(c.on) {
                chosen.push((c.name, true));
            } else if m.get_flag(c.off) {
                chosen.push((c.name, false));
            }
        }
        Ok(CollectorFlags {
            disable_defaults: m.get_flag(DISABLE_DEFAULTS),
            chosen,
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for CollectorFlags {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        use clap::{Arg, ArgAction};
        for c in COLLECTORS {
            cmd = cmd
                .arg(
                    Arg::new(c.on)
                        .long(c.on)
                        .action(ArgAction::SetTrue)
                        .overrides_with(c.off)
                        .help(c.help),
                )
                .arg(
                    Arg::new(c.off)
                        .long(c.off)
                        .action(ArgAction::SetTrue)
                        .overrides_with(c.on)
                        .hide(true),
                );
        }
        cmd.arg(
            Arg::new(DISABLE_DEFAULTS)
                .long(DISABLE_DEFAULTS)
                .action(ArgAction::SetTrue)
                .help("turn off every collector not named by a --collector.NAME"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// The last collection: when it started, and its rendered text.
struct Cached {
    started: Instant,
    body: Arc<String>,
}

/// The state scrapes share (on the server's one thread: no lock).
struct Exporter {
    state: RefCell<(Collector, Option<Cached>)>,
    min_age: Duration,
}

impl Exporter {
    /// The metrics text for a scrape that arrived at `arrived`.
    fn metrics(&self, arrived: Instant) -> Arc<String> {
        let mut g = self.state.borrow_mut();
        let (collector, cached) = &mut *g;
        if let Some(c) = cached {
            if c.started >= arrived || c.started.elapsed() < self.min_age {
                return Arc::clone(&c.body);
            }
        }
        let started = Instant::now();
        let snapshot = collector.collect();
        let body = Arc::new(families(&snapshot).render());
        *cached = Some(Cached {
            started,
            body: Arc::clone(&body),
        });
        body
    }

    fn handle(&self, req: &Request) -> Response {
        match req.path.as_str() {
            "/metrics" => Response {
                status: 200,
                content_type: metrics::CONTENT_TYPE,
                body: self.metrics(req.arrived),
            },
            "/" => Response::new(200, "text/html; charset=utf-8", INDEX),
            _ => Response::text(404, "not found; metrics are at /metrics\n"),
        }
    }
}

const INDEX: &str = "<!DOCTYPE html>\n<html><head><title>psutil exporter</title></head>\n\
<body><h1>psutil exporter</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

/// Parses `--interval SECONDS`.
fn parse_min_age(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && (0.0..=3600.0).contains(&f) => Ok(Duration::from_secs_f64(f)),
        _ => Err("expected seconds between 0 and 3600".to_string()),
    }
}

/// Parses `--max-connections N`.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a number, at least 1".to_string()),
    }
}

pub fn run(a: &Args, _ctx: &mut Ctx) -> Result<(), CliError> {
    let listen = a.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
    let pattern = a.procs.clone();
    let top = match a.top {
        Some(n) => n,
        None if pattern.is_some() => DEFAULT_TOP_MATCHING,
        None => DEFAULT_TOP,
    };
    let min_age = a.interval.unwrap_or(Duration::ZERO);
    let mut cgroups = CgroupSelection::default();
    if let Some(depth) = a.cgroup_depth {
        cgroups.depth = depth;
    }
    cgroups.pattern = a.cgroups.clone();
    let max_connections = a.max_connections.unwrap_or(http::MAX_CONNECTIONS);
    let fd_room = raise_fd_limit().saturating_sub(RESERVED_FDS).max(1);
    let limits = http::Limits {
        max_connections: max_connections.min(usize::try_from(fd_room).unwrap_or(usize::MAX)),
        ..http::Limits::default()
    };
    let listener = TcpListener::bind(listen)
        .map_err(|e| CliError::Failed(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener.local_addr()?;
    let enabled = a.collectors.enabled();
    let idle_procs = !enabled.is_on("processes") && (a.procs.is_some() || a.top.is_some());
    let idle_cgroups =
        !enabled.is_on("cgroup") && (a.cgroups.is_some() || a.cgroup_depth.is_some());
    let exporter = Exporter {
        state: RefCell::new((
            Collector::new(Selection { pattern, top })
                .with_cgroups(cgroups)
                .with_collectors(enabled),
            None,
        )),
        min_age,
    };
    {
        let mut err = std::io::stderr().lock();
        writeln!(err, "psutil serve: listening on http://{addr}/metrics")?;
        if !addr.ip().is_loopback() {
            writeln!(
                err,
                "psutil serve: warning: {} is reachable from other machines",
                addr.ip()
            )?;
        }
        if idle_procs {
            writeln!(
                err,
                "psutil serve: warning: --procs and --top do nothing without the processes collector"
            )?;
        }
        if idle_cgroups {
            writeln!(
                err,
                "psutil serve: warning: --cgroups and --cgroup-depth do nothing without the cgroup collector"
            )?;
        }
        if limits.max_connections < max_connections {
            writeln!(
                err,
                "psutil serve: at most {} connections (open-file limit)",
                limits.max_connections
            )?;
        }
    }
    let handler = move |req: &Request| exporter.handle(req);
    http::serve(listener, limits, &handler)
        .map_err(|e| CliError::Failed(format!("cannot serve on {addr}: {e}")))
}

/// Raises the soft open-file limit to the hard one (each connection is a
/// descriptor, and 1024 is a common soft default); the limit now in force.
fn raise_fd_limit() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut lim = getrlimit(Resource::Nofile);
    if lim.current.is_some() && lim.current != lim.maximum {
        let wanted = rustix::process::Rlimit {
            current: lim.maximum,
            maximum: lim.maximum,
        };
        if setrlimit(Resource::Nofile, wanted).is_ok() {
            lim = getrlimit(Resource::Nofile);
        }
    }
    lim.current.unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exporter(min_age: Duration) -> Exporter {
        Exporter {
            state: RefCell::new((
                Collector::new(Selection {
                    pattern: None,
                    top: 3,
                }),
                None,
            )),
            min_age,
        }
    }

    fn get(e: &Exporter, path: &str) -> Response {
        e.handle(&Request {
            method: "GET".into(),
            path: path.into(),
            arrived: Instant::now(),
        })
    }

    #[test]
    fn routes() {
        let e = exporter(Duration::ZERO);
        let m = get(&e, "/metrics");
        assert_eq!(m.status, 200);
        assert_eq!(m.content_type, metrics::CONTENT_TYPE);
        assert!(m.body.contains("# TYPE psutil_memory_total_bytes gauge\n"));
        assert_eq!(get(&e, "/").status, 200);
        assert_eq!(get(&e, "/nope").status, 404);
        assert_eq!(get(&e, "/metrics/x").status, 404);
    }

    #[test]
    fn shares_and_refreshes_collections() {
        let e = exporter(Duration::ZERO);
        let before = Instant::now();
        let a = e.metrics(before);
        // A scrape that arrived before the last collection started reuses it.
        assert!(Arc::ptr_eq(&a, &e.metrics(before)));
        // A later one collects anew.
        assert!(!Arc::ptr_eq(&a, &e.metrics(Instant::now())));
        let e = exporter(Duration::from_secs(3600));
        let a = e.metrics(Instant::now());
        assert!(Arc::ptr_eq(&a, &e.metrics(Instant::now())));
    }
}
