//! Giving memory back to the operating system once a large document is let go of.
//!
//! glibc's allocator keeps what a program frees for later use: after an 18 MB collection's body
//! and its outline are dropped (a whole parse replaced them), the process still held those
//! pages: with the collection open it grew by +130 MB instead of +50 (issue 15's benchmark).
//! [`give_back_freed_memory`] returns the free pages of every arena (`malloc_trim`); elsewhere
//! it does nothing (other allocators return large blocks by themselves).

/// Returns the allocator's free pages to the operating system (glibc: `malloc_trim(0)`, a few
/// milliseconds for a heap of some hundred megabytes). Call it off the main thread, after a
/// large value was dropped.
pub fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas; it takes no
    // pointer and cannot invalidate a live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    /// Resident memory of this process, in bytes (`/proc/self/statm`).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn resident() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        // SAFETY: sysconf only reads a system constant.
        pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize
    }

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn freed_memory_is_given_back_and_what_is_live_stays() {
        const MB: usize = 1 << 20;
        // 32 MB in small blocks (the allocator's heap, not mmap), then one block after them
        // that stays: the freed ones are not at the heap's top, which glibc gives back alone.
        let blocks: Vec<Vec<u8>> = (0..8 * 1024).map(|_| vec![1u8; 4096]).collect();
        let kept = vec![7u8; 4096];
        let full = resident();
        drop(blocks);
        super::give_back_freed_memory();
        let after = resident();
        assert!(
            after + 16 * MB < full,
            "resident memory went from {} to {} MB",
            full / MB,
            after / MB
        );
        assert!(
            kept.iter().all(|&b| b == 7),
            "a live allocation is untouched"
        );
    }
}
