//! The one operating-system call the addon makes besides Node-API: `madvise`.

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
