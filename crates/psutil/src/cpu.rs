//! System CPU information: psutil's `cpu_times()`, `cpu_percent()`,
//! `cpu_times_percent()`, `cpu_count()`, `cpu_stats()`, `cpu_freq()` and
//! `getloadavg()`.
//!
//! psutil's `percpu=True` variants are separate functions with a
//! `_percpu` suffix (they return lists). Times are seconds.
//!
//! `cpu_percent(interval=None)` in psutil compares with the previous call
//! made by the same thread. Here the state lives in a [`CpuPercent`] value
//! the caller owns, so unrelated callers never disturb each other; the
//! module-level [`cpu_percent`] and friends keep psutil's per-thread
//! behaviour on a thread-local `CpuPercent` for code written the psutil
//! way.
//!
//! ```
//! use std::time::Duration;
//! use psutil::cpu::{self, CpuPercent};
//!
//! // Blocking, like psutil.cpu_percent(interval=0.5).
//! println!("{}%", cpu::cpu_percent(Some(Duration::from_millis(500)))?);
//! // Non-blocking, with a sampler this code owns.
//! let mut s = CpuPercent::new()?;
//! std::thread::sleep(Duration::from_millis(100));
//! println!("{:?}", s.cpu_percent_percpu(None)?);
//! # Ok::<(), psutil::Error>(())
//! ```

use std::cell::RefCell;
use std::time::Duration;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::platform::imp::cpu as imp;
use crate::Result;

/// psutil's `scputimes` namedtuple on Linux: seconds spent in each mode
/// since boot (from [`cpu_times`]), or percentages (from
/// [`cpu_times_percent`]).
///
/// psutil decides the fields from the number of columns of `/proc/stat`:
/// `steal` exists since Linux 2.6.11, `guest` since 2.6.24 and
/// `guest_nice` since 3.2. Those three are `None` on kernels without them
/// (and are left out of the JSON form, like psutil's `_asdict()`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct CpuTimes {
    /// psutil's `user`: normal processes in user mode (includes `guest`);
    /// seconds, or percent (see the type).
    pub user: f64,
    /// psutil's `nice`: niced processes in user mode (includes
    /// `guest_nice`); seconds or percent.
    pub nice: f64,
    /// psutil's `system`: kernel mode; seconds or percent.
    pub system: f64,
    /// psutil's `idle`: doing nothing; seconds or percent.
    pub idle: f64,
    /// psutil's `iowait`: waiting for I/O (not counted in `idle`); seconds
    /// or percent.
    pub iowait: f64,
    /// psutil's `irq`: servicing hardware interrupts; seconds or percent.
    pub irq: f64,
    /// psutil's `softirq`: servicing software interrupts; seconds or
    /// percent.
    pub softirq: f64,
    /// psutil's `steal`: stolen by the hypervisor; seconds or percent.
    /// `None` before Linux 2.6.11.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub steal: Option<f64>,
    /// psutil's `guest`: running a guest's virtual CPU; seconds or percent.
    /// `None` before Linux 2.6.24.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub guest: Option<f64>,
    /// psutil's `guest_nice`: running a niced guest; seconds or percent.
    /// `None` before Linux 3.2.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub guest_nice: Option<f64>,
}

/// The field names of [`CpuTimes`] in psutil's order.
pub const CPU_TIMES_FIELDS: [&str; 10] = [
    "user",
    "nice",
    "system",
    "idle",
    "iowait",
    "irq",
    "softirq",
    "steal",
    "guest",
    "guest_nice",
];

impl CpuTimes {
    /// The fields in psutil's order; `None` for those this kernel lacks.
    pub fn values(&self) -> [Option<f64>; 10] {
        [
            Some(self.user),
            Some(self.nice),
            Some(self.system),
            Some(self.idle),
            Some(self.iowait),
            Some(self.irq),
            Some(self.softirq),
            self.steal,
            self.guest,
            self.guest_nice,
        ]
    }

    /// `(name, value)` of the fields this kernel has, psutil's `_asdict()`.
    pub fn fields(&self) -> Vec<(&'static str, f64)> {
        CPU_TIMES_FIELDS
            .iter()
            .zip(self.values())
            .filter_map(|(n, v)| Some((*n, v?)))
            .collect()
    }

    pub(crate) fn from_values(v: &[Option<f64>; 10]) -> CpuTimes {
        CpuTimes {
            user: v[0].unwrap_or(0.0),
            nice: v[1].unwrap_or(0.0),
            system: v[2].unwrap_or(0.0),
            idle: v[3].unwrap_or(0.0),
            iowait: v[4].unwrap_or(0.0),
            irq: v[5].unwrap_or(0.0),
            softirq: v[6].unwrap_or(0.0),
            steal: v[7],
            guest: v[8],
            guest_nice: v[9],
        }
    }
}

/// psutil's `scpustats` namedtuple, from [`cpu_stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct CpuStats {
    /// psutil's `ctx_switches`: context switches since boot, count
    /// (`ctxt`).
    pub ctx_switches: u64,
    /// psutil's `interrupts`: interrupts since boot, count (first number
    /// of `intr`).
    pub interrupts: u64,
    /// psutil's `soft_interrupts`: soft interrupts since boot, count (first
    /// number of `softirq`); `None` on
    /// kernels before 2.6.31, which lack the line (psutil: `None` too).
    pub soft_interrupts: Option<u64>,
    /// psutil's `syscalls`: always 0 on Linux.
    pub syscalls: u64,
}

/// psutil's `scpufreq` namedtuple in MHz, from [`cpu_freq`]. Without
/// cpufreq in sysfs `min` and `max` are 0.0 (psutil does the same).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct CpuFreq {
    /// psutil's `current`: the current frequency, MHz (the mean over CPUs
    /// for the system-wide value).
    pub current: f64,
    /// psutil's `min`: the lowest frequency cpufreq allows, MHz; 0.0
    /// without cpufreq.
    pub min: f64,
    /// psutil's `max`: the highest frequency cpufreq allows, MHz; 0.0
    /// without cpufreq.
    pub max: f64,
}

/// psutil's `cpu_times()`: system-wide CPU times, the first line of
/// `/proc/stat` in seconds (clock ticks / `SC_CLK_TCK`).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/stat` cannot be read, or
/// its `cpu` line is malformed (kind `InvalidData`).
///
/// # Examples
///
/// ```
/// let t = psutil::cpu::cpu_times()?; // seconds since boot, all CPUs
/// println!("user {:.1} s, system {:.1} s, idle {:.1} s", t.user, t.system, t.idle);
/// let per_cpu = psutil::cpu::cpu_times_percpu()?;
/// assert!(!per_cpu.is_empty());
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn cpu_times() -> Result<CpuTimes> {
    Ok(imp::cpu_times(false)?.0)
}

/// psutil's `cpu_times(percpu=True)`: one [`CpuTimes`] per `cpuN` line of
/// `/proc/stat` (online CPUs), in file order.
///
/// # Errors
///
/// As [`cpu_times`].
pub fn cpu_times_percpu() -> Result<Vec<CpuTimes>> {
    Ok(imp::cpu_times(true)?.1)
}

/// Per-field deltas `t2 - t1`, negative ones clamped to 0 (psutil's
/// `_cpu_times_deltas`; the kernel's counters occasionally step back).
fn deltas(t1: &CpuTimes, t2: &CpuTimes) -> [Option<f64>; 10] {
    let (a, b) = (t1.values(), t2.values());
    let mut out = [None; 10];
    for i in 0..10 {
        if let (Some(x), Some(y)) = (a[i], b[i]) {
            let d = y - x;
            out[i] = Some(if d > 0.0 { d } else { 0.0 });
        }
    }
    out
}

/// psutil's `_cpu_tot_time`: the sum of every field minus `guest` and
/// `guest_nice` (already counted in `user` and `nice`), summed in field
/// order as Python does.
fn total(v: &[Option<f64>; 10]) -> f64 {
    let mut tot = 0.0;
    for x in v.iter().flatten() {
        tot += x;
    }
    tot -= v[8].unwrap_or(0.0);
    tot -= v[9].unwrap_or(0.0);
    tot
}

/// psutil's `cpu_percent` arithmetic between two samples: busy time
/// (total − idle − iowait) over total time, rounded to one decimal; 0.0
/// when no time passed.
pub fn percent_between(t1: &CpuTimes, t2: &CpuTimes) -> f64 {
    let d = deltas(t1, t2);
    let all = total(&d);
    let busy = all - d[3].unwrap_or(0.0) - d[4].unwrap_or(0.0);
    if all == 0.0 {
        return 0.0;
    }
    crate::pyround::round(busy / all * 100.0, 1)
}

/// psutil's `cpu_times_percent` arithmetic between two samples: each
/// field's delta × `100 / max(1, total delta)`, rounded to one decimal and
/// clamped to [0, 100].
///
/// Like psutil, the divisor is at least one CPU-second, so over less than
/// one CPU-second of total time the percentages add up to less than 100
/// (e.g. 0.1 s on 2 CPUs: idle ≈ 20.0).
pub fn times_percent_between(t1: &CpuTimes, t2: &CpuTimes) -> CpuTimes {
    let d = deltas(t1, t2);
    let all = total(&d);
    let scale = 100.0 / if all > 1.0 { all } else { 1.0 };
    let mut out = [None; 10];
    for (o, x) in out.iter_mut().zip(d) {
        *o = x.map(|x| {
            let p = crate::pyround::round(x * scale, 1);
            let p = if p > 0.0 { p } else { 0.0 };
            if p > 100.0 {
                100.0
            } else {
                p
            }
        });
    }
    CpuTimes::from_values(&out)
}

/// The state behind psutil's non-blocking `cpu_percent()` and
/// `cpu_times_percent()`: the previous sample of each.
///
/// [`CpuPercent::new`] takes the baseline, so the first non-blocking call
/// measures from then (in psutil, from `import psutil` for the importing
/// thread). As in psutil, `cpu_percent` and `cpu_times_percent` (and their
/// per-CPU forms) each keep their own previous sample, so calling one does
/// not shorten the interval the other sees. Every call, blocking or not,
/// stores its end sample as the new baseline for its function.
#[derive(Debug, Clone)]
pub struct CpuPercent {
    last: CpuTimes,
    last_percpu: Vec<CpuTimes>,
    last_times: CpuTimes,
    last_times_percpu: Vec<CpuTimes>,
}

/// Takes the start sample: a fresh one after sleeping `interval` if it is
/// positive (blocking), else the stored one.
fn start(
    stored: CpuTimes,
    interval: Option<Duration>,
    now: fn() -> Result<CpuTimes>,
) -> Result<CpuTimes> {
    match interval.filter(|d| !d.is_zero()) {
        Some(d) => {
            let t1 = now()?;
            std::thread::sleep(d);
            Ok(t1)
        }
        None => Ok(stored),
    }
}

fn start_percpu(stored: &[CpuTimes], interval: Option<Duration>) -> Result<Vec<CpuTimes>> {
    match interval.filter(|d| !d.is_zero()) {
        Some(d) => {
            let t1 = cpu_times_percpu()?;
            std::thread::sleep(d);
            Ok(t1)
        }
        None => Ok(stored.to_vec()),
    }
}

impl CpuPercent {
    /// A sampler whose baseline is now (one read of `/proc/stat`).
    ///
    /// # Errors
    ///
    /// As [`cpu_times`]: the baseline is one read of `/proc/stat`.
    pub fn new() -> Result<CpuPercent> {
        let (total, percpu) = imp::cpu_times(true)?;
        Ok(CpuPercent {
            last: total,
            last_percpu: percpu.clone(),
            last_times: total,
            last_times_percpu: percpu,
        })
    }

    /// psutil's `cpu_percent(interval)`: system-wide utilization in
    /// percent. A positive `interval` blocks and measures over it; `None`
    /// or zero measures since the previous `cpu_percent` call on this
    /// sampler (or its creation).
    ///
    /// # Errors
    ///
    /// As [`cpu_times`] (`/proc/stat` is read once or twice). A failed call
    /// leaves the sampler's baseline as it was.
    pub fn cpu_percent(&mut self, interval: Option<Duration>) -> Result<f64> {
        let t1 = start(self.last, interval, cpu_times)?;
        self.last = cpu_times()?;
        Ok(percent_between(&t1, &self.last))
    }

    /// psutil's `cpu_percent(interval, percpu=True)`: one value per CPU.
    /// If the number of CPUs changed, only the common prefix is compared
    /// (psutil's `zip`).
    ///
    /// # Errors
    ///
    /// As [`CpuPercent::cpu_percent`].
    pub fn cpu_percent_percpu(&mut self, interval: Option<Duration>) -> Result<Vec<f64>> {
        let t1 = start_percpu(&self.last_percpu, interval)?;
        self.last_percpu = cpu_times_percpu()?;
        Ok(t1
            .iter()
            .zip(&self.last_percpu)
            .map(|(a, b)| percent_between(a, b))
            .collect())
    }

    /// psutil's `cpu_times_percent(interval)`: the share of each CPU time
    /// field, in percent (see [`times_percent_between`]).
    ///
    /// # Errors
    ///
    /// As [`CpuPercent::cpu_percent`].
    pub fn cpu_times_percent(&mut self, interval: Option<Duration>) -> Result<CpuTimes> {
        let t1 = start(self.last_times, interval, cpu_times)?;
        self.last_times = cpu_times()?;
        Ok(times_percent_between(&t1, &self.last_times))
    }

    /// psutil's `cpu_times_percent(interval, percpu=True)`.
    ///
    /// # Errors
    ///
    /// As [`CpuPercent::cpu_percent`].
    pub fn cpu_times_percent_percpu(
        &mut self,
        interval: Option<Duration>,
    ) -> Result<Vec<CpuTimes>> {
        let t1 = start_percpu(&self.last_times_percpu, interval)?;
        self.last_times_percpu = cpu_times_percpu()?;
        Ok(t1
            .iter()
            .zip(&self.last_times_percpu)
            .map(|(a, b)| times_percent_between(a, b))
            .collect())
    }
}

thread_local! {
    static THREAD_SAMPLER: RefCell<Option<CpuPercent>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's sampler, creating it (baseline = now) first.
fn with_thread_sampler<T>(f: impl FnOnce(&mut CpuPercent) -> Result<T>) -> Result<T> {
    THREAD_SAMPLER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(CpuPercent::new()?);
        }
        f(slot.as_mut().expect("sampler just created"))
    })
}

/// psutil's `cpu_percent(interval)`: system-wide CPU utilization in
/// percent.
///
/// A positive `interval` blocks for it. `None` (or zero) compares with the
/// previous call **on this thread**, as psutil does (its state is keyed by
/// thread id); the first such call on a thread compares two samples taken
/// back to back and so returns about 0.0 (psutil: the same for threads
/// other than the one that imported it). Use a [`CpuPercent`] to keep the
/// state private to one caller.
///
/// # Errors
///
/// As [`cpu_times`], including the first call on a thread, which creates its
/// sampler.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// // Blocks for the interval, like `psutil.cpu_percent(interval=0.1)`.
/// let busy = psutil::cpu::cpu_percent(Some(Duration::from_millis(100)))?;
/// assert!((0.0..=100.0).contains(&busy));
/// // `None` compares with this thread's previous call instead of blocking.
/// let since_last = psutil::cpu::cpu_percent(None)?;
/// println!("{busy}% over 0.1 s, {since_last}% since");
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn cpu_percent(interval: Option<Duration>) -> Result<f64> {
    with_thread_sampler(|s| s.cpu_percent(interval))
}

/// psutil's `cpu_percent(interval, percpu=True)` (per-thread state, see
/// [`cpu_percent`]).
///
/// # Errors
///
/// As [`cpu_percent`].
pub fn cpu_percent_percpu(interval: Option<Duration>) -> Result<Vec<f64>> {
    with_thread_sampler(|s| s.cpu_percent_percpu(interval))
}

/// psutil's `cpu_times_percent(interval)` (per-thread state, see
/// [`cpu_percent`]; kept apart from `cpu_percent`'s, as in psutil).
///
/// # Errors
///
/// As [`cpu_percent`].
pub fn cpu_times_percent(interval: Option<Duration>) -> Result<CpuTimes> {
    with_thread_sampler(|s| s.cpu_times_percent(interval))
}

/// psutil's `cpu_times_percent(interval, percpu=True)`.
///
/// # Errors
///
/// As [`cpu_percent`].
pub fn cpu_times_percent_percpu(interval: Option<Duration>) -> Result<Vec<CpuTimes>> {
    with_thread_sampler(|s| s.cpu_times_percent_percpu(interval))
}

/// psutil's `cpu_count(logical)`.
///
/// `logical = true`: `sysconf(_SC_NPROCESSORS_ONLN)`; if that fails, the
/// `processor` lines of `/proc/cpuinfo`, then the `cpuN` lines of
/// `/proc/stat`. `logical = false`: physical cores, the number of distinct
/// `topology/core_cpus_list` (else `thread_siblings_list`) contents over
/// `/sys/devices/system/cpu/cpu[0-9]*`, else the sum of `cpu cores` per
/// `physical id` in `/proc/cpuinfo`. `Ok(None)` when undetermined (psutil
/// returns `None`); not cached, as in psutil 7.2.2.
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when a file it falls back on exists but
/// cannot be read (`/proc/cpuinfo`, `/proc/stat`, or a sysfs `topology` file).
/// An answer that cannot be found is `Ok(None)`, not an error.
///
/// # Examples
///
/// ```
/// let logical = psutil::cpu::cpu_count(true)?;
/// let physical = psutil::cpu::cpu_count(false)?;
/// println!("{logical:?} logical CPUs, {physical:?} cores");
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn cpu_count(logical: bool) -> Result<Option<usize>> {
    let n = if logical {
        imp::cpu_count_logical()?
    } else {
        imp::cpu_count_cores()?
    };
    Ok(n.filter(|&n| n >= 1))
}

/// psutil's `cpu_stats()`: context switches, interrupts and soft
/// interrupts since boot, from `/proc/stat` (`syscalls` is always 0).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/stat` cannot be read or
/// lacks its `ctxt` or `intr` line (kind `InvalidData`).
pub fn cpu_stats() -> Result<CpuStats> {
    imp::cpu_stats()
}

/// psutil's `cpu_freq(percpu=False)`: the average over
/// [`cpu_freq_percpu`] (the only entry if there is one); `Ok(None)` when
/// there is no frequency data at all.
///
/// # Errors
///
/// As [`cpu_freq_percpu`].
pub fn cpu_freq() -> Result<Option<CpuFreq>> {
    let all = imp::cpu_freq()?;
    Ok(match all.len() {
        0 => None,
        1 => Some(all[0]),
        n => {
            let (mut cur, mut min, mut max) = (0.0, 0.0, 0.0);
            for f in &all {
                cur += f.current;
                min += f.min;
                max += f.max;
            }
            let n = n as f64;
            Some(CpuFreq {
                current: cur / n,
                min: min / n,
                max: max / n,
            })
        }
    })
}

/// psutil's `cpu_freq(percpu=True)`: MHz per cpufreq policy from
/// `/sys/devices/system/cpu/cpufreq/policy*` (or `cpu*/cpufreq`), the
/// current value taken from `/proc/cpuinfo` when it lists one per policy;
/// without cpufreq, the `cpu MHz` lines of `/proc/cpuinfo` with `min` and
/// `max` 0.0. psutil decides between the two once at import; this decides
/// on every call (so a changed `/sys` root is followed).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `/proc/cpuinfo` cannot be read or has a
/// `cpu MHz` value that is not a number; when a policy's `scaling_min_freq` or
/// `scaling_max_freq` cannot be read or is not a number; or (kind
/// `Unsupported`) when an online CPU's policy has no current-frequency file.
pub fn cpu_freq_percpu() -> Result<Vec<CpuFreq>> {
    imp::cpu_freq()
}

/// psutil's `getloadavg()` (`os.getloadavg()`): the 1, 5 and 15 minute
/// load averages. Read from `PROCFS_PATH/loadavg` (glibc reads
/// `/proc/loadavg`; reading it under the configurable root gives the same
/// value by default and follows [`crate::set_procfs_path`]).
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when `PROCFS_PATH/loadavg` cannot be read or
/// is malformed (kind `InvalidData`).
pub fn getloadavg() -> Result<(f64, f64, f64)> {
    imp::loadavg()
}
