//! Finding a file's mappings in this process, from the text of `/proc/self/maps`. Used to hand
//! the clean pages of the store's memory map back to the kernel (see `napi::os`): LMDB reads
//! through a shared file mapping, so every page read stays counted in the process's resident
//! set although it is only page cache, which the kernel keeps (and may reclaim) either way.

/// Address ranges `(start, length)` of every shared mapping of exactly `path` (private ones
/// are left out: dropping their pages would lose any copy-on-write changes).
pub fn shared_ranges_of(maps: &str, path: &str) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            // "start-end perms offset dev inode   path": the path is the sixth field and may
            // itself hold spaces, so split off the first five and trim the rest.
            let mut fields = line.splitn(6, ' ');
            let range = fields.next()?;
            let shared = fields.next()?.ends_with('s');
            let name = fields.nth(3)?.trim_start();
            if !shared || name != path {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (end > start).then_some((start, end - start))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::shared_ranges_of;

    const MAPS: &str = "\
55d0c8a00000-55d0c8a2a000 r--p 00000000 fd:01 1234   /usr/bin/node
7f0000000000-7f0040000000 r--s 00000000 fd:01 99     /tmp/a b/deriva.mdb
7f0040000000-7f0040001000 rw-s 00000000 fd:01 100    /tmp/a b/deriva.mdb-lock
7f0050000000-7f0050002000 r--s 00000000 fd:01 99     /tmp/a b/deriva.mdb
7f0060000000-7f0060002000 r--p 00000000 fd:01 99     /tmp/a b/deriva.mdb
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0      [stack]
7ffd00030000-7ffd00032000 r-xp 00000000 00:00 0
";

    #[test]
    fn finds_every_shared_mapping_of_exactly_the_path() {
        assert_eq!(
            shared_ranges_of(MAPS, "/tmp/a b/deriva.mdb"),
            vec![(0x7f00_0000_0000, 0x4000_0000), (0x7f00_5000_0000, 0x2000)]
        );
    }

    #[test]
    fn ignores_other_and_anonymous_mappings() {
        assert!(shared_ranges_of(MAPS, "/tmp/a b/other").is_empty());
        assert!(shared_ranges_of(MAPS, "").is_empty());
    }
}
