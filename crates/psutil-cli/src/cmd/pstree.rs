//! `psutil pstree`: the process tree.

use std::collections::{BTreeMap, HashSet};

use psutil::process::{process_iter, Process};
use serde::Serialize;

use super::{parse_pid, Ctx, JSON_HELP};
use crate::error::CliError;
use crate::fmt::{clean, truncate};

/// `psutil pstree`.
#[derive(clap::Args)]
#[command(
    about = "the process tree",
    long_about = "Show processes as a tree (\"PID name\" with tree glyphs), from every\n\
                 root process, or from PID only. With --json: a list of root nodes\n\
                 {pid, name, children: [...]}.",
    override_usage = "psutil pstree [PID] [--json]"
)]
pub struct Args {
    /// the process the tree starts from (default: every root)
    #[arg(value_name = "PID", value_parser = parse_pid)]
    pub pid: Option<u32>,
    #[arg(long, help = JSON_HELP)]
    pub json: bool,
}

struct Node {
    name: String,
    children: Vec<u32>,
}

#[derive(Serialize)]
struct JsonNode {
    pid: u32,
    name: String,
    children: Vec<JsonNode>,
}

pub fn run(a: &Args, ctx: &mut Ctx) -> Result<(), CliError> {
    let start = a.pid;
    if let Some(pid) = start {
        // Fails with "process PID not found" when it does not exist.
        Process::new(pid)?;
    }

    // pid -> (ppid, name); processes that vanish meanwhile are skipped.
    let mut ppids: BTreeMap<u32, u32> = BTreeMap::new();
    let mut nodes: BTreeMap<u32, Node> = BTreeMap::new();
    for proc in process_iter()? {
        let ppid = match proc.ppid() {
            Ok(pp) => pp,
            Err(_) => continue,
        };
        let name = proc.name().unwrap_or_else(|_| "?".into());
        ppids.insert(proc.pid(), ppid);
        nodes.insert(
            proc.pid(),
            Node {
                name,
                children: Vec::new(),
            },
        );
    }
    let mut roots = Vec::new();
    for (&pid, &ppid) in &ppids {
        if ppid != pid && nodes.contains_key(&ppid) {
            if let Some(n) = nodes.get_mut(&ppid) {
                n.children.push(pid);
            }
        } else {
            roots.push(pid);
        }
    }
    let roots = match start {
        Some(pid) if nodes.contains_key(&pid) => vec![pid],
        Some(pid) => {
            return Err(CliError::Failed(format!(
                "process {pid} vanished (NoSuchProcess)"
            )))
        }
        None => roots,
    };

    if a.json {
        let mut seen = HashSet::new();
        let tree: Vec<JsonNode> = roots
            .iter()
            .filter_map(|&r| to_json(&nodes, r, &mut seen))
            .collect();
        return ctx.json(&tree);
    }
    let mut seen = HashSet::new();
    for &r in &roots {
        draw(ctx, &nodes, r, "", "", &mut seen)?;
    }
    Ok(())
}

fn to_json(nodes: &BTreeMap<u32, Node>, pid: u32, seen: &mut HashSet<u32>) -> Option<JsonNode> {
    if !seen.insert(pid) {
        return None;
    }
    let n = nodes.get(&pid)?;
    Some(JsonNode {
        pid,
        name: n.name.clone(),
        children: n
            .children
            .iter()
            .filter_map(|&c| to_json(nodes, c, seen))
            .collect(),
    })
}

/// Writes `pid`'s line after `lead` (its own glyph) and its subtree with
/// `indent` in front of every descendant line.
fn draw(
    ctx: &mut Ctx,
    nodes: &BTreeMap<u32, Node>,
    pid: u32,
    lead: &str,
    indent: &str,
    seen: &mut HashSet<u32>,
) -> Result<(), CliError> {
    if !seen.insert(pid) {
        return Ok(());
    }
    let Some(n) = nodes.get(&pid) else {
        return Ok(());
    };
    let line = format!("{lead}{pid} {}", clean(&n.name));
    let line = match ctx.width {
        Some(w) => truncate(&line, w),
        None => line,
    };
    writeln!(ctx.out, "{line}")?;
    let count = n.children.len();
    for (k, &c) in n.children.iter().enumerate() {
        let last = k + 1 == count;
        let (glyph, more) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        draw(
            ctx,
            nodes,
            c,
            &format!("{indent}{glyph}"),
            &format!("{indent}{more}"),
            seen,
        )?;
    }
    Ok(())
}
