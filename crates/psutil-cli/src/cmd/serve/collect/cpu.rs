//! The `cpu` collector: CPU times per CPU (`cpu_times(percpu=True)`), CPU
//! counts (`cpu_count()`) and the kernel's event counters (`cpu_stats()`).

use psutil::cpu::{self, CpuTimes};

use super::{Collector, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

const SECONDS: Desc = Desc::counter(
    "psutil_cpu_seconds_total",
    "Seconds the CPUs spent in each mode (cpu_times(percpu=True)).",
    &["cpu", "mode"],
);
const GUEST_SECONDS: Desc = Desc::counter(
    "psutil_cpu_guest_seconds_total",
    "Seconds the CPUs spent running guests (cpu_times guest, guest_nice).",
    &["cpu", "mode"],
);
const COUNT_LOGICAL: Desc = Desc::gauge(
    "psutil_cpu_count_logical",
    "Logical CPUs (cpu_count()).",
    &[],
);
const COUNT_PHYSICAL: Desc = Desc::gauge(
    "psutil_cpu_count_physical",
    "Physical cores (cpu_count(logical=False)).",
    &[],
);
const CONTEXT_SWITCHES: Desc = Desc::counter(
    "psutil_context_switches_total",
    "Context switches since boot (cpu_stats().ctx_switches).",
    &[],
);
const INTERRUPTS: Desc = Desc::counter(
    "psutil_interrupts_total",
    "Interrupts since boot (cpu_stats().interrupts).",
    &[],
);
const SOFT_INTERRUPTS: Desc = Desc::counter(
    "psutil_soft_interrupts_total",
    "Soft interrupts since boot (cpu_stats().soft_interrupts).",
    &[],
);

/// A mode of [`SECONDS`] and its seconds; `None` where the kernel has no
/// column for it.
type Mode = (&'static str, fn(&CpuTimes) -> Option<f64>);

/// node_exporter's modes. Guest time is part of user/nice in the kernel's
/// accounting, so it is a family of its own ([`GUEST_MODES`]), not a mode.
const MODES: [Mode; 8] = [
    ("user", |t| Some(t.user)),
    ("nice", |t| Some(t.nice)),
    ("system", |t| Some(t.system)),
    ("idle", |t| Some(t.idle)),
    ("iowait", |t| Some(t.iowait)),
    ("irq", |t| Some(t.irq)),
    ("softirq", |t| Some(t.softirq)),
    ("steal", |t| t.steal),
];
const GUEST_MODES: [Mode; 2] = [("user", |t| t.guest), ("nice", |t| t.guest_nice)];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    s.cpu_times = cpu::cpu_times_percpu()?;
    s.cpu_count_logical = cpu::cpu_count(true)?;
    s.cpu_count_physical = cpu::cpu_count(false).ok().flatten();
    s.cpu_stats = cpu::cpu_stats().ok();
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for (i, t) in s.cpu_times.iter().enumerate() {
        let cpu = i.to_string();
        for (desc, modes) in [(&SECONDS, &MODES[..]), (&GUEST_SECONDS, &GUEST_MODES[..])] {
            for (mode, get) in modes {
                if let Some(v) = get(t) {
                    e.add(desc, &[&cpu, mode], v);
                }
            }
        }
    }
    if let Some(n) = s.cpu_count_logical {
        e.add(&COUNT_LOGICAL, &[], n);
    }
    if let Some(n) = s.cpu_count_physical {
        e.add(&COUNT_PHYSICAL, &[], n);
    }
    if let Some(st) = &s.cpu_stats {
        e.add(&CONTEXT_SWITCHES, &[], st.ctx_switches);
        e.add(&INTERRUPTS, &[], st.interrupts);
        if let Some(n) = st.soft_interrupts {
            e.add(&SOFT_INTERRUPTS, &[], n);
        }
    }
}
