//! `psutil sensors`, `temperatures`, `fans` and `battery`: hardware
//! sensors, like psutil's scripts of the same names.

use psutil::sensors::{
    sensors_battery, sensors_fans, sensors_temperatures, Battery, BatteryTime, Fan, Temperature,
};
use psutil::NameMap;
use serde::Serialize;

use super::{Ctx, JSON_HELP};
use crate::error::CliError;

/// `psutil sensors`.
#[derive(clap::Args)]
#[command(
    about = "temperatures, fans and battery (lm-sensors)",
    long_about = "Show every hardware sensor per chip: temperatures (current, high,\n\
                 critical), fan speeds and the battery. Prints nothing on a machine\n\
                 without sensors. With --json: {temperatures: {chip: [{label,\n\
                 current, high, critical}]}, fans: {chip: [{label, current}]},\n\
                 battery: {percent, secsleft, power_plugged} or null}.",
    override_usage = "psutil sensors [--fahrenheit] [--json]"
)]
pub struct SensorsArgs {
    /// temperatures in °F
    #[arg(short, long)]
    pub fahrenheit: bool,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

/// `psutil temperatures`.
#[derive(clap::Args)]
#[command(
    about = "hardware temperatures",
    long_about = "Show temperatures per chip (psutil's sensors_temperatures). Exit\n\
                 status 1 if there is none. With --json: {chip: [{label, current,\n\
                 high, critical}]}.",
    override_usage = "psutil temperatures [--fahrenheit] [--json]"
)]
pub struct TemperaturesArgs {
    /// temperatures in °F
    #[arg(short, long)]
    pub fahrenheit: bool,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

/// `psutil fans`.
#[derive(clap::Args)]
#[command(
    about = "fan speeds",
    long_about = "Show fan speeds in RPM per chip (psutil's sensors_fans). Exit status\n\
                 1 if there is none. With --json: {chip: [{label, current}]}.",
    override_usage = "psutil fans [--json]"
)]
pub struct FansArgs {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

/// `psutil battery`.
#[derive(clap::Args)]
#[command(
    about = "battery charge and time left",
    long_about = "Show the battery's charge, time left and power source (psutil's\n\
                 sensors_battery). Exit status 1 without a battery. With --json:\n\
                 {percent, secsleft, power_plugged} (secsleft -1 unknown, -2\n\
                 unlimited), or null.",
    override_usage = "psutil battery [--json]"
)]
pub struct BatteryArgs {
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

fn unit(fahrenheit: bool) -> &'static str {
    if fahrenheit {
        "°F"
    } else {
        "°C"
    }
}

fn opt(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(x) => format!("{x}{unit}"),
        None => "n/a".into(),
    }
}

fn temp_line(chip: &str, t: &Temperature, unit: &str) -> String {
    let label = if t.label.is_empty() { chip } else { &t.label };
    format!(
        "    {label:<20} {}{unit} (high = {}, critical = {})",
        t.current,
        opt(t.high, unit),
        opt(t.critical, unit)
    )
}

fn fan_line(chip: &str, f: &Fan) -> String {
    let label = if f.label.is_empty() { chip } else { &f.label };
    format!("    {label:<20} {} RPM", f.current)
}

/// psutil's `secs2hours`: `H:MM:SS`.
fn secs2hours(secs: u64) -> String {
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

fn battery_lines(b: &Battery) -> Vec<String> {
    let mut v = vec![format!(
        "charge:     {}%",
        psutil::pyround::round(b.percent, 2)
    )];
    match b.secsleft {
        BatteryTime::Unlimited => v.push("left:       N/A (plugged in)".into()),
        BatteryTime::Unknown => v.push("left:       unknown".into()),
        BatteryTime::Seconds(s) => v.push(format!("left:       {}", secs2hours(s))),
    }
    let status = match b.power_plugged {
        Some(true) if b.percent < 100.0 => "charging",
        Some(true) => "fully charged",
        Some(false) => "discharging",
        None => "unknown",
    };
    v.push(format!("status:     {status}"));
    let plugged = match b.power_plugged {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    v.push(format!("plugged in: {plugged}"));
    v
}

#[derive(Serialize)]
struct All {
    temperatures: NameMap<Vec<Temperature>>,
    fans: NameMap<Vec<Fan>>,
    battery: Option<Battery>,
}

pub fn run_sensors(a: &SensorsArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let all = All {
        temperatures: sensors_temperatures(a.fahrenheit)?,
        fans: sensors_fans()?,
        battery: sensors_battery()?,
    };
    if a.json {
        return ctx.json(&all);
    }
    let u = unit(a.fahrenheit);
    // Chips in order of first appearance, temperatures then fans.
    let mut chips: Vec<&str> = all.temperatures.keys().collect();
    for c in all.fans.keys() {
        if !chips.contains(&c) {
            chips.push(c);
        }
    }
    for chip in chips {
        writeln!(ctx.out, "{chip}")?;
        if let Some(ts) = all.temperatures.get(chip) {
            writeln!(ctx.out, "    Temperatures:")?;
            for t in ts {
                writeln!(ctx.out, "    {}", temp_line(chip, t, u))?;
            }
        }
        if let Some(fs) = all.fans.get(chip) {
            writeln!(ctx.out, "    Fans:")?;
            for f in fs {
                writeln!(ctx.out, "    {}", fan_line(chip, f))?;
            }
        }
    }
    if let Some(b) = &all.battery {
        writeln!(ctx.out, "Battery:")?;
        for l in battery_lines(b) {
            writeln!(ctx.out, "    {l}")?;
        }
    }
    Ok(())
}

pub fn run_temperatures(a: &TemperaturesArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let temps = sensors_temperatures(a.fahrenheit)?;
    if a.json {
        return ctx.json(&temps);
    }
    if temps.is_empty() {
        return Err(CliError::Failed("can't read any temperature".into()));
    }
    let u = unit(a.fahrenheit);
    for (chip, ts) in temps.iter() {
        writeln!(ctx.out, "{chip}")?;
        for t in ts {
            writeln!(ctx.out, "{}", temp_line(chip, t, u))?;
        }
        writeln!(ctx.out)?;
    }
    Ok(())
}

pub fn run_fans(a: &FansArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let fans = sensors_fans()?;
    if a.json {
        return ctx.json(&fans);
    }
    if fans.is_empty() {
        return Err(CliError::Failed("no fans detected".into()));
    }
    for (chip, fs) in fans.iter() {
        writeln!(ctx.out, "{chip}")?;
        for f in fs {
            writeln!(ctx.out, "{}", fan_line(chip, f))?;
        }
        writeln!(ctx.out)?;
    }
    Ok(())
}

pub fn run_battery(a: &BatteryArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let b = sensors_battery()?;
    if a.json {
        return ctx.json(&b);
    }
    let Some(b) = b else {
        return Err(CliError::Failed("no battery is installed".into()));
    };
    for l in battery_lines(&b) {
        writeln!(ctx.out, "{l}")?;
    }
    Ok(())
}
