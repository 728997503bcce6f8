//! Sensors from sysfs: hwmon temperatures and fans, the thermal-zone
//! fallback, and the power-supply battery. Paths are relative to the
//! configurable `/sys` root; each file is read at most once per call.

use std::collections::BTreeSet;

use super::procfs;
use crate::namemap::NameMap;
use crate::{Error, Result};

/// One raw temperature reading in °C: (label, current, high, critical).
pub(crate) type RawTemp = (String, f64, Option<f64>, Option<f64>);

/// Python's `float(bytes)` for sysfs values: surrounding whitespace
/// allowed, `inf`/`nan` accepted.
pub(crate) fn py_float(data: &[u8]) -> Option<f64> {
    std::str::from_utf8(data.trim_ascii()).ok()?.parse().ok()
}

/// Python's `int(bytes)`: whitespace and one sign allowed.
pub(crate) fn py_int(data: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(data.trim_ascii()).ok()?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The bytes of `SYS/rel`, or `None` if it cannot be read.
fn read_opt(rel: &str) -> Option<Vec<u8>> {
    procfs::read_sys_file(rel, <[u8]>::to_vec).ok()
}

/// Text of `SYS/rel`, whitespace-stripped (psutil's `cat(...).strip()`).
fn read_text(rel: &str) -> Result<String> {
    procfs::read_sys_file(rel, |d| {
        String::from_utf8_lossy(d.trim_ascii()).into_owned()
    })
}

/// Names in `SYS/rel` (empty if it cannot be listed).
fn list_dir(rel: &str) -> Vec<String> {
    let dir = format!("{}/{rel}", procfs::sys_root());
    match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The shell-glob `PREFIX*_*` on a file name.
fn matches_prefix_underscore(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|r| r.contains('_'))
}

/// psutil's hwmon "basenames": for every `DIR/PREFIX*_*` file, the path
/// up to the first `_` of its name, deduplicated.
fn sensor_bases(dirs: &[String], prefix: &str, out: &mut BTreeSet<String>) {
    for dir in dirs {
        for name in list_dir(dir) {
            if matches_prefix_underscore(&name, prefix) {
                let stem = &name[..name.find('_').unwrap_or(name.len())];
                out.insert(format!("{dir}/{stem}"));
            }
        }
    }
}

/// `class/hwmon/hwmon*` (and with `device`, `class/hwmon/hwmon*/device`).
fn hwmon_dirs(device: bool) -> Vec<String> {
    list_dir("class/hwmon")
        .into_iter()
        .filter(|n| n.starts_with("hwmon"))
        .map(|n| {
            if device {
                format!("class/hwmon/{n}/device")
            } else {
                format!("class/hwmon/{n}")
            }
        })
        .collect()
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn millis(rel: &str) -> Option<f64> {
    read_opt(rel).and_then(|d| py_float(&d)).map(|v| v / 1000.0)
}

/// psutil's `_pslinux.sensors_temperatures()` (before the °F conversion
/// and the high/critical copying of the public function).
pub(crate) fn temperatures() -> Result<NameMap<Vec<RawTemp>>> {
    let mut bases = BTreeSet::new();
    sensor_bases(&hwmon_dirs(false), "temp", &mut bases);
    sensor_bases(&hwmon_dirs(true), "temp", &mut bases);
    let mut ret: NameMap<Vec<RawTemp>> = NameMap::new();
    // psutil also globs coretemp's own hwmon directories, but the paths it
    // adds can never be read (it appends `_input` to full file names), so
    // their only effect is to turn the thermal-zone fallback off.
    let found = !bases.is_empty() || coretemp_present();
    for base in &bases {
        let Some(current) = millis(&format!("{base}_input")) else {
            continue;
        };
        let Ok(unit) = read_text(&format!("{}/name", parent(base))) else {
            continue;
        };
        let high = millis(&format!("{base}_max"));
        let critical = millis(&format!("{base}_crit"));
        let label = read_text(&format!("{base}_label")).unwrap_or_default();
        ret.entry_or_insert_with(&unit, Vec::new)
            .push((label, current, high, critical));
    }
    if !found {
        thermal_zones(&mut ret);
    }
    Ok(ret)
}

fn coretemp_present() -> bool {
    list_dir("devices/platform")
        .into_iter()
        .filter(|n| n.starts_with("coretemp."))
        .any(|ct| {
            let hw = format!("devices/platform/{ct}/hwmon");
            list_dir(&hw)
                .into_iter()
                .filter(|n| n.starts_with("hwmon"))
                .any(|h| {
                    list_dir(&format!("{hw}/{h}"))
                        .iter()
                        .any(|f| matches_prefix_underscore(f, "temp"))
                })
        })
}

/// The fallback when hwmon has no temperature: `class/thermal/thermal_zone*`
/// (`temp`, `type`, and `trip_point_N_{type,temp}` for high/critical).
fn thermal_zones(ret: &mut NameMap<Vec<RawTemp>>) {
    let mut zones: Vec<String> = list_dir("class/thermal")
        .into_iter()
        .filter(|n| n.starts_with("thermal_zone"))
        .collect();
    zones.sort();
    for zone in zones {
        let base = format!("class/thermal/{zone}");
        let Some(current) = millis(&format!("{base}/temp")) else {
            continue;
        };
        let Ok(unit) = read_text(&format!("{base}/type")) else {
            continue;
        };
        // `trip_point_N_*` files, grouped by their `trip_point_N` prefix and
        // taken in numeric order (psutil iterates a set, so its order, and
        // which of two "critical" trip points wins, is arbitrary).
        let mut trips: Vec<(u64, String)> = list_dir(&base)
            .into_iter()
            .filter(|n| n.starts_with("trip_point"))
            .filter_map(|n| {
                let prefix: Vec<&str> = n.split('_').take(3).collect();
                let prefix = prefix.join("_");
                let num = prefix.rsplit('_').next()?.parse().unwrap_or(u64::MAX);
                Some((num, prefix))
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        trips.sort();
        let (mut high, mut critical) = (None, None);
        for (_, tp) in trips {
            let kind = read_text(&format!("{base}/{tp}_type")).unwrap_or_default();
            match kind.as_str() {
                "critical" => critical = millis(&format!("{base}/{tp}_temp")),
                "high" => high = millis(&format!("{base}/{tp}_temp")),
                _ => {}
            }
        }
        ret.entry_or_insert_with(&unit, Vec::new)
            .push((String::new(), current, high, critical));
    }
}

/// psutil's `sensors_fans()`: `class/hwmon/hwmon*/fan*_*` (or, only when
/// there is none, the `device/` variant) as (chip, label, rpm).
pub(crate) fn fans() -> Result<NameMap<Vec<(String, u64)>>> {
    let mut bases = BTreeSet::new();
    sensor_bases(&hwmon_dirs(false), "fan", &mut bases);
    if bases.is_empty() {
        sensor_bases(&hwmon_dirs(true), "fan", &mut bases);
    }
    let mut ret: NameMap<Vec<(String, u64)>> = NameMap::new();
    for base in &bases {
        let input = format!("{base}_input");
        let Some(raw) = read_opt(&input) else {
            continue;
        };
        // psutil lets int()'s ValueError and a missing `name` file through.
        let current = py_int(&raw)
            .and_then(|v| u64::try_from(v).ok())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "invalid fan speed {:?} in {}/{input}",
                    String::from_utf8_lossy(raw.trim_ascii()),
                    procfs::sys_root()
                ))
            })?;
        let unit = read_text(&format!("{}/name", parent(base)))?;
        let label = read_text(&format!("{base}_label")).unwrap_or_default();
        ret.entry_or_insert_with(&unit, Vec::new)
            .push((label, current));
    }
    Ok(ret)
}

/// What psutil's `multi_bcat` finds: nothing, a number, or other text.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i64),
    Text(String),
}

/// The first readable file among `paths` (psutil's `multi_bcat`).
fn first_value(paths: &[String]) -> Option<Value> {
    paths.iter().find_map(|p| {
        read_opt(p).map(|d| match py_int(&d) {
            Some(v) => Value::Int(v),
            None => Value::Text(String::from_utf8_lossy(d.trim_ascii()).into_owned()),
        })
    })
}

fn need_int(v: &Value, what: &str) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Text(t) => Err(Error::invalid(format!(
            "battery {what} is not a number: {t:?}"
        ))),
    }
}

/// The battery, as psutil's `sensors_battery()` computes it:
/// `(percent, secsleft, power_plugged)`, where `secsleft` is `Ok(secs)`,
/// or `Err(true)` for unlimited, `Err(false)` for unknown.
pub(crate) type RawBattery = (f64, std::result::Result<u64, bool>, Option<bool>);

/// psutil's `sensors_battery()`; `None` without a battery (or without
/// `class/power_supply` at all, where psutil would raise).
pub(crate) fn battery() -> Result<Option<RawBattery>> {
    const PS: &str = "class/power_supply";
    let Some(bat) = list_dir(PS)
        .into_iter()
        .filter(|n| n.starts_with("BAT") || n.to_lowercase().contains("battery"))
        .min()
    else {
        return Ok(None);
    };
    let root = format!("{PS}/{bat}");
    let at =
        |names: &[&str]| -> Vec<String> { names.iter().map(|n| format!("{root}/{n}")).collect() };
    let energy_now = first_value(&at(&["energy_now", "charge_now"]));
    let power_now = first_value(&at(&["power_now", "current_now"]));
    let energy_full = first_value(&at(&["energy_full", "charge_full"]));
    let time_to_empty = first_value(&at(&["time_to_empty_now"]));

    let percent = match (&energy_now, &energy_full) {
        (Some(now), Some(full)) => {
            let (now, full) = (need_int(now, "energy")?, need_int(full, "energy_full")?);
            if full == 0 {
                0.0
            } else {
                100.0 * now as f64 / full as f64
            }
        }
        _ => match read_opt(&format!("{root}/capacity")) {
            None => return Ok(None),
            Some(d) => match py_int(&d) {
                Some(-1) => return Ok(None),
                Some(v) => v as f64,
                None => {
                    return Err(Error::invalid(format!(
                        "battery capacity is not a number: {:?}",
                        String::from_utf8_lossy(d.trim_ascii())
                    )))
                }
            },
        },
    };

    let online = first_value(&[format!("{PS}/AC0/online"), format!("{PS}/AC/online")]);
    let power_plugged = match online {
        Some(v) => Some(v == Value::Int(1)),
        None => {
            let status = read_text(&format!("{root}/status"))
                .unwrap_or_default()
                .to_lowercase();
            match status.as_str() {
                "discharging" => Some(false),
                "charging" | "full" => Some(true),
                _ => None,
            }
        }
    };

    let secsleft = if power_plugged == Some(true) {
        Err(true)
    } else if let (Some(now), Some(power)) = (&energy_now, &power_now) {
        let (now, power) = (need_int(now, "energy")?, need_int(power, "power")?);
        if power == 0 {
            Err(false)
        } else {
            let secs = (now as f64 / power.unsigned_abs() as f64 * 3600.0).trunc();
            if secs < 0.0 {
                Err(false)
            } else {
                Ok(secs as u64)
            }
        }
    } else if let Some(tte) = &time_to_empty {
        let secs = need_int(tte, "time_to_empty_now")?.saturating_mul(60);
        u64::try_from(secs).map_err(|_| false)
    } else {
        Err(false)
    };
    Ok(Some((percent, secsleft, power_plugged)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_numbers() {
        assert_eq!(py_float(b" 45000\n"), Some(45000.0));
        assert_eq!(py_float(b"-1.5e3"), Some(-1500.0));
        assert_eq!(py_float(b""), None);
        assert_eq!(py_float(b"abc"), None);
        assert_eq!(py_int(b"1200\n"), Some(1200));
        assert_eq!(py_int(b"-7"), Some(-7));
        assert_eq!(py_int(b"+7"), Some(7));
        assert_eq!(py_int(b"12.0"), None);
        assert_eq!(py_int(b"-"), None);
    }

    #[test]
    fn glob_shape() {
        assert!(matches_prefix_underscore("temp1_input", "temp"));
        assert!(matches_prefix_underscore("temp_x", "temp"));
        assert!(!matches_prefix_underscore("temp1", "temp"));
        assert!(!matches_prefix_underscore("fan1_input", "temp"));
        assert_eq!(parent("class/hwmon/hwmon0/temp1"), "class/hwmon/hwmon0");
    }
}
