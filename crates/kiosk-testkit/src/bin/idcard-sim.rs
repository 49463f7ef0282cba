//! `idcard-sim`: a simulated GA 467 ID-card reader on a pseudo-terminal, for tests, demos and
//! the package test. Never shipped.
//!
//! Prints the port to open (`/dev/pts/N`) on the first line of stdout, then answers on it
//! until killed. Lines on stdin change it while it runs: `place NAME`, `next`, `remove`,
//! `fault NAME`, `delays FIND SELECT READ` (ms), `unplug`, `quit`.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use kiosk_testkit::idcard_sim::{Delays, Fault, IdCardSim, Script, SimCard, SimConfig};

const USAGE: &str = "\
usage: idcard-sim [--card NAME|FILE.json]... [--start-empty] [--fault FAULT]
                  [--realistic] [--find-delay-ms N] [--select-delay-ms N] [--read-delay-ms N]
                  [--photo FILE] [--script FILE.json]

  --card          a preset (zhang-san, li-si, expired, foreign-2023, foreign-2017, permit-hk)
                  or a JSON file with one card; repeat for a queue (stdin `next` places the next)
  --start-empty   no card on the reader at first (stdin `place NAME` or `next` lays one)
  --fault         none, bad-checksum, bad-checksum-once, removed-after-select, silent,
                  garbage, sam-failure, wrong-card
  --realistic     time per command as a real reader (find 20 ms, select 30, read 800)
  --photo         a 1024-byte WLT block to send as the photo (default: fixed test bytes)
  --script        a JSON script: {\"cards\": [...], \"startEmpty\": bool, \"fault\": \"...\",
                  \"delays\": {\"findMs\": N, \"selectMs\": N, \"readMs\": N}}

Prints the pty's path on the first line of stdout, then serves until killed or `quit`.
stdin: place NAME | next | remove | fault FAULT | delays FIND SELECT READ | unplug | quit";

fn card_arg(value: &str) -> Result<SimCard, String> {
    if let Some(card) = SimCard::preset(value) {
        return Ok(card);
    }
    let text = std::fs::read_to_string(value).map_err(|e| format!("--card {value}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("--card {value}: {e}"))
}

fn number(value: Option<String>, flag: &str) -> Result<u64, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number of milliseconds"))
}

fn config_from_args(args: Vec<String>) -> Result<SimConfig, String> {
    let mut config = SimConfig::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--card" => config
                .cards
                .push(card_arg(&args.next().ok_or("--card needs a value")?)?),
            "--start-empty" => config.start_empty = true,
            "--fault" => {
                let name = args.next().ok_or("--fault needs a value")?;
                config.fault = Fault::parse(&name).ok_or(format!("unknown fault {name}"))?;
            }
            "--realistic" => config.delays = Delays::REALISTIC,
            "--find-delay-ms" => config.delays.find_ms = number(args.next(), &arg)?,
            "--select-delay-ms" => config.delays.select_ms = number(args.next(), &arg)?,
            "--read-delay-ms" => config.delays.read_ms = number(args.next(), &arg)?,
            "--photo" => {
                let path = args.next().ok_or("--photo needs a file")?;
                config.photo = std::fs::read(&path).map_err(|e| format!("--photo {path}: {e}"))?;
                if config.photo.len() != 1024 {
                    return Err(format!("--photo {path}: a WLT block has 1024 bytes"));
                }
            }
            "--script" => {
                let path = args.next().ok_or("--script needs a file")?;
                let text =
                    std::fs::read_to_string(&path).map_err(|e| format!("--script {path}: {e}"))?;
                let script: Script =
                    serde_json::from_str(&text).map_err(|e| format!("--script {path}: {e}"))?;
                let photo = std::mem::take(&mut config.photo);
                config = script.config()?;
                config.photo = photo;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(config)
}

fn control(sim: &mut IdCardSim, line: &str) -> Result<bool, String> {
    let mut words = line.split_whitespace();
    match (words.next(), words.next()) {
        (Some("place"), Some(name)) => sim.place(card_arg(name)?),
        (Some("next"), None) => {
            if !sim.place_next() {
                return Err("no more cards in the queue".into());
            }
        }
        (Some("remove"), None) => sim.remove(),
        (Some("fault"), Some(name)) => {
            sim.set_fault(Fault::parse(name).ok_or(format!("unknown fault {name}"))?)
        }
        (Some("delays"), Some(find)) => {
            let select = words.next();
            let read = words.next();
            sim.set_delays(Delays {
                find_ms: number(Some(find.to_owned()), "delays")?,
                select_ms: number(select.map(str::to_owned), "delays")?,
                read_ms: number(read.map(str::to_owned), "delays")?,
            });
        }
        (Some("unplug"), None) => {
            sim.unplug();
            return Ok(false);
        }
        (Some("quit"), None) => return Ok(false),
        (None, _) => {}
        _ => return Err(format!("unknown command: {line}")),
    }
    Ok(true)
}

fn main() -> ExitCode {
    let config = match config_from_args(std::env::args().skip(1).collect()) {
        Ok(config) => config,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("idcard-sim: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut sim = IdCardSim::start(config);
    let mut out = std::io::stdout();
    if writeln!(out, "{}", sim.path().display())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        match control(&mut sim, &line) {
            Ok(true) => eprintln!("idcard-sim: ok"),
            Ok(false) => return ExitCode::SUCCESS,
            Err(message) => eprintln!("idcard-sim: {message}"),
        }
    }
    // stdin closed (started in the background): serve until killed.
    loop {
        std::thread::park();
    }
}
