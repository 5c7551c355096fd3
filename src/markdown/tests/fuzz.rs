//! Robustness: random and mutated documents never panic and keep positions in range.

use super::*;

/// Markdown, HTML, path and runbook fragments that random documents are built from.
const GARBAGE: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "`",
    "``",
    "```",
    "~~~",
    "#",
    "## ",
    "\n",
    "\n\n",
    " ",
    "    ",
    "\t",
    "*",
    "_",
    "!",
    "\\",
    "&",
    ";",
    "&#x",
    "&amp;",
    ":",
    "-",
    "- ",
    "1. ",
    "> ",
    "|",
    "---",
    "===",
    "<!--",
    "-->",
    "<a href=",
    "\"",
    "'",
    "{{",
    "}}",
    "#x",
    "é",
    "😄",
    "\u{feff}",
    "\r\n",
    "a.md",
    "../",
    "/",
    "%",
    "%E0%A4",
    "?",
    "=",
    "$ ",
    "<img src=",
    "[x]: ",
    "http://",
    "`a.md`",
    "## HEALTHCHECK\n",
    "## ENV\n",
    "curl ",
    "GET /",
    "DATABASE_URL",
    "<details>",
    "<pre>",
    "</pre>",
    "+++",
    "...",
    "\u{2028}",
    "\0",
    "ǅ",
];

/// More fragments for the long manual fuzz run (appended to [`GARBAGE`]).
const GARBAGE_EXTRA: &[&str] = &[
    "`./x.sh`",
    "`/api/x`",
    "[a][b]",
    "[b]: c",
    "| a | b |\n|---|---|\n",
    "```console\n$ npm ci\n",
    "   ```",
    "\t- ",
    "10) ",
    "<div>",
    "</div>",
    "<script>",
    "Σ",
    "`docs/`",
    "`.env.example`",
    "KEY=v",
    "${X}",
    "-X POST ",
    "https://",
    "#L1",
    "(#a)",
    "[^1]:",
    "<?",
    "?>",
];

/// xorshift64 step: a tiny deterministic PRNG for reproducible fuzz inputs.
fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

#[test]
fn garbage_input_never_panics() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..400 {
        let n = (xorshift(&mut state) % 300) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(GARBAGE[(xorshift(&mut state) % GARBAGE.len() as u64) as usize]);
        }
        let mut bytes = s.into_bytes();
        if round % 5 == 0 && !bytes.is_empty() {
            // Invalid UTF-8 too.
            let k = (xorshift(&mut state) as usize) % bytes.len();
            bytes[k] = 0xff;
        }
        let files = vec![
            "README.md".to_string(),
            "docs/a.md".to_string(),
            ".gitignore".to_string(),
        ];
        let read = |p: &str| match p {
            ".gitignore" => Some(b"**/a/**/b/**\n[a-\n*.md\n".to_vec()),
            _ => Some(bytes.clone()),
        };
        let a = analyze(&files, &read);
        for i in &a.issues {
            assert!(i.line >= 1 && i.column >= 1);
        }
    }
}

#[test]
fn mutated_seed_runbooks_never_panic() {
    const PIECES: &[&str] = &[
        "`",
        "```",
        "[",
        "](",
        ")",
        "<",
        ">",
        "\n",
        "\n\n",
        "    ",
        "- ",
        "1. ",
        "> ",
        "#",
        "|",
        "\\",
        "&#",
        "é",
        "😄",
        "<!--",
        "-->",
        "<a href=\"",
        "~~~",
        "\t",
        "\r",
        "---\n",
        "**",
        "__",
        "![",
        "[^1]",
        "${",
        "{{",
    ];
    let seeds = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..150 {
        let mut text = seeds[round % seeds.len()].to_string();
        for _ in 0..(1 + xorshift(&mut state) % 12) {
            let mut at = (xorshift(&mut state) as usize) % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let piece = PIECES[(xorshift(&mut state) % PIECES.len() as u64) as usize];
            text.insert_str(at, piece);
        }
        let files = vec![
            "docs/RUNBOOK.md".to_string(),
            "README.md".to_string(),
            "scripts/backup.sh".to_string(),
        ];
        let read = |p: &str| match p {
            "docs/RUNBOOK.md" => Some(text.as_bytes().to_vec()),
            "README.md" => Some(b"[runbook](docs/RUNBOOK.md#healthcheck)\n".to_vec()),
            _ => Some(Vec::new()),
        };
        let a = analyze(&files, &read);
        let lines = text.lines().count() + 2;
        for i in &a.issues {
            assert!(i.line >= 1 && i.line <= lines && i.column >= 1, "{i:?}");
        }
        for s in &a.snippets {
            assert!(s.line >= 1 && s.line <= lines && s.column >= 1);
        }
    }
}

/// Manual: a long random run over the full fragment alphabet (`ROUNDS`, `SEED` env vars).
#[test]
#[ignore]
fn fuzz_long() {
    let pieces: Vec<&str> = GARBAGE.iter().chain(GARBAGE_EXTRA).copied().collect();
    let n: u64 = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut state = std::env::var("SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0xDEAD_BEEF_1234_5678u64);
    for _ in 0..n {
        let k = (xorshift(&mut state) % 400) as usize;
        let mut s = String::new();
        for _ in 0..k {
            s.push_str(pieces[(xorshift(&mut state) % pieces.len() as u64) as usize]);
        }
        let files = vec![
            "README.md".to_string(),
            "docs/a.md".to_string(),
            "docs/x.sh".to_string(),
            ".gitignore".to_string(),
        ];
        let read = |p: &str| match p {
            ".gitignore" => Some(b"*.log\n/build/\n**/tmp/**\n".to_vec()),
            "docs/x.sh" => Some(Vec::new()),
            _ => Some(s.as_bytes().to_vec()),
        };
        let _ = analyze(&files, &read);
    }
}
