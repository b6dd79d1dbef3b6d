//! What the addon asks of the machine besides Node-API: the `madvise` system call, and the
//! CPU's cache prefetch hint.

use std::ffi::{c_int, c_void};

extern "C" {
    fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
}

/// Linux's MADV_DONTNEED.
const MADV_DONTNEED: c_int = 4;

/// Drops this process's page-table entries for `len` bytes at `start`, which must be a shared
/// file mapping (from `/proc/self/maps`): its pages stay in the page cache, and a later access
/// maps them in again. For a private or anonymous mapping this would discard data, so callers
/// pass only ranges of a file mapped shared.
pub fn release_shared_file_pages(start: usize, len: usize) -> std::io::Result<()> {
    // SAFETY: madvise only changes how the range is backed, never what a shared file mapping
    // reads as; an address that is not mapped makes it fail with ENOMEM, reported as an error.
    let rc = unsafe { madvise(start as *mut c_void, len, MADV_DONTNEED) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Asks the CPU to start loading `bytes` into its caches (one hint per 64-byte line) and returns
/// at once: the loads proceed while the caller computes on other memory. A hint only, it never
/// changes what memory reads as; on targets other than x86-64 it does nothing.
pub fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for line in bytes.chunks(64) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults and never changes memory; SSE, which the instruction
        // needs, is part of the x86-64 baseline. The pointer is into a live slice anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}
