//! How many threads a Whisper decode gets.
//!
//! whisper.cpp's threads wait for each other by spinning at every step of
//! the network. When another program keeps a core busy, one of them is often
//! off the processor and the others spin until it is back: on two cores with
//! one busy program, a 61 s answer took 17.6 s to transcribe with two
//! threads against 8.8 s with one, and a live take's report came 54 s after
//! the stop instead of 0.2 s. So each decode takes only the cores that are
//! free when it starts, as the kernel counts them. The transcript does not
//! depend on the count: each thread computes whole rows of a product, so the
//! sums are the same (tests/all/transcribe_real.rs checks it).

use std::time::Duration;

/// Most threads a decode uses, whatever the machine has.
const MOST_THREADS: usize = 8;

/// The threads decodes may use: a number set by `REHEARSE_THREADS`, or the
/// machine's cores (at most 8) less those other programs keep busy.
#[derive(Debug, Clone, Copy)]
pub(super) struct Threads {
    most: usize,
    cores: usize,
    fixed: bool,
}

impl Threads {
    pub(super) fn from_env() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        match std::env::var("REHEARSE_THREADS")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n > 0)
        {
            Some(n) => Self {
                most: n.min(MOST_THREADS),
                cores,
                fixed: true,
            },
            None => Self {
                most: cores.min(MOST_THREADS),
                cores,
                fixed: false,
            },
        }
    }

    /// The threads for the decode about to start.
    pub(super) fn for_next_decode(&self) -> usize {
        if self.fixed {
            return self.most;
        }
        let others = others_running();
        let threads = others.map_or(self.most, |others| {
            threads_left(self.most, self.cores, others)
        });
        log::debug!("decode on {threads} threads ({others:?} others running)");
        threads
    }
}

/// `most` threads, fewer when `others` threads are running on `cores`.
fn threads_left(most: usize, cores: usize, others: usize) -> usize {
    most.min(cores.saturating_sub(others)).max(1)
}

/// How many threads that are not this one are running or ready to run: the
/// least of three looks 1 ms apart, so a program that only wakes up for a
/// moment does not count.
fn others_running() -> Option<usize> {
    let mut least: Option<usize> = None;
    for look in 0..3 {
        if look > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let running = procs_running(&stat)?;
        // The kernel counts the thread reading the file.
        let others = running.saturating_sub(1);
        least = Some(least.map_or(others, |l: usize| l.min(others)));
    }
    least
}

/// The `procs_running` line of /proc/stat: threads running or ready to run.
fn procs_running(stat: &str) -> Option<usize> {
    stat.lines()
        .find_map(|line| line.strip_prefix("procs_running "))
        .and_then(|n| n.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_core_is_left_alone() {
        assert_eq!(threads_left(2, 2, 0), 2);
        assert_eq!(threads_left(2, 2, 1), 1);
        assert_eq!(threads_left(2, 2, 5), 1);
        assert_eq!(threads_left(8, 8, 2), 6);
        assert_eq!(threads_left(4, 8, 2), 4);
    }

    #[test]
    fn the_running_count_is_read_from_the_kernels_table() {
        let stat = "cpu  1 2 3\nctxt 99\nprocs_running 3\nprocs_blocked 0\n";
        assert_eq!(procs_running(stat), Some(3));
        assert_eq!(procs_running("cpu 1 2 3\n"), None);
    }
}
