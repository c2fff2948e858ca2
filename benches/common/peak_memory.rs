//! Peak resident memory of a process, as Linux counts it (`VmHWM`).

/// `process` is `"self"` or a process id; `None` once the process has ended
/// (a zombie, until it is waited for, has no `VmHWM`).
pub fn peak_memory_kib(process: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{process}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
        })
}
