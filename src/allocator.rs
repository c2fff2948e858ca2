//! How the C allocator hands freed memory back (glibc only; elsewhere nothing).
//!
//! whisper.cpp allocates and frees buffers of a few megabytes as it decodes
//! (the padded audio of each mel spectrogram, the word-timing pass's
//! attention copies). glibc raises its mmap threshold each time such a
//! buffer is freed, up to 32 MB, so later ones come from the heap and their
//! pages stay resident once freed: about 13 MB of a 130 s answer's peak.
//! A fixed threshold ends that; a trim threshold twice as high (what glibc's
//! own adjustment keeps) stops the heap's top from being handed back and
//! faulted in again on every window, which cost 5 % of the CPU time.

/// Allocations at least this large get pages of their own, returned on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 512 << 10;
/// Free memory at the heap's top is handed back once it is this large.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD_BYTES: libc::c_int = 2 * MMAP_THRESHOLD_BYTES;

/// Call first thing in `main`, before any thread starts.
pub fn hand_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets the allocator's parameters, which glibc
    // allows at any time; a refused value (return 0) leaves them as they were.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
    }
}
