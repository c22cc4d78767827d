//! Giving memory back to the operating system once a large document is let go of.
//!
//! glibc's allocator keeps what a program frees for later use: after an 18 MB collection's body
//! and its outline are dropped (a whole parse replaced them), the process still holds those
//! pages, and its memory stays ~40 MB higher than the document needs (issue 15's benchmark).
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
    #[test]
    fn freed_memory_is_given_back_and_what_is_live_stays() {
        let kept = vec![7u8; 1 << 20];
        drop(vec![vec![0u8; 4096]; 4096]);
        super::give_back_freed_memory();
        assert!(
            kept.iter().all(|&b| b == 7),
            "a live allocation is untouched"
        );
    }
}
