//! The repository's file set (sorted, hashed) and path helpers.
//!
//! Paths are repository-relative with `/` separators and no leading `./`
//! (what `git ls-files` prints). Directories are written without a trailing slash,
//! the repository root is `""`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (the FxHash mix) for path keys.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(c);
            self.add(u64::from_le_bytes(buf));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `HashMap` with [`FxHasher`].
pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// `HashSet` with [`FxHasher`].
pub(super) type FxSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// The caller's file list, sorted bytewise, borrowed (no copies of the paths; no copy of
/// the list either when it is already sorted, as `git ls-files` prints it). Lookups
/// binary-search until they get frequent, then a hash index is built once: a diff scan
/// that resolves a few hundred specifiers never pays for hashing 40k paths.
pub(super) struct FileIndex<'a> {
    sorted: Paths<'a>,
    ids: std::cell::OnceCell<FxMap<&'a str, u32>>,
    lookups: std::cell::Cell<u32>,
}

/// The sorted, duplicate-free paths.
enum Paths<'a> {
    /// The caller's list itself (it was strictly increasing).
    Borrowed(&'a [String]),
    /// A sorted, deduplicated list of references into it.
    Owned(Vec<&'a str>),
}

impl<'a> Paths<'a> {
    fn len(&self) -> usize {
        match self {
            Paths::Borrowed(v) => v.len(),
            Paths::Owned(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Paths::Borrowed(v) => v.get(i).map(String::as_str),
            Paths::Owned(v) => v.get(i).copied(),
        }
    }

    /// First index whose path is not `< head ++ tail` (bytewise); allocation-free.
    fn lower_bound(&self, head: &str, tail: &[u8]) -> usize {
        let less = |p: &str| precedes(p.as_bytes(), head.as_bytes(), tail);
        match self {
            Paths::Borrowed(v) => v.partition_point(|p| less(p)),
            Paths::Owned(v) => v.partition_point(|p| less(p)),
        }
    }
}

/// Whether `p < head ++ tail`, bytewise.
fn precedes(p: &[u8], head: &[u8], tail: &[u8]) -> bool {
    let n = p.len().min(head.len());
    let (p_head, p_rest) = p.split_at(n);
    match p_head.cmp(head.split_at(n).0) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => n < head.len() || p_rest < tail,
    }
}

/// Lookups after which the hash index is built.
const HASH_AFTER: u32 = 4096;

impl<'a> FileIndex<'a> {
    /// Index `files` (any order; duplicates are kept once).
    #[cfg(test)]
    pub(super) fn new(files: &'a [String]) -> Self {
        Self::new_visiting(files, |_| {})
    }

    /// [`FileIndex::new`], calling `visit` on every path of the list as given (input order,
    /// duplicates included) in the same pass that checks whether the list is sorted: a
    /// caller that needs to look at every name pays for one sweep over the paths, not two.
    pub(super) fn new_visiting(files: &'a [String], mut visit: impl FnMut(&'a str)) -> Self {
        let mut sorted = true;
        let mut prev: Option<&str> = None;
        for f in files {
            sorted = sorted && prev.is_none_or(|p| p < f.as_str());
            visit(f);
            prev = Some(f);
        }
        let sorted = if sorted {
            Paths::Borrowed(files)
        } else {
            let mut v: Vec<&'a str> = files.iter().map(String::as_str).collect();
            v.sort_unstable();
            v.dedup();
            Paths::Owned(v)
        };
        FileIndex {
            sorted,
            ids: std::cell::OnceCell::new(),
            lookups: std::cell::Cell::new(0),
        }
    }

    /// Number of files.
    pub(super) fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Id of a file, if it is in the set.
    pub(super) fn id(&self, path: &str) -> Option<usize> {
        if let Some(map) = self.ids.get() {
            return map.get(path).map(|&i| i as usize);
        }
        let n = self.lookups.get().saturating_add(1);
        self.lookups.set(n);
        if n >= HASH_AFTER {
            let map = self.ids.get_or_init(|| {
                let mut m = FxMap::default();
                m.reserve(self.len());
                for (i, p) in self.iter().enumerate() {
                    m.insert(p, u32::try_from(i).unwrap_or(u32::MAX));
                }
                m
            });
            return map.get(path).map(|&i| i as usize);
        }
        let i = self.sorted.lower_bound(path, b"");
        (self.sorted.get(i) == Some(path)).then_some(i)
    }

    /// The first of `exts` (in that order) for which `stem.ext` is a file. Costs two binary
    /// searches over the whole index (for the `stem.*` range), not one per extension.
    pub(super) fn id_with_ext(&self, stem: &str, exts: &[&str]) -> Option<usize> {
        let lo = self.sorted.lower_bound(stem, b".");
        let hi = self.sorted.lower_bound(stem, b"/"); // '/' is the byte after '.'
        if lo >= hi {
            return None;
        }
        let skip = stem.len() + 1;
        let ext_of = |i: usize| {
            self.sorted
                .get(i)
                .and_then(|p| p.as_bytes().get(skip..))
                .unwrap_or(&[])
        };
        exts.iter().find_map(|x| {
            // every path in lo..hi is `stem.` + something, so they are sorted by that suffix
            let (mut a, mut b) = (lo, hi);
            while a < b {
                let mid = a + (b - a) / 2;
                if ext_of(mid) < x.as_bytes() {
                    a = mid + 1;
                } else {
                    b = mid;
                }
            }
            (a < hi && ext_of(a) == x.as_bytes()).then_some(a)
        })
    }

    /// Path of a file id.
    pub(super) fn path(&self, id: usize) -> &'a str {
        self.sorted.get(id).unwrap_or("")
    }

    /// All paths, sorted.
    pub(super) fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.sorted.get(i))
    }

    /// Id range of the files under directory `dir` (`""` = everything).
    pub(super) fn range_under(&self, dir: &str) -> std::ops::Range<usize> {
        if dir.is_empty() {
            return 0..self.len();
        }
        let lo = self.sorted.lower_bound(dir, b"/");
        let hi = self.sorted.lower_bound(dir, b"0"); // '0' is the byte after '/'
        lo..hi.max(lo)
    }

    /// Whether some file lies under `dir`.
    pub(super) fn is_dir(&self, dir: &str) -> bool {
        !self.range_under(dir).is_empty()
    }
}

/// Directory part of a path (`""` for top-level files).
pub(super) fn parent(path: &str) -> &str {
    memchr::memrchr(b'/', path.as_bytes()).map_or("", |i| path.get(..i).unwrap_or(""))
}

/// Final component of a path.
pub(super) fn file_name(path: &str) -> &str {
    memchr::memrchr(b'/', path.as_bytes()).map_or(path, |i| path.get(i + 1..).unwrap_or(""))
}

/// Extension of the final component, without the dot (`""` if none).
pub(super) fn ext(path: &str) -> &str {
    let name = file_name(path);
    match name.rfind('.') {
        Some(0) | None => "",
        Some(i) => &name[i + 1..],
    }
}

/// Final component without its extension.
pub(super) fn stem(path: &str) -> &str {
    let name = file_name(path);
    match name.rfind('.') {
        Some(0) | None => name,
        Some(i) => &name[..i],
    }
}

/// `dir` joined with `rel`, with `.`/`..`/empty segments folded; `None` if it climbs above the root.
pub(super) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let rel_is_abs = rel.starts_with('/');
    if !rel_is_abs {
        parts.extend(dir.split('/').filter(|s| !s.is_empty() && *s != "."));
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Whether `path` is `dir` itself or lies under it (`""` contains everything).
pub(super) fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || (path.len() > dir.len()
            && path.starts_with(dir)
            && path.as_bytes().get(dir.len()) == Some(&b'/'))
        || path == dir
}

/// Whether some directory of `path` is `node_modules`.
pub(super) fn in_node_modules(path: &str) -> bool {
    path.split('/').any(|s| s == "node_modules")
}

/// `dir/name` (or `name` at the root).
pub(super) fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Ancestor directories of `path`, nearest first, ending with the root `""`.
pub(super) fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut cur = Some(path);
    std::iter::from_fn(move || {
        let p = cur?;
        if p.is_empty() {
            cur = None;
            return None;
        }
        let up = parent(p);
        cur = Some(up);
        Some(up)
    })
}

/// Extensions whose files the import graph reads and parses.
pub(super) const PARSED_EXTS: &[&str] = &[
    "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "vue", "svelte", "astro", "html", "htm",
    "mdx",
];

/// Extensions of JS/TS-family source files (the ones this analysis can call "not shipped").
pub(super) const SOURCE_EXTS: &[&str] = &[
    "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "vue", "svelte", "astro", "mdx",
];

/// Whether the import graph parses this file.
pub(super) fn is_parsed(path: &str) -> bool {
    !path.ends_with(".d.ts") && PARSED_EXTS.contains(&ext(path))
}

/// Whether this is a JS/TS-family source file.
pub(super) fn is_source(path: &str) -> bool {
    SOURCE_EXTS.contains(&ext(path))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn join_folds_dots_and_refuses_escape() {
        assert_eq!(join("src/lib", "../x/./y.ts").unwrap(), "src/x/y.ts");
        assert_eq!(join("", "./a.js").unwrap(), "a.js");
        assert_eq!(join("a", "/b/c").unwrap(), "b/c");
        assert!(join("a", "../../x").is_none());
    }

    #[test]
    fn index_ranges_and_dirs() {
        let files: Vec<String> = ["b/x.ts", "a/b.ts", "a-b/c.ts", "a/c/d.ts", "ab.ts"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let ix = FileIndex::new(&files);
        let r = ix.range_under("a");
        let under: Vec<&str> = r.map(|i| ix.path(i)).collect();
        assert_eq!(under, vec!["a/b.ts", "a/c/d.ts"]);
        assert!(ix.is_dir("a/c"));
        assert!(!ix.is_dir("a/b.ts"));
        assert!(!ix.is_dir("zz"));
        assert!(ix.id("ab.ts").is_some());
        assert!(ix.id("a").is_none());
    }

    #[test]
    fn sorted_lists_are_borrowed_and_others_sorted_the_same() {
        let sorted: Vec<String> = ["a-b/c.ts", "a/b.ts", "a/c/d.ts", "ab.ts", "b/x.ts"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut shuffled = sorted.clone();
        shuffled.reverse();
        shuffled.push("a/b.ts".into()); // duplicate
        let mut seen = Vec::new();
        let a = FileIndex::new_visiting(&sorted, |p| seen.push(p));
        assert!(matches!(a.sorted, Paths::Borrowed(_)));
        assert_eq!(
            seen,
            vec!["a-b/c.ts", "a/b.ts", "a/c/d.ts", "ab.ts", "b/x.ts"]
        );
        let mut visits = 0;
        let b = FileIndex::new_visiting(&shuffled, |_| visits += 1);
        assert!(matches!(b.sorted, Paths::Owned(_)));
        assert_eq!(visits, 6, "every path of the list, duplicates included");
        assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
        for q in ["a/b.ts", "a", "a/", "ab.ts", "b/x.ts", "b/x.tsx", "", "zz"] {
            assert_eq!(a.id(q), b.id(q), "{q}");
        }
        for d in ["a", "a/c", "b", "", "a-b", "zz", "a/b.ts"] {
            assert_eq!(a.range_under(d), b.range_under(d), "{d}");
        }
    }

    #[test]
    fn extension_probe_keeps_the_preference_order() {
        let files: Vec<String> = [
            "src/api.js",
            "src/api.ts",
            "src/api.test.ts",
            "src/api/index.ts",
            "src/api-client.ts",
            "src/x.vue",
            "src/y.d.ts",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let ix = FileIndex::new(&files);
        let name = |id: Option<usize>| id.map(|i| ix.path(i));
        assert_eq!(
            name(ix.id_with_ext("src/api", &["ts", "js"])),
            Some("src/api.ts")
        );
        assert_eq!(
            name(ix.id_with_ext("src/api", &["js", "ts"])),
            Some("src/api.js")
        );
        assert_eq!(name(ix.id_with_ext("src/api", &["tsx", "mjs"])), None);
        assert_eq!(
            name(ix.id_with_ext("src/api.test", &["ts"])),
            Some("src/api.test.ts")
        );
        assert_eq!(
            name(ix.id_with_ext("src/x", &["ts", "vue"])),
            Some("src/x.vue")
        );
        assert_eq!(
            name(ix.id_with_ext("src/y", &["ts"])),
            None,
            "y.d.ts is not y.ts"
        );
        assert_eq!(name(ix.id_with_ext("src/y.d", &["ts"])), Some("src/y.d.ts"));
        assert_eq!(name(ix.id_with_ext("src/missing", &["ts"])), None);
        assert_eq!(name(ix.id_with_ext("", &["ts"])), None);
    }

    #[test]
    fn allocation_free_bounds_compare_like_concatenation() {
        for (p, head, tail) in [
            ("a/b", "a", "/"),
            ("a", "a", "/"),
            ("a-b", "a", "/"),
            ("a0", "a", "/"),
            ("", "a", "/"),
            ("ab", "abc", ""),
            ("abd", "abc", ""),
            ("abc", "abc", ""),
            ("x.ts", "x", "."),
        ] {
            let key = format!("{head}{tail}");
            assert_eq!(
                precedes(p.as_bytes(), head.as_bytes(), tail.as_bytes()),
                p < key.as_str(),
                "{p} < {key}"
            );
        }
    }

    #[test]
    fn names_and_ancestors() {
        assert_eq!(ext("src/a.test.ts"), "ts");
        assert_eq!(ext("src/.env"), "");
        assert_eq!(stem("src/a.test.ts"), "a.test");
        assert_eq!(parent("a.ts"), "");
        let a: Vec<&str> = ancestors("a/b/c.ts").collect();
        assert_eq!(a, vec!["a/b", "a", ""]);
        assert!(is_under("apps/api/src/x.ts", "apps/api"));
        assert!(!is_under("apps/api2/x.ts", "apps/api"));
        assert!(is_under("x.ts", ""));
    }
}
