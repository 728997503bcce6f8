//! `psutil serve` end to end: a real server on a free loopback port,
//! scraped over TCP and checked against the library.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::{UniqueSleep, BIN};

mod common;

/// A running `psutil serve`; killed and reaped on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0"]).args(args);
        Server::spawn(cmd)
    }

    /// Runs `cmd`, `psutil serve` itself or under a tracer, and waits for
    /// the address it listens on.
    fn spawn(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn psutil serve");
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("psutil serve: listening on http://")
            .and_then(|s| s.strip_suffix("/metrics"))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    fn get(&self, path: &str) -> (u16, String) {
        request(&self.addr, "GET", path)
    }

    fn metrics(&self) -> Metrics {
        let (status, body) = self.get("/metrics");
        assert_eq!(status, 200, "{body}");
        parse(&body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A tracer's tracee first: killing strace alone would leave the
        // server running, orphaned (strace ends once its tracee is gone).
        let pid = self.child.id();
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for tracee in children.split_whitespace() {
            let _ = Command::new("kill").args(["-KILL", tracee]).status();
        }
        if children.trim().is_empty() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request with `Connection: close`; (status, body).
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("response head");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .expect("Content-Length")
        .parse()
        .unwrap();
    // HEAD: the length of the body a GET would get, and no body.
    if method != "HEAD" {
        assert_eq!(body.len(), len, "body length");
    } else {
        assert!(len > 0);
    }
    (status, body.to_string())
}

/// Sample lines keyed by `name{labels}`, checked for the format's rules
/// on the way: HELP and TYPE once per family, before its samples, values
/// that parse as floats, no duplicate series.
struct Metrics(HashMap<String, f64>);

impl Metrics {
    fn get(&self, series: &str) -> f64 {
        *self
            .0
            .get(series)
            .unwrap_or_else(|| panic!("no series {series}"))
    }

    fn with_prefix(&self, prefix: &str) -> Vec<(&String, &f64)> {
        self.0
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .collect()
    }
}

fn parse(body: &str) -> Metrics {
    assert!(body.ends_with('\n'));
    let mut out = HashMap::new();
    let mut helped = Vec::new();
    let mut typed: Vec<String> = Vec::new();
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap().to_string();
            assert!(!helped.contains(&name), "HELP twice for {name}");
            helped.push(name);
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(!typed.iter().any(|t| t == name), "TYPE twice for {name}");
            assert!(kind == "counter" || kind == "gauge", "{line}");
            assert_eq!(kind == "counter", name.ends_with("_total"), "{line}");
            typed.push(name.to_string());
        } else {
            assert!(!line.starts_with('#') && !line.is_empty(), "{line:?}");
            let (series, value) = line.rsplit_once(' ').unwrap();
            let name = series.split('{').next().unwrap();
            assert_eq!(typed.last().map(String::as_str), Some(name), "{line}");
            let v: f64 = value.parse().unwrap_or_else(|_| panic!("value in {line}"));
            assert!(
                out.insert(series.to_string(), v).is_none(),
                "duplicate {series}"
            );
        }
    }
    assert_eq!(helped, typed);
    Metrics(out)
}

#[test]
fn values_match_the_library() {
    let srv = Server::start(&[]);
    let m = srv.metrics();
    let vm = psutil::memory::virtual_memory().unwrap();
    assert_eq!(m.get("psutil_memory_total_bytes"), vm.total as f64);
    let sw = psutil::memory::swap_memory().unwrap();
    assert_eq!(m.get("psutil_swap_total_bytes"), sw.total as f64);
    assert_eq!(
        m.get("psutil_boot_time_seconds"),
        psutil::boot_time().unwrap()
    );
    let ncpu = psutil::cpu::cpu_count(true).unwrap().unwrap();
    assert_eq!(m.get("psutil_cpu_count_logical"), ncpu as f64);
    let percpu = psutil::cpu::cpu_times_percpu().unwrap();
    for i in 0..percpu.len() {
        let idle = m.get(&format!(
            "psutil_cpu_seconds_total{{cpu=\"{i}\",mode=\"idle\"}}"
        ));
        // Read a moment apart: equal or a little behind the later read.
        let later = psutil::cpu::cpu_times_percpu().unwrap()[i].idle;
        assert!(
            idle <= later && idle > later - 60.0,
            "cpu {i}: {idle} vs {later}"
        );
    }
    for p in psutil::disk::disk_partitions(false).unwrap() {
        let series = format!(
            "psutil_filesystem_size_bytes{{device=\"{}\",fstype=\"{}\",mountpoint=\"{}\"}}",
            p.device.to_string_lossy(),
            p.fstype,
            p.mountpoint.display()
        );
        if let Ok(u) = psutil::disk::disk_usage(&p.mountpoint) {
            assert_eq!(m.get(&series), u.total as f64, "{series}");
        }
    }
    for nic in psutil::net::net_io_counters_pernic(false).unwrap().iter() {
        let series = format!("psutil_network_receive_bytes_total{{device=\"{}\"}}", nic.0);
        assert!(m.get(&series) <= nic.1.bytes_recv as f64, "{series}");
    }
    for c in [
        "cpu",
        "loadavg",
        "memory",
        "diskstats",
        "netdev",
        "boottime",
        "processes",
    ] {
        let s = format!("psutil_scrape_collector_success{{collector=\"{c}\"}}");
        assert_eq!(m.get(&s), 1.0, "{s}");
    }
    let nprocs: f64 = m
        .with_prefix("psutil_processes{")
        .iter()
        .map(|(_, v)| **v)
        .sum();
    let real = psutil::pids().unwrap().len() as f64;
    assert!(
        (nprocs - real).abs() < real * 0.2 + 10.0,
        "{nprocs} vs {real}"
    );
    // Default selection: the 10 busiest processes at most.
    let selected = m.with_prefix("psutil_process_threads{").len();
    assert!((1..=10).contains(&selected), "{selected}");
}

#[test]
fn killed_process_leaves_between_scrapes() {
    let sleep = UniqueSleep::new();
    let name = &sleep.name;
    let mut victim = sleep.start();
    let pid = victim.pid();
    let srv = Server::start(&["--procs", &format!("^{name}$")]);
    let l = format!("{{pid=\"{pid}\",name=\"{name}\"}}");
    // The child is running under its name already (Kid waits for that).
    let m = srv.metrics();
    assert_eq!(m.get(&format!("psutil_process_threads{l}")), 1.0);
    assert!(m.get(&format!("psutil_process_resident_memory_bytes{l}")) > 0.0);
    assert!(m.get(&format!("psutil_process_open_fds{l}")) >= 0.0);
    assert!(m.0.contains_key(&format!(
        "psutil_process_cpu_seconds_total{{pid=\"{pid}\",name=\"{name}\",mode=\"user\"}}"
    )));
    // Only the matching process is selected.
    assert_eq!(m.with_prefix("psutil_process_threads{").len(), 1);

    // Killed, not yet reaped: a zombie. The scrape still answers.
    victim.child.kill().unwrap();
    thread::sleep(Duration::from_millis(50));
    let m = srv.metrics();
    assert!(m.get("psutil_memory_total_bytes") > 0.0);
    // Reaped: gone from the next scrape, which still answers.
    victim.child.wait().unwrap();
    let m = srv.metrics();
    assert!(m
        .with_prefix("psutil_process_")
        .iter()
        .all(|(k, _)| !k.contains(&l)));
    assert!(m.get("psutil_memory_total_bytes") > 0.0);
}

#[test]
fn concurrent_scrapes_while_processes_come_and_go() {
    let srv = Arc::new(Server::start(&["--top", "200"]));
    // Short-lived processes throughout, so some vanish mid-scrape.
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let kids: Vec<Child> = (0..8)
                    .filter_map(|_| Command::new("true").spawn().ok())
                    .collect();
                for mut k in kids {
                    let _ = k.wait();
                    n += 1;
                }
            }
            n
        })
    };
    let scrapers: Vec<_> = (0..8)
        .map(|_| {
            let srv = Arc::clone(&srv);
            thread::spawn(move || {
                for _ in 0..10 {
                    let m = srv.metrics();
                    assert!(m.get("psutil_memory_total_bytes") > 0.0);
                    assert_eq!(
                        m.get("psutil_scrape_collector_success{collector=\"processes\"}"),
                        1.0
                    );
                }
            })
        })
        .collect();
    for s in scrapers {
        s.join().expect("scraper");
    }
    stop.store(true, Ordering::Relaxed);
    assert!(churn.join().unwrap() > 0);
}

#[test]
fn paths_methods_and_keep_alive() {
    let srv = Server::start(&["--top", "0"]);
    assert_eq!(srv.get("/nope").0, 404);
    assert_eq!(srv.get("/metricsx").0, 404);
    let (status, body) = srv.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("/metrics"));
    assert_eq!(request(&srv.addr, "POST", "/metrics").0, 405);
    let (status, body) = request(&srv.addr, "HEAD", "/metrics?x=1");
    assert_eq!((status, body.as_str()), (200, ""));
    // --top 0: no per-process series at all.
    assert!(srv.metrics().with_prefix("psutil_process_").is_empty());

    // Two requests on one kept-alive connection.
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    for _ in 0..2 {
        write!(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut len = None;
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert_eq!(line, "HTTP/1.1 200 OK\r\n");
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = Some(v.trim().parse::<usize>().unwrap());
            }
            if let Some(v) = line.strip_prefix("Content-Type: ") {
                assert_eq!(v.trim(), "text/plain; version=0.0.4; charset=utf-8");
            }
        }
        let mut body = vec![0; len.unwrap()];
        r.read_exact(&mut body).unwrap();
        parse(std::str::from_utf8(&body).unwrap());
    }
}

#[test]
fn promtool_accepts_the_output() {
    let Ok(out) = Command::new("promtool").arg("--version").output() else {
        eprintln!("SKIP: promtool not installed (tests/prometheus/run.sh installs it)");
        return;
    };
    assert!(out.status.success());
    let srv = Server::start(&["--top", "20"]);
    let (_, body) = srv.get("/metrics");
    let mut p = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    p.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_arguments() {
    let out = Command::new(BIN)
        .args(["serve", "--procs", "("])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["serve", "--top", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A port already taken: a clear failure, exit 1.
    let srv = Server::start(&[]);
    let out = Command::new(BIN)
        .args(["serve", "--listen", &srv.addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

// ---- abuse: a well-behaved scraper must keep being answered ------------
//
// Each scenario runs a few seconds against a real server while one client
// scrapes sequentially (a new connection each time, like curl). Success
// counts are asserted, never latency (CI machines are slow and shared);
// tests/serve_abuse/run.py runs the same scenarios for 60 s and reports
// latency too.

const ABUSE_FOR: Duration = Duration::from_secs(4);

/// One scrape with `Connection: close` and a 10 s budget: 200 and a body
/// of the announced length.
fn scrape_ok(addr: &str) -> bool {
    let attempt = || -> std::io::Result<bool> {
        let mut s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        let raw = String::from_utf8_lossy(&raw);
        let Some((head, body)) = raw.split_once("\r\n\r\n") else {
            return Ok(false);
        };
        let len = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|v| v.parse::<usize>().ok());
        Ok(head.starts_with("HTTP/1.1 200 ") && len == Some(body.len()) && !body.is_empty())
    };
    attempt().unwrap_or(false)
}

/// Peak thread and open-fd counts of a process, sampled every 50 ms
/// until [`Watch::stop`].
struct Watch {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<(usize, usize)>,
}

impl Watch {
    fn start(pid: u32) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let (mut threads, mut fds) = (0, 0);
            while !flag.load(Ordering::Relaxed) {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let t = status
                    .lines()
                    .find_map(|l| l.strip_prefix("Threads:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let f = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count());
                threads = threads.max(t);
                fds = fds.max(f);
                thread::sleep(Duration::from_millis(50));
            }
            (threads, fds)
        });
        Watch { stop, thread }
    }

    fn stop(self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

/// Runs `abuse` (given the address and a stop flag) on a thread of its
/// own against a fresh server with `args`, scrapes politely meanwhile, and
/// checks: ≥ 99 % of scrapes answered, threads and fds bounded.
fn under_abuse(
    args: &[&str],
    max_fds: usize,
    abuse: impl FnOnce(String, Arc<AtomicBool>) + Send + 'static,
) {
    let srv = Server::start(args);
    let stop = Arc::new(AtomicBool::new(false));
    let abuser = {
        let (addr, stop) = (srv.addr.clone(), Arc::clone(&stop));
        thread::spawn(move || abuse(addr, stop))
    };
    // Let the abuse take hold first.
    thread::sleep(Duration::from_millis(500));
    let watch = Watch::start(srv.child.id());
    let (mut ok, mut total) = (0, 0);
    let end = std::time::Instant::now() + ABUSE_FOR;
    while std::time::Instant::now() < end {
        total += 1;
        ok += usize::from(scrape_ok(&srv.addr));
        thread::sleep(Duration::from_millis(50));
    }
    let (threads, fds) = watch.stop();
    stop.store(true, Ordering::Relaxed);
    abuser.join().expect("abuser");
    assert!(ok * 100 >= total * 99, "{ok} of {total} scrapes answered");
    // The loop's thread, plus the library's helpers while collecting
    // (one per CPU); once a thread per connection.
    let ncpu = thread::available_parallelism().map_or(1, |n| n.get());
    assert!(threads <= 1 + ncpu, "{threads} threads");
    assert!(fds <= max_fds, "{fds} open fds");
}

#[test]
fn abuse_slowloris_does_not_starve_scrapers() {
    // 200 connections each trickling a request head, one byte a second.
    under_abuse(&["--top", "5"], 200 + 32, |addr, stop| {
        let mut conns: Vec<TcpStream> = (0..200)
            .filter_map(|_| TcpStream::connect(&addr).ok())
            .collect();
        let head = b"GET /metrics HTTP/1.1\r\nHost: t\r\n";
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            for c in &mut conns {
                let _ = c.write_all(&head[i % head.len()..][..1]);
            }
            i += 1;
            for _ in 0..10 {
                if !stop.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(100));
                }
            }
        }
    });
}

#[test]
fn abuse_keep_alive_scrapers_do_not_starve_others() {
    // 20 clients scraping back to back on kept-alive connections.
    under_abuse(&["--top", "5"], 20 + 32, |addr, stop| {
        let hammers: Vec<_> = (0..20)
            .map(|_| {
                let (addr, stop) = (addr.clone(), Arc::clone(&stop));
                thread::spawn(move || {
                    let Ok(s) = TcpStream::connect(&addr) else {
                        return;
                    };
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    let mut r = BufReader::new(s.try_clone().unwrap());
                    let mut w = s;
                    while !stop.load(Ordering::Relaxed) {
                        if w.write_all(b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
                            .is_err()
                        {
                            return;
                        }
                        let mut len = 0;
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if let Some(v) = line.strip_prefix("Content-Length: ") {
                                len = v.trim().parse().unwrap_or(0);
                            }
                            if line == "\r\n" {
                                break;
                            }
                        }
                        let mut body = vec![0; len];
                        if r.read_exact(&mut body).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        for h in hammers {
            let _ = h.join();
        }
    });
}

#[test]
fn abuse_clients_that_never_read_do_not_block_others() {
    // 50 connections pipelining requests and never reading an answer.
    under_abuse(&["--top", "5"], 50 + 32, |addr, stop| {
        let burst = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n".repeat(64);
        let conns: Vec<TcpStream> = (0..50)
            .filter_map(|_| TcpStream::connect(&addr).ok())
            .collect();
        for mut c in &conns {
            let _ = c.set_nonblocking(true);
            let _ = c.write_all(burst.as_bytes());
        }
        while !stop.load(Ordering::Relaxed) {
            thread::sleep(Duration::from_millis(50));
        }
        drop(conns);
    });
}

#[test]
fn abuse_a_connection_flood_evicts_the_stalest() {
    // 400 silent connections against a cap of 128, 250 new ones a second:
    // newcomers push out the stalest instead of being refused. (A scrape's
    // connection is safe unless 128 others are accepted between its
    // accept and its request: the rate leaves half a second for that.)
    under_abuse(
        &["--top", "5", "--max-connections", "128"],
        128 + 32,
        |addr, stop| {
            let mut held = std::collections::VecDeque::new();
            while !stop.load(Ordering::Relaxed) {
                for _ in 0..25 {
                    if let Ok(c) = TcpStream::connect(&addr) {
                        held.push_back(c);
                    }
                }
                while held.len() > 400 {
                    held.pop_front();
                }
                thread::sleep(Duration::from_millis(100));
            }
        },
    );
}

#[test]
fn abuse_bad_requests_are_answered_and_closed() {
    let srv = Server::start(&["--top", "0"]);
    let send = |raw: &str| {
        let mut s = TcpStream::connect(&srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    // RFC 9112 §6.3: a duplicate Content-Length is rejected, not guessed at.
    let r =
        send("GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 400 "), "{r}");
    let r = send("GET /metrics HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 400 "), "{r}");
    let many: String = (0..100).map(|i| format!("X-{i}: y\r\n")).collect();
    let r = send(&format!("GET /metrics HTTP/1.1\r\nHost: t\r\n{many}\r\n"));
    assert!(r.starts_with("HTTP/1.1 431 "), "{r}");
    // And the server is still fine.
    assert!(scrape_ok(&srv.addr));
}

// ---- collectors: --collector.NAME / --no-collector.NAME ----------------

/// The family names of a scrape (from its `# TYPE` lines).
fn families_of(srv: &Server) -> Vec<String> {
    let (status, body) = srv.get("/metrics");
    assert_eq!(status, 200);
    parse(&body);
    body.lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect()
}

/// The collectors a scrape reports running.
fn collectors_of(m: &Metrics) -> Vec<String> {
    let mut v: Vec<String> = m
        .with_prefix("psutil_scrape_collector_success{")
        .into_iter()
        .map(|(k, _)| k.split('"').nth(1).unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn disabled_collectors_leave_no_families() {
    let srv = Server::start(&[
        "--no-collector.processes",
        "--no-collector.cgroup",
        "--no-collector.memory",
    ]);
    let fams = families_of(&srv);
    for prefix in [
        "psutil_process",
        "psutil_cgroup_",
        "psutil_memory_",
        "psutil_swap_",
    ] {
        assert!(
            !fams.iter().any(|f| f.starts_with(prefix)),
            "{prefix}* present: {fams:?}"
        );
    }
    assert!(fams.iter().any(|f| f == "psutil_cpu_seconds_total"));
    assert!(fams.iter().any(|f| f == "psutil_load1"));
    let ran = collectors_of(&srv.metrics());
    for off in ["processes", "cgroup", "memory"] {
        assert!(!ran.iter().any(|c| c == off), "{off} ran: {ran:?}");
    }
    assert!(ran.iter().any(|c| c == "cpu"));
    drop(srv);

    // disable-defaults: only the named ones; the last of a pair wins.
    let srv = Server::start(&[
        "--collector.disable-defaults",
        "--collector.memory",
        "--collector.loadavg",
        "--no-collector.loadavg",
        "--no-collector.boottime",
        "--collector.boottime",
    ]);
    assert_eq!(collectors_of(&srv.metrics()), ["boottime", "memory"]);
    let fams = families_of(&srv);
    assert!(fams.iter().any(|f| f == "psutil_memory_total_bytes"));
    assert!(fams.iter().any(|f| f == "psutil_boot_time_seconds"));
    assert!(!fams.iter().any(|f| f.starts_with("psutil_cpu_")));
    assert!(!fams.iter().any(|f| f.starts_with("psutil_load")));

    // Unknown collectors are usage errors.
    for bad in ["--collector.nope", "--no-collector.nope"] {
        let out = Command::new(BIN).args(["serve", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    // Every collector is listed in --help.
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for c in [
        "cpu",
        "loadavg",
        "memory",
        "diskstats",
        "filesystem",
        "netdev",
        "temperature",
        "boottime",
        "processes",
        "pressure",
        "cgroup",
    ] {
        assert!(help.contains(&format!("--collector.{c}\n")), "{c}");
    }
    assert!(help.contains("--collector.disable-defaults"));
    assert!(help.contains("--no-collector.processes"));
}

#[test]
fn without_the_processes_collector_no_process_is_read() {
    // The output: no process families, and the processes collector did
    // not run.
    let srv = Server::start(&["--no-collector.processes", "--no-collector.cgroup"]);
    let fams = families_of(&srv);
    assert!(!fams.iter().any(|f| f.starts_with("psutil_process")));
    drop(srv);
    // The system calls: no file below /proc/PID opened across scrapes.
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("SKIP: strace not installed; checked through the output only");
        return;
    }
    let dir = std::env::temp_dir().join(format!("psutil-serve-strace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("trace");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
        .arg(&log)
        .args([BIN, "serve", "--listen", "127.0.0.1:0"])
        .args(["--no-collector.processes", "--no-collector.cgroup"]);
    let srv = Server::spawn(cmd);
    for _ in 0..3 {
        let (status, _) = srv.get("/metrics");
        assert_eq!(status, 200);
    }
    drop(srv);
    // Sanity: the trace works (the scrapes opened /proc/stat).
    let trace = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(trace.contains("\"/proc/stat\""), "no trace:\n{trace}");
    let per_process: Vec<&str> = trace
        .lines()
        .filter(|l| {
            let Some(path) = l.split('"').nth(1) else {
                return false;
            };
            let rest = path.strip_prefix("/proc/").unwrap_or(path);
            rest.split('/')
                .next()
                .is_some_and(|first| !first.is_empty() && first.bytes().all(|c| c.is_ascii_digit()))
        })
        .collect();
    // The server's own /proc/self is spelled "self" (or not opened at all).
    assert!(per_process.is_empty(), "{per_process:?}");
}
