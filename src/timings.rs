//! Per-stage times and resident memory, printed to standard error when
//! `COMPANION_TIMINGS` is set (for profiling; see benches/bench.sh).

use std::time::Instant;

/// A stopwatch for the stages of one build.
pub(crate) struct Timings {
    on: bool,
    last: Instant,
}

impl Timings {
    pub(crate) fn new() -> Self {
        Timings {
            on: std::env::var_os("COMPANION_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!(
                "timing: {stage} {:.3} s, resident {} MiB",
                self.last.elapsed().as_secs_f64(),
                resident_mib()
            );
            self.last = Instant::now();
        }
    }
}

/// The process's resident memory in MiB, where `/proc` tells it (Linux).
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
