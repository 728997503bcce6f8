//! Hardware sensors: psutil's `sensors_temperatures()`, `sensors_fans()`
//! and `sensors_battery()`, from sysfs (`hwmon`, `thermal`,
//! `power_supply`).
//!
//! A machine without sensors (a VM, a container) gets empty maps and
//! `None`, not errors.
//!
//! ```
//! for (chip, temps) in psutil::sensors::sensors_temperatures(false)?.iter() {
//!     for t in temps {
//!         println!("{chip} {}: {} °C", t.label, t.current);
//!     }
//! }
//! if let Some(b) = psutil::sensors::sensors_battery()? {
//!     println!("{}% {:?}", b.percent, b.secsleft);
//! }
//! # Ok::<(), psutil::Error>(())
//! ```

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::namemap::NameMap;
use crate::platform::imp::sensors as imp;
use crate::Result;

/// psutil's `shwtemp`: one temperature sensor.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Temperature {
    /// `tempN_label`, or `""` when the chip gives none.
    pub label: String,
    /// Current temperature (°C, or °F when asked).
    pub current: f64,
    /// `tempN_max` (or a thermal zone's "high" trip point); when only one
    /// of high/critical is known it is copied to the other.
    pub high: Option<f64>,
    /// `tempN_crit` (or the "critical" trip point), same copying rule.
    pub critical: Option<f64>,
}

/// psutil's `sfan`: one fan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Fan {
    /// `fanN_label`, or `""`.
    pub label: String,
    /// Speed in RPM.
    pub current: u64,
}

/// The `secsleft` of psutil's `sbattery`: seconds, or one of psutil's
/// `BatteryTime` constants. Serializes as psutil's integer (`-1` for
/// `POWER_TIME_UNKNOWN`, `-2` for `POWER_TIME_UNLIMITED`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
#[cfg_attr(feature = "serde", serde(into = "i64"))]
pub enum BatteryTime {
    /// Estimated seconds until the battery is empty.
    Seconds(u64),
    /// `POWER_TIME_UNKNOWN`: no estimate is possible.
    #[default]
    Unknown,
    /// `POWER_TIME_UNLIMITED`: the power cord is plugged in.
    Unlimited,
}

impl BatteryTime {
    /// psutil's `POWER_TIME_UNKNOWN` value.
    pub const POWER_TIME_UNKNOWN: i64 = -1;
    /// psutil's `POWER_TIME_UNLIMITED` value.
    pub const POWER_TIME_UNLIMITED: i64 = -2;

    /// The seconds left, if known and finite.
    pub fn seconds(self) -> Option<u64> {
        match self {
            BatteryTime::Seconds(s) => Some(s),
            _ => None,
        }
    }
}

impl From<BatteryTime> for i64 {
    /// psutil's integer: the seconds, or `-1` / `-2`.
    fn from(t: BatteryTime) -> i64 {
        match t {
            BatteryTime::Seconds(s) => i64::try_from(s).unwrap_or(i64::MAX),
            BatteryTime::Unknown => BatteryTime::POWER_TIME_UNKNOWN,
            BatteryTime::Unlimited => BatteryTime::POWER_TIME_UNLIMITED,
        }
    }
}

/// psutil's `sbattery`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
// Serialize only: a field serializes lossily (enum as its psutil int/str, or Addr).
#[cfg_attr(feature = "serde", derive(Serialize))]
#[non_exhaustive]
pub struct Battery {
    /// Charge in percent: `100 × energy_now / energy_full` (or the
    /// `charge_*` files) when available, else the integer `capacity` file.
    pub percent: f64,
    /// Time left (see [`BatteryTime`]).
    pub secsleft: BatteryTime,
    /// Whether AC power is connected; `None` when it cannot be told.
    pub power_plugged: Option<bool>,
}

/// Python truthiness of an optional temperature (`None` and `0.0` are
/// false).
fn truthy(v: Option<f64>) -> bool {
    v.is_some_and(|x| x != 0.0)
}

/// psutil's `sensors_temperatures(fahrenheit)`: chip name → sensors, in
/// psutil's order (sorted `hwmonN/tempM` paths; a chip appears where its
/// first sensor does).
///
/// Reads `/sys/class/hwmon/hwmon*/temp*_{input,max,crit,label}` and `name`,
/// including the `device/` subdirectory layout; sensors whose `_input` or
/// `name` cannot be read are skipped. Values are millidegrees / 1000.
/// When hwmon has no temperature at all, `/sys/class/thermal/thermal_zone*`
/// is used (label `""`, high/critical from the trip points). If only one of
/// high/critical is set (non-zero) it is copied to the other.
///
/// # Errors
///
/// None today: a sensor that cannot be read is skipped and a missing hwmon or
/// thermal tree gives an empty map. The `Result` keeps psutil's signature.
///
/// # Examples
///
/// ```
/// // Empty on machines without sensors (VMs, containers).
/// for (chip, temps) in psutil::sensors::sensors_temperatures(false)?.iter() {
///     for t in temps {
///         println!("{chip} {}: {} °C (high {:?}, critical {:?})", t.label, t.current, t.high, t.critical);
///     }
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn sensors_temperatures(fahrenheit: bool) -> Result<NameMap<Vec<Temperature>>> {
    let convert = |v: f64| {
        if fahrenheit {
            v * 9.0 / 5.0 + 32.0
        } else {
            v
        }
    };
    Ok(imp::temperatures()?
        .into_iter()
        .map(|(chip, raw)| {
            let temps = raw
                .into_iter()
                .map(|(label, current, high, critical)| {
                    let mut high = high.map(convert);
                    let mut critical = critical.map(convert);
                    if truthy(high) && !truthy(critical) {
                        critical = high;
                    } else if truthy(critical) && !truthy(high) {
                        high = critical;
                    }
                    Temperature {
                        label,
                        current: convert(current),
                        high,
                        critical,
                    }
                })
                .collect();
            (chip, temps)
        })
        .collect())
}

/// psutil's `sensors_fans()`: chip name → fans, from
/// `/sys/class/hwmon/hwmon*/fan*_{input,label}` (the `device/` layout only
/// when there is no fan at the top level). Fans whose `_input` cannot be
/// read are skipped.
///
/// # Errors
///
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) (psutil's
/// `ValueError`) when a readable `fanN_input` is not a non-negative integer;
/// [`Error::Io`](crate::Error::Io) when the chip's `name` file of a readable
/// fan cannot be read (psutil lets both through).
///
/// # Examples
///
/// ```
/// for (chip, fans) in psutil::sensors::sensors_fans()?.iter() {
///     for f in fans {
///         println!("{chip} {}: {} RPM", f.label, f.current);
///     }
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn sensors_fans() -> Result<NameMap<Vec<Fan>>> {
    Ok(imp::fans()?
        .into_iter()
        .map(|(chip, fans)| {
            let fans = fans
                .into_iter()
                .map(|(label, current)| Fan { label, current })
                .collect();
            (chip, fans)
        })
        .collect())
}

/// psutil's `sensors_battery()`: the first (by name) `BAT*` or
/// `*battery*` entry of `/sys/class/power_supply`, or `None`.
///
/// `power_plugged` comes from `AC0/online` or `AC/online`, else from the
/// battery's `status` (`Discharging` → false, `Charging`/`Full` → true).
/// `secsleft` is `Unlimited` when plugged, else `energy_now / |power_now|`
/// hours (or the `charge_now`/`current_now` pair), else
/// `time_to_empty_now` minutes, else `Unknown`.
///
/// # Errors
///
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) (psutil's
/// `ValueError`) when the battery's energy/charge figures or its `capacity` are
/// not numbers. A missing battery or figure is `Ok(None)` or `Unknown`, not an
/// error.
///
/// # Examples
///
/// ```
/// use psutil::sensors::BatteryTime;
///
/// match psutil::sensors::sensors_battery()? {
///     None => println!("no battery"),
///     Some(b) => match b.secsleft {
///         BatteryTime::Seconds(s) => println!("{}%, {} s left", b.percent, s),
///         BatteryTime::Unlimited => println!("{}%, plugged in", b.percent),
///         BatteryTime::Unknown => println!("{}%", b.percent),
///     },
/// }
/// # Ok::<(), psutil::Error>(())
/// ```
pub fn sensors_battery() -> Result<Option<Battery>> {
    Ok(
        imp::battery()?.map(|(percent, secs, power_plugged)| Battery {
            percent,
            secsleft: match secs {
                Ok(s) => BatteryTime::Seconds(s),
                Err(true) => BatteryTime::Unlimited,
                Err(false) => BatteryTime::Unknown,
            },
            power_plugged,
        }),
    )
}
