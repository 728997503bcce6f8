//! The disk and sensor functions run against fixture `/proc` and `/sys`
//! trees entered with `psutil::Roots`.
//!
//! The roots apply to the test's own thread only: the tests run side by
//! side without a lock, and the process-wide roots are never touched.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};

use psutil::disk::{self, DiskIoCounters, DiskIoNowrap, DiskPartition};
use psutil::sensors::{self, Battery, BatteryTime, Fan, Temperature};
use psutil::users::{users_from, User};

const TREE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/system/disk_sensors_tree"
);

/// Fixture roots, entered on this thread until dropped.
fn roots(procfs: impl AsRef<Path>, sysfs: impl AsRef<Path>) -> psutil::RootsGuard {
    common::fake_roots(Some(procfs.as_ref()), Some(sysfs.as_ref()), None)
}

fn tree(sub: &str) -> PathBuf {
    Path::new(TREE).join(sub)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn part(device: &str, mountpoint: &str, fstype: &str, opts: &str) -> DiskPartition {
    build!(DiskPartition {
        device: device.into(),
        mountpoint: mountpoint.into(),
        fstype: fstype.into(),
        opts: opts.into(),
    })
}

#[test]
fn partitions_filter_like_psutil() {
    let _r = roots(tree("proc"), tree("sys"));
    let parts = disk::disk_partitions(false).unwrap();
    assert_eq!(
        parts,
        vec![
            // No partitions file in this tree: /dev/root stays as is.
            part("/dev/root", "/", "ext4", "rw,relatime"),
            part("/dev/sda2", "/media/My Disk", "vfat", "rw,nosuid,uid=1000"),
            part("tank/home", "/home", "zfs", "rw,xattr"),
            part("/dev/fuse", "/mnt/fuse", "fuseblk", "rw"),
        ]
    );
    let all = disk::disk_partitions(true).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(
        all[0],
        part("sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec,relatime")
    );
    // "none" becomes "", and with all=True it is kept.
    assert_eq!(all[4], part("", "/mnt/none", "ext4", "rw"));
    assert_eq!(all[6].opts, "rw,nosuid,size=100k");
}

#[test]
fn dev_root_is_resolved_through_proc_partitions() {
    let tmp = common::tempdir("fixture-devroot");
    copy_dir(&tree("proc"), &tmp.join("proc"));
    let st = rustix::fs::stat("/").unwrap();
    let (maj, min) = (rustix::fs::major(st.st_dev), rustix::fs::minor(st.st_dev));
    // `/dev/null` exists everywhere, so the finder's final existence
    // check passes whatever the machine.
    std::fs::write(
        tmp.join("proc/partitions"),
        format!("major minor  #blocks  name\n\n {maj} {min} 1000 null\n"),
    )
    .unwrap();
    let _r = roots(tmp.join("proc"), tree("sys"));
    let parts = disk::disk_partitions(false).unwrap();
    assert_eq!(parts[0], part("/dev/null", "/", "ext4", "rw,relatime"));

    // A name that is not in /dev is not used.
    std::fs::write(
        tmp.join("proc/partitions"),
        format!("major minor  #blocks  name\n\n {maj} {min} 1000 no-such-dev-xyz\n"),
    )
    .unwrap();
    assert_eq!(disk::disk_partitions(false).unwrap()[0].device, "/dev/root");
    // Second source: SYS/dev/block/M:m/uevent.
    std::fs::remove_file(tmp.join("proc/partitions")).unwrap();
    let sys = tmp.join("sys");
    std::fs::create_dir_all(sys.join(format!("dev/block/{maj}:{min}"))).unwrap();
    std::fs::write(
        sys.join(format!("dev/block/{maj}:{min}/uevent")),
        "MAJOR=1\nDEVNAME=zero\n",
    )
    .unwrap();
    let _sys = psutil::Roots::current()
        .with_sysfs(sys.to_str().unwrap())
        .enter();
    assert_eq!(disk::disk_partitions(false).unwrap()[0].device, "/dev/zero");
    // Third source: SYS/class/block/*/dev.
    std::fs::remove_dir_all(sys.join("dev")).unwrap();
    std::fs::create_dir_all(sys.join("class/block/full")).unwrap();
    std::fs::write(sys.join("class/block/full/dev"), format!("{maj}:{min}\n")).unwrap();
    assert_eq!(disk::disk_partitions(false).unwrap()[0].device, "/dev/full");
    let _ = std::fs::remove_dir_all(&tmp);
}

fn io(v: [u64; 9]) -> DiskIoCounters {
    build!(DiskIoCounters {
        read_count: v[0],
        write_count: v[1],
        read_bytes: v[2],
        write_bytes: v[3],
        read_time: v[4],
        write_time: v[5],
        read_merged_count: v[6],
        write_merged_count: v[7],
        busy_time: v[8],
    })
}

#[test]
fn io_counters_perdisk_and_whole_disk_total() {
    let _r = roots(tree("proc"), tree("sys"));
    let per = disk::disk_io_counters_perdisk(false).unwrap();
    assert_eq!(
        per.keys().collect::<Vec<_>>(),
        ["sda", "sda1", "sda2", "nvme0n1", "nvme0n1p1", "loop0"]
    );
    assert_eq!(
        per.get("sda"),
        Some(&io([1000, 400, 10240000, 4096000, 300, 500, 10, 40, 600]))
    );
    // 14-field line.
    assert_eq!(
        per.get("nvme0n1"),
        Some(&io([50, 60, 512000, 614400, 7, 8, 5, 6, 9]))
    );
    // 7-field partition line.
    assert_eq!(
        per.get("nvme0n1p1"),
        Some(&io([40, 50, 204800, 563200, 0, 0, 0, 0, 0]))
    );
    // Total: sda + nvme0n1 + loop0 (SYS/block entries), no partitions.
    let total = disk::disk_io_counters(false).unwrap().unwrap();
    assert_eq!(
        total,
        io([1053, 460, 10764288, 4710400, 308, 508, 15, 46, 610])
    );
}

#[test]
fn io_counters_nowrap_tracker() {
    let tmp = common::tempdir("fixture-nowrap");
    copy_dir(&tree("proc"), &tmp.join("proc"));
    let _r = roots(tmp.join("proc"), tree("sys"));
    let mut t = DiskIoNowrap::new();
    let first = t.disk_io_counters_perdisk().unwrap();
    assert_eq!(first.get("sda").unwrap().read_count, 1000);
    // sda's read counter wraps from 1000 to 7.
    let ds = std::fs::read_to_string(tmp.join("proc/diskstats")).unwrap();
    std::fs::write(
        tmp.join("proc/diskstats"),
        ds.replace(" sda 1000 ", " sda 7 "),
    )
    .unwrap();
    let second = t.disk_io_counters_perdisk().unwrap();
    assert_eq!(second.get("sda").unwrap().read_count, 1007);
    let raw = disk::disk_io_counters_perdisk(false).unwrap();
    assert_eq!(raw.get("sda").unwrap().read_count, 7);
    // A fresh tracker starts from the raw values.
    let mut fresh = DiskIoNowrap::new();
    assert_eq!(fresh.disk_io_counters().unwrap().unwrap().read_count, 60);
    assert_eq!(t.disk_io_counters().unwrap().unwrap().read_count, 1060);
    t.cache_clear();
    assert_eq!(t.disk_io_counters().unwrap().unwrap().read_count, 60);
    // The process-wide tracker (psutil's behaviour) follows the same rule.
    disk::disk_io_counters_cache_clear();
    assert_eq!(
        disk::disk_io_counters(true).unwrap().unwrap().read_count,
        60
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn io_counters_errors_and_sysfs_fallback() {
    let tmp = common::tempdir("fixture-ioerr");
    std::fs::create_dir_all(tmp.join("proc")).unwrap();
    let _r = roots(tmp.join("proc"), tree("sys"));
    // No diskstats: SYS/block/*/stat, disk then its partitions.
    let per = disk::disk_io_counters_perdisk(false).unwrap();
    assert_eq!(
        per.keys().collect::<Vec<_>>(),
        ["loop0", "nvme0n1", "sda", "sda1"]
    );
    assert_eq!(
        per.get("sda1"),
        Some(&io([900, 390, 9216000, 3993600, 250, 480, 9, 39, 560]))
    );
    // psutil's test_procfs_path: disk_partitions raises OSError.
    let e = disk::disk_partitions(false).unwrap_err();
    assert_eq!(e.kind_name(), "OSError");
    // Neither diskstats nor SYS/block.
    let _sys = psutil::Roots::current()
        .with_sysfs(tmp.to_str().unwrap())
        .enter();
    let e = disk::disk_io_counters(false).unwrap_err();
    assert_eq!(e.kind_name(), "OSError");
    // An unknown diskstats layout is psutil's ValueError.
    std::fs::write(tmp.join("proc/diskstats"), "   8 0 sda 1 2 3\n").unwrap();
    let e = disk::disk_io_counters_perdisk(false).unwrap_err();
    assert_eq!(e.kind_name(), "ValueError", "{e}");
    // An empty diskstats: no disks.
    std::fs::write(tmp.join("proc/diskstats"), "").unwrap();
    assert_eq!(disk::disk_io_counters(true).unwrap(), None);
    assert!(disk::disk_io_counters_perdisk(true).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&tmp);
}

fn t(label: &str, current: f64, high: Option<f64>, critical: Option<f64>) -> Temperature {
    build!(Temperature {
        label: label.into(),
        current,
        high,
        critical,
    })
}

#[test]
fn hwmon_temperatures() {
    let _r = roots(tree("proc"), tree("sys"));
    let temps = sensors::sensors_temperatures(false).unwrap();
    assert_eq!(
        temps.keys().collect::<Vec<_>>(),
        ["coretemp", "acpitz", "nct6775"]
    );
    assert_eq!(
        temps.get("coretemp").unwrap(),
        &vec![
            t("Package id 0", 45.0, Some(80.0), Some(100.0)),
            // temp10 sorts before temp2; crit only → copied to high.
            t("Core 8", 41.0, Some(95.0), Some(95.0)),
            // max only → copied to critical; temp3 has no _input.
            t("Core 0", 43.0, Some(80.0), Some(80.0)),
        ]
    );
    // The `device/` layout, name read from device/name.
    assert_eq!(temps.get("acpitz").unwrap(), &vec![t("", 27.8, None, None)]);
    // hwmon10 before hwmon2; "N/A" input skipped; a zero max is not copied.
    assert_eq!(
        temps.get("nct6775").unwrap(),
        &vec![t("", 35.0, None, None), t("", 30.0, Some(0.0), None)]
    );
    let f = sensors::sensors_temperatures(true).unwrap();
    let core = &f.get("coretemp").unwrap()[0];
    assert_eq!(
        (core.current, core.high, core.critical),
        (113.0, Some(176.0), Some(212.0))
    );
    assert!((f.get("acpitz").unwrap()[0].current - 82.04).abs() < 1e-9);
    // psutil converts first, then copies: 0 °C max is 32 °F, copied.
    assert_eq!(
        f.get("nct6775").unwrap()[1],
        t("", 86.0, Some(32.0), Some(32.0))
    );
}

#[test]
fn thermal_zone_fallback() {
    let _r = roots(tree("proc"), tree("sys_thermal"));
    let temps = sensors::sensors_temperatures(false).unwrap();
    assert_eq!(temps.keys().collect::<Vec<_>>(), ["x86_pkg_temp", "acpitz"]);
    assert_eq!(
        temps.get("x86_pkg_temp").unwrap(),
        &vec![t("", 48.0, Some(105.0), Some(105.0))]
    );
    assert_eq!(
        temps.get("acpitz").unwrap(),
        &vec![t("", 30.0, Some(70.0), Some(70.0))]
    );
}

#[test]
fn fans() {
    let _r = roots(tree("proc"), tree("sys"));
    let fans = sensors::sensors_fans().unwrap();
    assert_eq!(fans.keys().collect::<Vec<_>>(), ["nct6775"]);
    assert_eq!(
        fans.get("nct6775").unwrap(),
        &vec![
            build!(Fan {
                label: "CPU fan".into(),
                current: 1200
            }),
            build!(Fan {
                label: "".into(),
                current: 0
            }),
        ]
    );
}

#[test]
fn battery_discharging() {
    let _r = roots(tree("proc"), tree("sys"));
    // BAT0 wins over hidpp_battery_0 (min name); energy ratio, status.
    assert_eq!(
        sensors::sensors_battery().unwrap(),
        Some(build!(Battery {
            percent: 50.0,
            secsleft: BatteryTime::Seconds(7200),
            power_plugged: Some(false),
        }))
    );
}

#[test]
fn battery_plugged_in() {
    let _r = roots(tree("proc"), tree("sys_plugged"));
    let b = sensors::sensors_battery().unwrap().unwrap();
    assert_eq!(
        b,
        build!(Battery {
            percent: 50.0,
            secsleft: BatteryTime::Unlimited,
            power_plugged: Some(true),
        })
    );
    assert_eq!(i64::from(b.secsleft), -2);
}

#[test]
fn battery_capacity_and_time_to_empty() {
    let _r = roots(tree("proc"), tree("sys_capacity"));
    let b = sensors::sensors_battery().unwrap().unwrap();
    assert_eq!(
        b,
        build!(Battery {
            percent: 77.0,
            secsleft: BatteryTime::Seconds(5400),
            power_plugged: None,
        })
    );
}

#[test]
fn no_sensors_at_all() {
    let tmp = common::tempdir("fixture-nosensors");
    let _r = roots(tree("proc"), &tmp);
    assert!(sensors::sensors_temperatures(false).unwrap().is_empty());
    assert!(sensors::sensors_fans().unwrap().is_empty());
    assert_eq!(sensors::sensors_battery().unwrap(), None);
    // A power_supply directory with only AC: still no battery.
    std::fs::create_dir_all(tmp.join("class/power_supply/AC")).unwrap();
    std::fs::write(tmp.join("class/power_supply/AC/online"), "1\n").unwrap();
    assert_eq!(sensors::sensors_battery().unwrap(), None);
    assert_eq!(BatteryTime::Unknown.seconds(), None);
    assert_eq!(i64::from(BatteryTime::Unknown), -1);
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn users_from_utmp_fixture() {
    let path = tree("../users/utmp");
    let users = users_from(&path).unwrap();
    let u = |name: &str, term: Option<&str>, host: &str, started: f64, pid: u32| {
        build!(User {
            name: name.into(),
            terminal: term.map(Into::into),
            host: Some(host.into()),
            started,
            pid,
        })
    };
    assert_eq!(
        users,
        vec![
            u("alice", Some("pts/0"), "10.0.0.5", 1_700_000_000.0, 1234),
            u("bob", Some("tty1"), "localhost", 1_700_000_300.0, 4321),
            u("carol", None, "localhost", 1_700_000_400.0, 777),
            u(
                &"x".repeat(32),
                Some("pts/9"),
                &"h".repeat(256),
                1_700_000_500.0,
                888
            ),
            u("dave", Some("pts/10"), "localhost", 1_700_000_600.0, 889),
        ]
    );
    assert!(users_from("/nonexistent/utmp").unwrap().is_empty());
    let e = users_from("/").unwrap_err();
    assert_eq!(e.kind_name(), "OSError");
}
