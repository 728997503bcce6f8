//! The `temperature` collector: temperature sensors
//! (`sensors_temperatures()`), degrees Celsius.

use psutil::sensors::{self, Temperature};

use super::{Collector, Field, Outcome, Snapshot};
use crate::cmd::serve::metrics::{Desc, Exposition};

const LABELS: &[&str] = &["chip", "sensor"];

/// The families and the reading each reports; a threshold the sensor
/// lacks is left out.
const READINGS: [Field<Temperature, Option<f64>>; 3] = [
    (
        Desc::gauge(
            "psutil_temperature_celsius",
            "Current temperature (sensors_temperatures()).",
            LABELS,
        ),
        |t| Some(t.current),
    ),
    (
        Desc::gauge(
            "psutil_temperature_high_celsius",
            "High threshold of the sensor.",
            LABELS,
        ),
        |t| t.high,
    ),
    (
        Desc::gauge(
            "psutil_temperature_critical_celsius",
            "Critical threshold of the sensor.",
            LABELS,
        ),
        |t| t.critical,
    ),
];

/// Reads this collector's part of the snapshot.
pub fn collect(_: &mut Collector, s: &mut Snapshot) -> Outcome {
    let m = sensors::sensors_temperatures(false)?;
    s.temperatures = m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    Ok(())
}

/// Writes this collector's families (pure).
pub fn render(s: &Snapshot, e: &mut Exposition) {
    for (chip, sensors) in &s.temperatures {
        for (t, name) in sensors.iter().zip(sensor_names(sensors)) {
            for (desc, get) in &READINGS {
                if let Some(v) = get(t) {
                    e.add(desc, &[chip, &name], v);
                }
            }
        }
    }
}

/// Disambiguates sensor labels within one chip: unlabeled sensors become
/// `temp1`, `temp2`, ... (by position), repeated labels get `_N`.
fn sensor_names(sensors: &[Temperature]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(sensors.len());
    for (i, t) in sensors.iter().enumerate() {
        let mut name = if t.label.is_empty() {
            format!("temp{}", i + 1)
        } else {
            t.label.clone()
        };
        if out.contains(&name) {
            name = format!("{name}_{}", i + 1);
        }
        out.push(name);
    }
    out
}
