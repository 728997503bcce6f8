//! `psutil sensors`, `temperatures`, `fans` and `battery`: hardware
//! sensors, like psutil's scripts of the same names.

use psutil::sensors::{
    sensors_battery, sensors_fans, sensors_temperatures, Battery, BatteryTime, Fan, Temperature,
};
use psutil::NameMap;
use serde::Serialize;

use super::{positional, Command, Ctx, JSON};
use crate::args::{OptSpec, Parsed};
use crate::error::CliError;

const FAHRENHEIT: OptSpec = OptSpec {
    long: "fahrenheit",
    short: Some('f'),
    value: None,
    help: "temperatures in °F",
};

pub const SENSORS: Command = Command {
    name: "sensors",
    args: "[--fahrenheit] [--json]",
    about: "temperatures, fans and battery (lm-sensors)",
    summary: "Show every hardware sensor per chip: temperatures (current, high,\n\
              critical), fan speeds and the battery. Prints nothing on a machine\n\
              without sensors. With --json: {temperatures: {chip: [{label,\n\
              current, high, critical}]}, fans: {chip: [{label, current}]},\n\
              battery: {percent, secsleft, power_plugged} or null}.",
    opts: &[FAHRENHEIT, JSON],
    run: run_sensors,
};

pub const TEMPERATURES: Command = Command {
    name: "temperatures",
    args: "[--fahrenheit] [--json]",
    about: "hardware temperatures",
    summary: "Show temperatures per chip (psutil's sensors_temperatures). Exit\n\
              status 1 if there is none. With --json: {chip: [{label, current,\n\
              high, critical}]}.",
    opts: &[FAHRENHEIT, JSON],
    run: run_temperatures,
};

pub const FANS: Command = Command {
    name: "fans",
    args: "[--json]",
    about: "fan speeds",
    summary: "Show fan speeds in RPM per chip (psutil's sensors_fans). Exit status\n\
              1 if there is none. With --json: {chip: [{label, current}]}.",
    opts: &[JSON],
    run: run_fans,
};

pub const BATTERY: Command = Command {
    name: "battery",
    args: "[--json]",
    about: "battery charge and time left",
    summary: "Show the battery's charge, time left and power source (psutil's\n\
              sensors_battery). Exit status 1 without a battery. With --json:\n\
              {percent, secsleft, power_plugged} (secsleft -1 unknown, -2\n\
              unlimited), or null.",
    opts: &[JSON],
    run: run_battery,
};

fn unit(p: &Parsed) -> &'static str {
    if p.flag("fahrenheit") {
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
        (b.percent * 100.0).round() / 100.0
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

fn run_sensors(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("sensors", p, 0, 0)?;
    let all = All {
        temperatures: sensors_temperatures(p.flag("fahrenheit"))?,
        fans: sensors_fans()?,
        battery: sensors_battery()?,
    };
    if p.flag("json") {
        return ctx.json(&all);
    }
    let u = unit(p);
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

fn run_temperatures(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("temperatures", p, 0, 0)?;
    let temps = sensors_temperatures(p.flag("fahrenheit"))?;
    if p.flag("json") {
        return ctx.json(&temps);
    }
    if temps.is_empty() {
        return Err(CliError::Failed("can't read any temperature".into()));
    }
    let u = unit(p);
    for (chip, ts) in temps.iter() {
        writeln!(ctx.out, "{chip}")?;
        for t in ts {
            writeln!(ctx.out, "{}", temp_line(chip, t, u))?;
        }
        writeln!(ctx.out)?;
    }
    Ok(())
}

fn run_fans(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("fans", p, 0, 0)?;
    let fans = sensors_fans()?;
    if p.flag("json") {
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

fn run_battery(p: &Parsed, ctx: &mut Ctx) -> Result<(), CliError> {
    positional("battery", p, 0, 0)?;
    let b = sensors_battery()?;
    if p.flag("json") {
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
