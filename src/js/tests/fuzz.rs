#![allow(clippy::unwrap_used)]
//! Bounded property-style checks: garbage, binary and minified-looking input never
//! panics or hangs, and parsing time stays linear.

use std::time::Instant;

use super::super::module::parse_module;
use super::super::{command, deploy, jsonc};

/// xorshift64*: tiny deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "import",
    "export",
    "require",
    "from",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "`",
    "${",
    "'",
    "\"",
    "/",
    "//",
    "/*",
    "*/",
    "\\",
    "\n",
    " ",
    "=",
    ";",
    ",",
    ".",
    "*",
    "as",
    "default",
    "type",
    "module",
    "exports",
    "const",
    "x",
    "./a",
    "return",
    "<div>",
    "</script>",
    "<script>",
    "#!",
    "\r\n",
    "é",
    "\u{2028}",
    "import.meta.glob(",
    "new URL(",
    "0.5",
    "/re/g",
];

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| (rng.next() >> 24) as u8).collect()
}

fn random_tokens(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut s = Vec::new();
    for _ in 0..n {
        s.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes());
        if rng.below(4) == 0 {
            s.push(b' ');
        }
    }
    s
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let exts = [
        "a.js", "a.ts", "a.html", "a.vue", "a.astro", "a.svelte", "a",
    ];
    for i in 0..1500 {
        let len = rng.below(2048);
        let bytes = if i % 2 == 0 {
            random_bytes(&mut rng, len)
        } else {
            random_tokens(&mut rng, len / 4)
        };
        let ext = exts[i % exts.len()];
        let m = parse_module(ext, &bytes);
        for imp in &m.imports {
            assert!(imp.line >= 1 && imp.column >= 1);
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = jsonc::parse(&bytes);
        let _ = jsonc::key_line(&text, &["a", "b"]);
        let _ = command::parse(&text);
        let _ = deploy::dockerfile(&text);
        let _ = deploy::toml_values(&text);
        let _ = deploy::yaml_keys(&text);
        let _ = deploy::procfile(&text);
    }
}

#[test]
fn pathological_inputs_stay_linear() {
    // Many `/` after `=` on one huge line: every regex attempt fails at the line end.
    let cases: Vec<Vec<u8>> = vec![
        "a=/".repeat(200_000).into_bytes(),
        "`${".repeat(100_000).into_bytes(),
        "{".repeat(300_000).into_bytes(),
        "import{".repeat(50_000).into_bytes(),
        "require(require(".repeat(50_000).into_bytes(),
        "module.exports={a:".repeat(40_000).into_bytes(),
        "/*".repeat(200_000).into_bytes(),
        "'\\".repeat(200_000).into_bytes(),
        [b"x=".as_slice(), &vec![b'/'; 600_000]].concat(),
        vec![0u8; 600_000],
        vec![0xffu8; 600_000],
    ];
    for c in cases {
        let t = Instant::now();
        let _ = parse_module("min.js", &c);
        let ms = t.elapsed().as_millis();
        assert!(ms < 2000, "{} bytes took {ms} ms", c.len());
    }
}

#[test]
fn minified_bundle_shape() {
    // One long line, no whitespace, regexes and divisions interleaved, as bundlers emit.
    let unit = "var a=b/c,d=/[/]\\//g.test(e)?f(\"./x\"):require(\"./dep\");function g(h){return h/2}export{a as b};";
    let src = unit.repeat(5000);
    let m = parse_module("bundle.min.js", src.as_bytes());
    assert_eq!(
        m.imports.iter().filter(|i| i.specifier == "./dep").count(),
        5000
    );
    assert!(m.imports.iter().all(|i| i.line == 1));
    let last = m.imports.last().unwrap();
    assert!(last.column > unit.len() * 4999);
}

#[test]
fn garbage_repositories_never_panic() {
    use super::super::{Budget, ships, ships_subset_with};
    use super::repo::Repo;
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let names = [
        "package.json",
        "tsconfig.json",
        "Dockerfile",
        "Procfile",
        "fly.toml",
        "render.yaml",
        "railway.json",
        "vercel.json",
        "netlify.toml",
        "captain-definition",
        "nest-cli.json",
        "index.html",
        "src/index.ts",
        "src/a.js",
        "bin/www",
        "ecosystem.config.js",
        "apps/x/package.json",
        "apps/x/src/main.ts",
        "supabase/functions/f/index.ts",
        "api/h.ts",
    ];
    let seeds: &[&str] = &[
        "{\"main\": \"src/index.ts\", \"scripts\": {\"start\": \"node bin/www\"}, \"exports\": {\"./*\": \"./src/*\"}, \"workspaces\": [\"apps/*\"]}",
        "{\"extends\": \"./tsconfig.json\", \"compilerOptions\": {\"paths\": {\"*\": [\"*\", \"src/*\"]}, \"baseUrl\": \"..\"}}",
        "FROM x\nWORKDIR ../../..\nCOPY --from=a / /\nCOPY . /\nCMD [\"node\", \"../../x.js\"]\nENTRYPOINT sh -c 'npm start'",
        "web: npm start && cd .. && node ../../../x",
        "import x from '.'; import y from '..'; require('./'); import('/'); export * from '#x'; import '@/';",
        "[processes]\na = \"node .\"\n[deploy]\nstartCommand = \"npm run start\"",
    ];
    for round in 0..60 {
        let mut list: Vec<(String, String)> = Vec::new();
        for n in names {
            let body = if rng.below(3) == 0 {
                String::from_utf8_lossy(&random_tokens(&mut rng, 200)).into_owned()
            } else {
                seeds[rng.below(seeds.len())].to_string()
            };
            list.push((n.to_string(), body));
        }
        let pairs: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let r = Repo::new(&pairs);
        let read = |p: &str| r.read(p);
        let extra = ["src/**".to_string(), "[".to_string()];
        let full = ships(&r.files, &read, &extra);
        let qs: Vec<String> = names
            .iter()
            .take(1 + round % names.len())
            .map(|s| s.to_string())
            .collect();
        let budget = Budget {
            max_time: std::time::Duration::from_secs(10),
            ..Budget::default()
        };
        let got = ships_subset_with(&qs, &r.files, &read, &extra, budget);
        match full {
            Some(full) => {
                for (q, d) in &got {
                    // subset answers agree with full mode (or are undecided)
                    if d.is_shipped() {
                        assert!(full.is_shipped(q), "{q}");
                    }
                    if d.is_not_shipped() {
                        assert!(full.decision(q).is_not_shipped(), "{q}");
                    }
                }
            }
            None => assert!(got.iter().all(|(_, d)| d.is_undecided())),
        }
    }
    // deeply nested commands
    let _ = command::parse(&"npx npm exec ".repeat(20_000));
    let _ = command::parse(&"sh -c '".repeat(5_000));
    let _ = command::parse(&"concurrently \"".repeat(5_000));
}
