//! Memory of a process tree, sampled every 100 ms from /proc: the sum of VmRSS (what the goals
//! count; pages shared between the processes count once per process) and of Pss (shared pages
//! split between their users) over the root and all its descendants, and the peaks of both.
//!
//! `--pid PID` samples that process's tree; `--exe PATH` waits (up to `--wait-ms`, default
//! 120 s) for processes running that binary and samples the trees under them. Sampling ends
//! when the roots are gone or after `--for-ms` (default: no limit).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::Failure;

const PERIOD: Duration = Duration::from_millis(100);

/// Parsed `tree-rss` options.
#[derive(Debug, Default, PartialEq)]
struct Options {
    pid: Option<u32>,
    exe: Option<PathBuf>,
    for_ms: Option<u64>,
    wait_ms: u64,
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options {
        wait_ms: 120_000,
        ..Options::default()
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--pid" => options.pid = Some(value()?.parse()?),
            "--exe" => options.exe = Some(PathBuf::from(value()?)),
            "--for-ms" => options.for_ms = Some(value()?.parse()?),
            "--wait-ms" => options.wait_ms = value()?.parse()?,
            other => return Err(format!("unknown tree-rss option {other}").into()),
        }
    }
    if options.pid.is_some() == options.exe.is_some() {
        return Err("tree-rss needs exactly one of --pid PID and --exe PATH".into());
    }
    Ok(options)
}

/// Every process's parent, from /proc/<pid>/stat.
fn parents() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return map;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok());
        if let Some(ppid) = ppid {
            map.insert(pid, ppid);
        }
    }
    map
}

/// `roots` and all their descendants.
fn tree(roots: &[u32], parents: &HashMap<u32, u32>) -> HashSet<u32> {
    let mut members: HashSet<u32> = roots.iter().copied().collect();
    loop {
        let before = members.len();
        for (pid, ppid) in parents {
            if members.contains(ppid) {
                members.insert(*pid);
            }
        }
        if members.len() == before {
            return members;
        }
    }
}

/// A `kB` field of a /proc status-like file.
fn kib_field(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// (RSS KiB, PSS KiB) of one process; zeros when it is gone.
fn memory(pid: u32) -> (u64, u64) {
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map(|s| kib_field(&s, "VmRSS:"))
        .unwrap_or(0);
    let pss = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .map(|s| kib_field(&s, "Pss:"))
        .unwrap_or(0);
    (rss, pss)
}

/// The processes running `exe`.
fn running(exe: &Path) -> Vec<u32> {
    let exe = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
    parents()
        .keys()
        .copied()
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe))
        .collect()
}

/// The process's short name (`comm`).
fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// Samples as `args` say; see the module documentation.
pub fn run(args: &[String]) -> Result<serde_json::Value, Failure> {
    let options = parse(args)?;
    let started = Instant::now();
    let roots = match (&options.pid, &options.exe) {
        (Some(pid), _) => vec![*pid],
        (None, Some(exe)) => loop {
            let found = running(exe);
            if !found.is_empty() {
                break found;
            }
            if started.elapsed() > Duration::from_millis(options.wait_ms) {
                return Err(format!("no process ran {} in time", exe.display()).into());
            }
            std::thread::sleep(Duration::from_millis(20));
        },
        (None, None) => return Err("nothing to sample".into()),
    };
    let sampling = Instant::now();
    let (mut peak_rss, mut peak_pss, mut samples) = (0u64, 0u64, 0u64);
    let mut peak_members: Vec<(String, u64)> = Vec::new();
    let mut seen = HashSet::new();
    loop {
        let members = tree(&roots, &parents());
        let alive = roots
            .iter()
            .any(|pid| members.contains(pid) && memory(*pid).0 > 0);
        if !alive {
            break;
        }
        let mut rss_sum = 0;
        let mut pss_sum = 0;
        let mut listing = Vec::new();
        for pid in &members {
            let (rss, pss) = memory(*pid);
            rss_sum += rss;
            pss_sum += pss;
            listing.push((name(*pid), rss));
            seen.insert(*pid);
        }
        samples += 1;
        if rss_sum > peak_rss {
            peak_rss = rss_sum;
            listing.sort_by_key(|entry| std::cmp::Reverse(entry.1));
            peak_members = listing;
        }
        peak_pss = peak_pss.max(pss_sum);
        if options
            .for_ms
            .is_some_and(|ms| sampling.elapsed() >= Duration::from_millis(ms))
        {
            break;
        }
        std::thread::sleep(PERIOD);
    }
    Ok(json!({
        "peak_rss_kib": peak_rss,
        "peak_pss_kib": peak_pss,
        "samples": samples,
        "processes_seen": seen.len(),
        "sampled_ms": sampling.elapsed().as_millis() as u64,
        "at_peak": peak_members
            .iter()
            .map(|(name, rss)| json!({ "name": name, "rss_kib": rss }))
            .collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_need_exactly_one_root() {
        assert!(parse(&strings(&[])).is_err());
        assert!(parse(&strings(&["--pid", "1", "--exe", "/bin/sh"])).is_err());
        assert!(parse(&strings(&["--pid"])).is_err());
        let options = parse(&strings(&["--pid", "42", "--for-ms", "500"])).unwrap();
        assert_eq!((options.pid, options.for_ms), (Some(42), Some(500)));
    }

    #[test]
    fn the_tree_takes_descendants_only() {
        let parents: HashMap<u32, u32> = [(2, 1), (3, 2), (4, 3), (5, 1), (6, 9)].into();
        let members = tree(&[2], &parents);
        assert_eq!(members, [2, 3, 4].into());
    }

    #[test]
    fn a_child_process_is_counted_with_its_parent() {
        let mut child = std::process::Command::new("sleep")
            .arg("2")
            .spawn()
            .unwrap();
        let own = std::process::id();
        let report = run(&strings(&["--pid", &own.to_string(), "--for-ms", "150"])).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        let names: Vec<&str> = report["at_peak"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(names.contains(&"sleep"), "{report}");
        assert!(report["peak_rss_kib"].as_u64().unwrap() > memory(own).0 / 2);
        assert!(report["samples"].as_u64().unwrap() >= 1);
    }
}
