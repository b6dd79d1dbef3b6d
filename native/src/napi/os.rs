//! What the addon asks of the machine besides Node-API: the `madvise` and `statx` system
//! calls, and the CPU's cache prefetch hint.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};

extern "C" {
    fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    fn statx(dirfd: c_int, path: *const c_char, flags: c_int, mask: c_uint, buf: *mut StatxBuf) -> c_int;
}

/// Linux's `struct statx` (256 bytes), as 64-bit words: `stx_size` is the sixth (byte 40).
#[repr(C, align(8))]
struct StatxBuf([u64; 32]);

const AT_FDCWD: c_int = -100;
/// Ask the filesystem, never the kernel's cached attributes (for FUSE: always a GETATTR).
const AT_STATX_FORCE_SYNC: c_int = 0x2000;
/// The kernel's cached attributes only, never the filesystem (for FUSE: no request at all).
const AT_STATX_DONT_SYNC: c_int = 0x4000;
const STATX_SIZE: c_uint = 0x200;

/// The size of the file at `path` as the kernel holds it: with `fresh`, after asking the
/// filesystem afresh (`statx` with `AT_STATX_FORCE_SYNC`: on a FUSE mount a GETATTR whose reply
/// the kernel applies unless a reply it already holds is newer, which also updates the size its
/// page-cache reads are bounded by; this blocks until the filesystem answers, and until reads in
/// flight past a smaller size end, so never call it on the thread serving that filesystem);
/// without, from the kernel's cached attributes (`AT_STATX_DONT_SYNC`: no request is sent).
pub fn file_size(path: &[u8], fresh: bool) -> std::io::Result<u64> {
    let flags = if fresh { AT_STATX_FORCE_SYNC } else { AT_STATX_DONT_SYNC };
    let path = CString::new(path).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    let mut buf = StatxBuf([0; 32]);
    // SAFETY: `path` is NUL-terminated and outlives the call; `buf` is a writable, aligned
    // buffer of the size the kernel writes (struct statx is 256 bytes).
    let rc = unsafe { statx(AT_FDCWD, path.as_ptr(), flags, STATX_SIZE, &mut buf) };
    if rc == 0 {
        Ok(buf.0[5])
    } else {
        Err(std::io::Error::last_os_error())
    }
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
