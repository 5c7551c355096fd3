//! Bounded property tests: the fuzz targets' invariants (`fuzz/src/lib.rs`,
//! included below) on pseudo-random inputs from a deterministic xorshift
//! generator seeded per test, a mutation loop over the fuzz seed corpus
//! (`fuzz/corpus/<target>/`) and a replay of the minimised crash inputs
//! (`fuzz/regressions/<target>/`). Every test stops after a fixed number of
//! cases or its time budget, whichever comes first, so the whole binary stays
//! within ~30 s in a debug build on two cores. A failing case prints the
//! target, the seed, the case number and the input.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Time budget of one test (the generator's case count is the other bound).
const BUDGET: Duration = Duration::from_millis(2000);

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

type Check = fn(&[u8]);

/// Syntax fragments a target's input is built from, besides random bytes.
/// (`fuzz/regressions/diff/hunk-count-huge` records a hunk count that once
/// made the parser allocate without bound; lines are now counted as they come.)
fn tokens(target: &str) -> &'static [&'static str] {
    match target {
        "dotenv" => &[
            "=",
            "export ",
            "export\t",
            "#",
            " #",
            "# @required @type=url",
            "\"",
            "'",
            "`",
            "\\",
            "\\\"",
            "${",
            "}",
            "${A:-x}",
            "\n",
            "\r\n",
            "\u{feff}",
            " ",
            "\t",
            "KEY",
            "_K.1-x",
            "9BAD",
            "A=1",
            "secretvalue123",
            "é",
            "\u{3000}",
            "\u{0}",
        ],
        "config" => &[
            "[gate]",
            "[scan]",
            "[env]",
            "[smoke]",
            "[protect]",
            "[[ignore]]",
            "[[scan.ignore]]",
            "[scan.severity]",
            "[scan.production]",
            "[gate.profiles.x]",
            "fail_on = ",
            "rule = ",
            "reason = ",
            "expires = ",
            "path = ",
            "exclude = ",
            "max_file_size = ",
            "timeout = ",
            "\"2MB\"",
            "\"10s\"",
            "\"error\"",
            "\"2030-01-01\"",
            "\"src/**\"",
            "\"[a-\"",
            "[",
            "]",
            "{",
            "}",
            "=",
            ",",
            "\"",
            "'",
            "'''",
            "\n",
            "\r\n",
            " ",
            "1",
            "-1",
            "true",
            "é",
            "\"x/*\"",
        ],
        "rule_pack" => &[
            "[pack]",
            "name = \"p\"",
            "[[rules]]",
            "id = \"p/x\"",
            "id = \"P X\"",
            "title = \"t\"",
            "severity = \"warning\"",
            "severity = \"fatal\"",
            "message = \"m {match}\"",
            "help = \"h\"",
            "pattern = '",
            "pattern = \"",
            "(?P<m>",
            "(?i)",
            "\\b",
            "[a-z]",
            "{2,}",
            "(",
            ")",
            "keywords = [\"",
            "scope = \"production\"",
            "paths = [\"*.ts\"]",
            "exclude_paths = [\"[\"]",
            "allow = [\"",
            "secret = true",
            "[rules.examples]",
            "match = [\"",
            "no_match = [",
            "{ text = \"x\", path = \"a.ts\" }",
            "\"]",
            "'",
            "\"",
            "'''\n",
            "\n",
            " ",
            "é",
            "TODO",
        ],
        "diff" => &[
            "diff --git a/x b/x\n",
            "--- a/x\n",
            "+++ b/x\n",
            "+++ /dev/null\n",
            "+++ \"b/s\\tp\"\n",
            "@@ -1 +1 @@\n",
            "@@ -0,0 +1,3 @@\n",
            "@@ -3,2 +0,0 @@\n",
            "@@ ",
            " @@",
            "+",
            "-",
            ",",
            "0",
            "1",
            "9",
            "\n",
            "\r\n",
            "\\",
            "\"",
            "\\303",
        ],
        "health" => &[
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"status\"",
            "\"checks\"",
            "\"details\"",
            "\"components\"",
            "\"data\"",
            "\"name\"",
            "\"up\"",
            "\"DOWN\"",
            "\"ok\"",
            "\"starting\"",
            "\"warn\"",
            "true",
            "false",
            "null",
            "1",
        ],
        "socketio" => &[
            "0",
            "40",
            "41",
            "44",
            "/events,",
            "{\"sid\":\"x\"}",
            "{\"message\":\"no\"}",
            "\u{1e}",
            "{\"code\":1,\"message\":\"m\"}",
            "é",
            "4é",
            "2",
            "3",
        ],
        "workflow" => &[
            "on: [push]\n",
            "jobs:\n",
            "  a:\n",
            "    runs-on: x\n",
            "    steps:\n",
            "      - run: ",
            "      - run: |\n",
            "        ",
            "npm run x --if-present",
            " || true",
            " && cd web",
            "${{ secrets.A }}",
            "curl -X POST $URL/h",
            "'",
            "\"",
            "\\",
            "$(",
            ")",
            "<<EOF\n",
            "EOF\n",
            "\n",
            "é",
        ],
        "markdown" => &[
            "# ",
            "## Environment\n",
            "## Health\n",
            "[a](",
            "other.md#x",
            ")",
            "`",
            "```bash\n",
            "```\n",
            "- ",
            "| a | b |\n",
            "<a href=\"",
            "API_URL=",
            "GET /health",
            "\n",
            "\\",
            "é",
            "😀",
        ],
        "js_module" => &[
            "import ",
            " from \"./env\";\n",
            "export ",
            "default ",
            "const { env } = process;\n",
            "process.env.",
            "env.",
            "[",
            "]",
            "z.object({ ",
            ".parse(process.env)",
            "`${",
            "}`",
            "/*",
            "*/",
            "//",
            "/re/",
            "'",
            "\"",
            "\n",
            "é",
        ],
        _ => &["\0", "\u{ff}", "%", "::", "<", "&", "\n", "\r", "é", "😀"],
    }
}

/// A random input: tokens, random bytes and letters, concatenated.
fn random_input(rng: &mut Rng, target: &str) -> Vec<u8> {
    let toks = tokens(target);
    let mut out = Vec::new();
    let pieces = rng.below(40);
    for _ in 0..pieces {
        match rng.below(8) {
            0..=3 => out.extend_from_slice(toks[rng.below(toks.len())].as_bytes()),
            4 | 5 => {
                let n = 1 + rng.below(8);
                out.extend(rng.bytes(n));
            }
            _ => {
                let n = 1 + rng.below(12);
                out.extend((0..n).map(|_| b'a' + rng.below(26) as u8));
            }
        }
    }
    out
}

/// One random edit of `input` (`others` are splice sources).
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, target: &str, others: &[Vec<u8>]) {
    let len = input.len();
    match rng.below(8) {
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            input[i] = rng.next() as u8;
        }
        2 | 3 => {
            let toks = tokens(target);
            let t = toks[rng.below(toks.len())].as_bytes();
            let at = rng.below(len + 1);
            input.splice(at..at, t.iter().copied());
        }
        4 if len > 0 => {
            let a = rng.below(len);
            let b = (a + 1 + rng.below(16)).min(len);
            input.drain(a..b);
        }
        5 if len > 0 => {
            let a = rng.below(len);
            let b = (a + 1 + rng.below(32)).min(len);
            let chunk = input[a..b].to_vec();
            let at = rng.below(len + 1);
            input.splice(at..at, chunk);
        }
        6 if !others.is_empty() => {
            let o = &others[rng.below(others.len())];
            if !o.is_empty() {
                let a = rng.below(o.len());
                let b = (a + 1 + rng.below(64)).min(o.len());
                let at = rng.below(len + 1);
                input.splice(at..at, o[a..b].iter().copied());
            }
        }
        _ if len > 0 => input.truncate(rng.below(len)),
        _ => input.extend(rng.bytes(4)),
    }
}

/// Runs `check` on `input`; on a panic, says which case it was first.
fn run_case(target: &str, what: &str, check: Check, input: &[u8]) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(input))) {
        let shown = &input[..input.len().min(4096)];
        eprintln!(
            "property `{target}` failed on {what}; input ({} bytes): {:?}",
            input.len(),
            String::from_utf8_lossy(shown)
        );
        eprintln!("raw bytes: {shown:?}");
        resume_unwind(panic);
    }
}

/// `cases` random inputs, seeded by the target's name.
fn random_cases(target: &str, check: Check, cases: usize) {
    let seed = target.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng::new(seed);
    let start = Instant::now();
    let mut ran = 0;
    for case in 0..cases {
        if start.elapsed() > BUDGET {
            break;
        }
        let input = random_input(&mut rng, target);
        run_case(
            target,
            &format!("random case {case} (seed {seed:#x})"),
            check,
            &input,
        );
        ran += 1;
    }
    eprintln!("{target}: {ran} random case(s) in {:?}", start.elapsed());
}

fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn fuzz_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target)
}

/// Every seed as is, then `rounds` passes of 1–4 stacked mutations per seed.
fn corpus_cases(target: &str, check: Check, rounds: usize) {
    let seeds = files_in(&fuzz_dir("corpus", target));
    assert!(!seeds.is_empty(), "no seed corpus for {target}");
    let others: Vec<Vec<u8>> = seeds.iter().map(|(_, b)| b.clone()).collect();
    for (path, bytes) in &seeds {
        run_case(target, &format!("seed {}", path.display()), check, bytes);
    }
    let mut rng = Rng::new(0x5eed ^ target.len() as u64);
    let start = Instant::now();
    let mut ran = 0;
    'rounds: for round in 0..rounds {
        for (path, bytes) in &seeds {
            if start.elapsed() > BUDGET {
                break 'rounds;
            }
            let mut input = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut input, target, &others);
            }
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            run_case(
                target,
                &format!("mutation round {round} of seed {name}"),
                check,
                &input,
            );
            ran += 1;
        }
    }
    eprintln!(
        "{target}: {} seed(s), {ran} mutant(s) in {:?}",
        seeds.len(),
        start.elapsed()
    );
}

macro_rules! props {
    ($($target:ident: $random:expr, $rounds:expr;)*) => {
        mod random {
            $(
                #[test]
                fn $target() {
                    super::random_cases(stringify!($target), super::harness::$target, $random);
                }
            )*
        }
        mod corpus {
            $(
                #[test]
                fn $target() {
                    super::corpus_cases(stringify!($target), super::harness::$target, $rounds);
                }
            )*
        }
        /// Minimised crash inputs found by fuzzing must not crash any more.
        /// `oom-*` inputs are skipped: until fixed they exhaust memory, which
        /// aborts instead of panicking (replay them with the fuzz binary and
        /// `-rss_limit_mb`).
        #[test]
        fn regressions() {
            $(
                for (path, bytes) in files_in(&fuzz_dir("regressions", stringify!($target))) {
                    if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("oom-")) {
                        continue;
                    }
                    run_case(
                        stringify!($target),
                        &format!("regression {}", path.display()),
                        harness::$target,
                        &bytes,
                    );
                }
            )*
        }
    };
}

// target: random cases, mutation rounds over the seed corpus.
props! {
    dotenv: 50_000, 4000;
    config: 60_000, 500;
    rule_pack: 30_000, 40;
    diff: 100_000, 5000;
    health: 150_000, 10_000;
    socketio: 100_000, 5000;
    render: 1500, 60;
    secrets: 3000, 600;
    workflow: 20_000, 2000;
    markdown: 20_000, 2000;
    js_module: 20_000, 2000;
}

#[test]
fn xml_checker_rejects_broken_documents() {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert!(harness::xml_well_formed(&format!("{decl}<a b=\"1\"><c/>t &amp; u</a>\n")).is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a b=\"<\"/>",
        "<a>&nope;</a>",
        "<a>x & y</a>",
        "<a>\u{1}</a>",
        "<a/><b/>",
        "<a b=\"1\" b=\"2\"/>",
        "<a>]]></a>",
        "<a>",
    ] {
        assert!(
            harness::xml_well_formed(&format!("{decl}{bad}")).is_err(),
            "{bad:?} accepted"
        );
    }
}

#[test]
fn sarif_schema_is_found() {
    // The schema lives in ../shared/contracts next to the repository; without
    // it SARIF output is only parsed, which this makes visible.
    if !harness::sarif_schema_available() {
        eprintln!("SARIF schema not found: SARIF output is parsed but not validated");
    }
}
