//! [`Signal`]: what `Process::send_signal` takes instead of a bare `i32`.

use crate::platform::imp::process::signals as sig;
use crate::{Error, Result};

/// A signal number `kill(2)` accepts, psutil's `sig` argument of
/// `send_signal` (Python's `signal.Signals`).
///
/// The standard signals are constants with their usual names
/// ([`Signal::SIGTERM`], ...), listed in [`Signal::ALL`]. Real-time
/// signals come from [`Signal::realtime`] (`SIGRTMIN + n`), any number
/// from [`Signal::from_raw`], and names or numbers from [`str::parse`]
/// (`"SIGTERM"`, `"term"`, `"15"`, `"SIGRTMIN+2"`).
///
/// Signal 0 is accepted as psutil accepts it: it sends nothing and only
/// checks that the process exists and may be signalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal(i32);

/// The standard signals with their names, in number order on x86 and Arm
/// (the numbers come from the backend, so other architectures get their own).
const STANDARD: [(Signal, &str); 31] = [
    (Signal::SIGHUP, "SIGHUP"),
    (Signal::SIGINT, "SIGINT"),
    (Signal::SIGQUIT, "SIGQUIT"),
    (Signal::SIGILL, "SIGILL"),
    (Signal::SIGTRAP, "SIGTRAP"),
    (Signal::SIGABRT, "SIGABRT"),
    (Signal::SIGBUS, "SIGBUS"),
    (Signal::SIGFPE, "SIGFPE"),
    (Signal::SIGKILL, "SIGKILL"),
    (Signal::SIGUSR1, "SIGUSR1"),
    (Signal::SIGSEGV, "SIGSEGV"),
    (Signal::SIGUSR2, "SIGUSR2"),
    (Signal::SIGPIPE, "SIGPIPE"),
    (Signal::SIGALRM, "SIGALRM"),
    (Signal::SIGTERM, "SIGTERM"),
    (Signal::SIGSTKFLT, "SIGSTKFLT"),
    (Signal::SIGCHLD, "SIGCHLD"),
    (Signal::SIGCONT, "SIGCONT"),
    (Signal::SIGSTOP, "SIGSTOP"),
    (Signal::SIGTSTP, "SIGTSTP"),
    (Signal::SIGTTIN, "SIGTTIN"),
    (Signal::SIGTTOU, "SIGTTOU"),
    (Signal::SIGURG, "SIGURG"),
    (Signal::SIGXCPU, "SIGXCPU"),
    (Signal::SIGXFSZ, "SIGXFSZ"),
    (Signal::SIGVTALRM, "SIGVTALRM"),
    (Signal::SIGPROF, "SIGPROF"),
    (Signal::SIGWINCH, "SIGWINCH"),
    (Signal::SIGIO, "SIGIO"),
    (Signal::SIGPWR, "SIGPWR"),
    (Signal::SIGSYS, "SIGSYS"),
];

/// `SIGRTMIN+k` by `k`: the names of the lower half of the real-time range.
/// 17 entries cover every C library on x86 and Arm (glibc's 31 real-time
/// signals, musl's 30); a longer range (MIPS) names the rest `"SIG?"`.
const RTMIN_PLUS: [&str; 17] = [
    "SIGRTMIN",
    "SIGRTMIN+1",
    "SIGRTMIN+2",
    "SIGRTMIN+3",
    "SIGRTMIN+4",
    "SIGRTMIN+5",
    "SIGRTMIN+6",
    "SIGRTMIN+7",
    "SIGRTMIN+8",
    "SIGRTMIN+9",
    "SIGRTMIN+10",
    "SIGRTMIN+11",
    "SIGRTMIN+12",
    "SIGRTMIN+13",
    "SIGRTMIN+14",
    "SIGRTMIN+15",
    "SIGRTMIN+16",
];

/// `SIGRTMAX-k` by `k`: the names of the upper half.
const RTMAX_MINUS: [&str; 17] = [
    "SIGRTMAX",
    "SIGRTMAX-1",
    "SIGRTMAX-2",
    "SIGRTMAX-3",
    "SIGRTMAX-4",
    "SIGRTMAX-5",
    "SIGRTMAX-6",
    "SIGRTMAX-7",
    "SIGRTMAX-8",
    "SIGRTMAX-9",
    "SIGRTMAX-10",
    "SIGRTMAX-11",
    "SIGRTMAX-12",
    "SIGRTMAX-13",
    "SIGRTMAX-14",
    "SIGRTMAX-15",
    "SIGRTMAX-16",
];

/// The name `kill -l` gives real-time signal `n` when the C library's
/// range is `rtmin..=rtmax`: `SIGRTMIN+k` up to the middle of the range,
/// `SIGRTMAX-k` above it. `None` outside the range or past the tables.
/// A pure function of the range so that glibc's (34..=64) and musl's
/// (35..=64) are both testable on either.
fn realtime_name(n: i32, rtmin: i32, rtmax: i32) -> Option<&'static str> {
    if !(rtmin..=rtmax).contains(&n) {
        return None;
    }
    let (table, k) = if n - rtmin <= (rtmax - rtmin) / 2 {
        (&RTMIN_PLUS, n - rtmin)
    } else {
        (&RTMAX_MINUS, rtmax - n)
    };
    table.get(usize::try_from(k).ok()?).copied()
}

/// The number of the real-time signal named `name` (upper case, with
/// `SIG`: `"SIGRTMIN+2"`, `"SIGRTMAX"`) in the range `rtmin..=rtmax`.
/// Any offset that stays in the range is accepted, as `kill` accepts
/// `SIGRTMIN+20` although `kill -l` calls that signal `SIGRTMAX-10`.
fn parse_realtime(name: &str, rtmin: i32, rtmax: i32) -> Option<i32> {
    let offset = |rest: &str| -> Option<i32> {
        if rest.is_empty() {
            return Some(0);
        }
        let digits = rest.get(1..)?;
        // `i32::from_str` would also take a sign: "SIGRTMIN+-1" is no name.
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let n = if let Some(rest) = name.strip_prefix("SIGRTMIN") {
        if !(rest.is_empty() || rest.starts_with('+')) {
            return None;
        }
        rtmin.checked_add(offset(rest)?)?
    } else if let Some(rest) = name.strip_prefix("SIGRTMAX") {
        if !(rest.is_empty() || rest.starts_with('-')) {
            return None;
        }
        rtmax.checked_sub(offset(rest)?)?
    } else {
        return None;
    };
    (rtmin..=rtmax).contains(&n).then_some(n)
}

impl Signal {
    /// `SIGHUP`
    pub const SIGHUP: Signal = Signal(sig::SIGHUP);
    /// `SIGINT`
    pub const SIGINT: Signal = Signal(sig::SIGINT);
    /// `SIGQUIT`
    pub const SIGQUIT: Signal = Signal(sig::SIGQUIT);
    /// `SIGILL`
    pub const SIGILL: Signal = Signal(sig::SIGILL);
    /// `SIGTRAP`
    pub const SIGTRAP: Signal = Signal(sig::SIGTRAP);
    /// `SIGABRT`
    pub const SIGABRT: Signal = Signal(sig::SIGABRT);
    /// `SIGBUS`
    pub const SIGBUS: Signal = Signal(sig::SIGBUS);
    /// `SIGFPE`
    pub const SIGFPE: Signal = Signal(sig::SIGFPE);
    /// `SIGKILL`: psutil's `kill()`.
    pub const SIGKILL: Signal = Signal(sig::SIGKILL);
    /// `SIGUSR1`
    pub const SIGUSR1: Signal = Signal(sig::SIGUSR1);
    /// `SIGSEGV`
    pub const SIGSEGV: Signal = Signal(sig::SIGSEGV);
    /// `SIGUSR2`
    pub const SIGUSR2: Signal = Signal(sig::SIGUSR2);
    /// `SIGPIPE`
    pub const SIGPIPE: Signal = Signal(sig::SIGPIPE);
    /// `SIGALRM`
    pub const SIGALRM: Signal = Signal(sig::SIGALRM);
    /// `SIGTERM`: psutil's `terminate()`.
    pub const SIGTERM: Signal = Signal(sig::SIGTERM);
    /// `SIGSTKFLT`
    pub const SIGSTKFLT: Signal = Signal(sig::SIGSTKFLT);
    /// `SIGCHLD`
    pub const SIGCHLD: Signal = Signal(sig::SIGCHLD);
    /// `SIGCONT`: psutil's `resume()`.
    pub const SIGCONT: Signal = Signal(sig::SIGCONT);
    /// `SIGSTOP`: psutil's `suspend()`.
    pub const SIGSTOP: Signal = Signal(sig::SIGSTOP);
    /// `SIGTSTP`
    pub const SIGTSTP: Signal = Signal(sig::SIGTSTP);
    /// `SIGTTIN`
    pub const SIGTTIN: Signal = Signal(sig::SIGTTIN);
    /// `SIGTTOU`
    pub const SIGTTOU: Signal = Signal(sig::SIGTTOU);
    /// `SIGURG`
    pub const SIGURG: Signal = Signal(sig::SIGURG);
    /// `SIGXCPU`
    pub const SIGXCPU: Signal = Signal(sig::SIGXCPU);
    /// `SIGXFSZ`
    pub const SIGXFSZ: Signal = Signal(sig::SIGXFSZ);
    /// `SIGVTALRM`
    pub const SIGVTALRM: Signal = Signal(sig::SIGVTALRM);
    /// `SIGPROF`
    pub const SIGPROF: Signal = Signal(sig::SIGPROF);
    /// `SIGWINCH`
    pub const SIGWINCH: Signal = Signal(sig::SIGWINCH);
    /// `SIGIO`
    pub const SIGIO: Signal = Signal(sig::SIGIO);
    /// `SIGPWR`
    pub const SIGPWR: Signal = Signal(sig::SIGPWR);
    /// `SIGSYS`
    pub const SIGSYS: Signal = Signal(sig::SIGSYS);

    /// Every standard (not real-time) signal, by number.
    pub const ALL: &'static [Signal] = &{
        let mut all = [Signal(0); STANDARD.len()];
        let mut i = 0;
        while i < STANDARD.len() {
            all[i] = STANDARD[i].0;
            i += 1;
        }
        all
    };

    /// The signal with number `n`: 0 (no signal, see the type's docs)
    /// through `SIGRTMAX`; `None` for any other number.
    pub fn from_raw(n: i32) -> Option<Signal> {
        (0..=sig::rtmax()).contains(&n).then_some(Signal(n))
    }

    /// The real-time signal `SIGRTMIN + n` (the C library's `SIGRTMIN`,
    /// as Python's `signal.SIGRTMIN`); `None` past `SIGRTMAX`.
    pub fn realtime(n: u8) -> Option<Signal> {
        Signal::from_raw(sig::rtmin().checked_add(i32::from(n))?)
    }

    /// The number `kill(2)` takes.
    pub fn as_raw(self) -> i32 {
        self.0
    }

    /// The signal's name (`"SIGTERM"`, `"SIGRTMIN+2"`), as `kill -l`
    /// prints it; a number without a name (0, and the real-time numbers
    /// the C library keeps below its `SIGRTMIN`) as `"SIG<n>"`.
    pub fn as_str(self) -> &'static str {
        if let Some((_, name)) = STANDARD.iter().find(|(s, _)| *s == self) {
            return name;
        }
        if let Some(name) = realtime_name(self.0, sig::rtmin(), sig::rtmax()) {
            return name;
        }
        // The numbers below the C library's SIGRTMIN (glibc keeps 32 and
        // 33, musl also 34); "SIG?" only past the name tables (MIPS).
        match self.0 {
            0 => "SIG0",
            32 => "SIG32",
            33 => "SIG33",
            34 => "SIG34",
            _ => "SIG?",
        }
    }
}

impl std::str::FromStr for Signal {
    type Err = Error;

    /// Parses a number (`"15"`), a name with or without `SIG` in any case
    /// (`"SIGTERM"`, `"term"`), or a real-time name (`"SIGRTMIN+2"`).
    fn from_str(s: &str) -> Result<Signal> {
        let bad = || Error::invalid(format!("unknown signal '{s}'"));
        if let Ok(n) = s.parse::<i32>() {
            return Signal::from_raw(n).ok_or_else(bad);
        }
        let up = s.to_ascii_uppercase();
        let full = if up.starts_with("SIG") {
            up
        } else {
            format!("SIG{up}")
        };
        if let Some((sig, _)) = STANDARD.iter().find(|(_, n)| *n == full) {
            return Ok(*sig);
        }
        parse_realtime(&full, sig::rtmin(), sig::rtmax())
            .and_then(Signal::from_raw)
            .ok_or_else(bad)
    }
}

psutil_names!(Signal);

impl From<Signal> for i32 {
    fn from(s: Signal) -> i32 {
        s.as_raw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for &s in Signal::ALL {
            assert_eq!(s.as_str().parse::<Signal>().unwrap(), s);
            assert_eq!(Signal::from_raw(s.as_raw()), Some(s));
        }
        assert_eq!("term".parse::<Signal>().unwrap(), Signal::SIGTERM);
        assert_eq!("9".parse::<Signal>().unwrap(), Signal::SIGKILL);
        assert_eq!(Signal::SIGTERM.as_raw(), 15);
        assert!("NOPE".parse::<Signal>().is_err());
        assert!("-1".parse::<Signal>().is_err());
        assert_eq!(Signal::from_raw(65), None);
        let rt = Signal::realtime(2).unwrap();
        assert_eq!(rt.as_raw(), sig::rtmin() + 2);
        assert_eq!(rt.as_str(), "SIGRTMIN+2");
        assert_eq!("rtmin+2".parse::<Signal>().unwrap(), rt);
        let max = Signal::from_raw(sig::rtmax()).unwrap();
        assert_eq!(max.as_str(), "SIGRTMAX");
        assert_eq!(Signal::realtime(200), None);
    }

    #[test]
    fn realtime_names_follow_kill_l_on_glibc_and_musl() {
        // glibc: 34..=64, 31 signals, the lower half one longer.
        assert_eq!(realtime_name(34, 34, 64), Some("SIGRTMIN"));
        assert_eq!(realtime_name(49, 34, 64), Some("SIGRTMIN+15"));
        assert_eq!(realtime_name(50, 34, 64), Some("SIGRTMAX-14"));
        assert_eq!(realtime_name(64, 34, 64), Some("SIGRTMAX"));
        // musl: 35..=64, 30 signals.
        assert_eq!(realtime_name(35, 35, 64), Some("SIGRTMIN"));
        assert_eq!(realtime_name(49, 35, 64), Some("SIGRTMIN+14"));
        assert_eq!(realtime_name(50, 35, 64), Some("SIGRTMAX-14"));
        assert_eq!(realtime_name(34, 35, 64), None);
        assert_eq!(realtime_name(65, 35, 64), None);
        for (rtmin, rtmax) in [(34, 64), (35, 64)] {
            for n in rtmin..=rtmax {
                let name = realtime_name(n, rtmin, rtmax).unwrap();
                assert_eq!(parse_realtime(name, rtmin, rtmax), Some(n), "{name}");
            }
        }
        assert_eq!(parse_realtime("SIGRTMIN+20", 34, 64), Some(54));
        assert_eq!(parse_realtime("SIGRTMIN+31", 34, 64), None);
        assert_eq!(parse_realtime("SIGRTMAX+1", 34, 64), None);
        assert_eq!(parse_realtime("SIGRTMIN+-1", 34, 64), None);
        assert_eq!(parse_realtime("SIGRTMIN2", 34, 64), None);
        assert_eq!(parse_realtime("SIGRTMIN+", 34, 64), None);
    }
}
