//! Robustness: random garbage, cyclic and deep mounts, pathological nesting and
//! deep scopes never panic and stay bounded in time and output.

use super::*;

// ---------------------------------------------------------------- robustness

#[test]
fn garbage_never_panics() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: &[&[u8]] = &[
        b"app",
        b".get(",
        b".use(",
        b"router",
        b"\"/x\"",
        b"'",
        b"\"",
        b"`",
        b"${",
        b"}",
        b"{",
        b"(",
        b")",
        b"[",
        b"]",
        b"/",
        b"*",
        b"//",
        b"/*",
        b"*/",
        b"\n",
        b",",
        b";",
        b"=>",
        b"require(",
        b"express()",
        b"@Controller(",
        b"@Get(",
        b"class ",
        b"export default ",
        b"module.exports = ",
        b"\\",
        b"\xff\xfe",
        b"\xc3",
        b"const ",
        b"= ",
        b"new Router({ prefix: ",
        b"function (",
        b"async ",
    ];
    for round in 0..300 {
        let mut text = Vec::new();
        let n = (next() % 400) as usize;
        for _ in 0..n {
            if next() % 5 == 0 {
                text.push((next() % 256) as u8);
            } else {
                let pick = alphabet[(next() % alphabet.len() as u64) as usize];
                text.extend_from_slice(pick);
            }
        }
        let paths = [
            "src/app.ts",
            "routes/index.js",
            "app/api/x/route.ts",
            "supabase/functions/f/index.ts",
        ];
        let list: Vec<SourceFile<'_>> = paths
            .iter()
            .map(|p| SourceFile {
                path: p,
                text: &text,
            })
            .collect();
        let imports = vec![bind(
            "src/app.ts",
            "router",
            Imported::Default,
            Some("routes/index.js"),
            "../routes",
        )];
        let t = extract(&list, &imports);
        let _ = t.serves(Some("GET"), std::str::from_utf8(&text).unwrap_or("/x"));
        let _ = t.health_paths();
        assert!(t.routes.len() < 100_000, "round {round}");
    }
}

#[test]
fn deep_and_cyclic_mounts_terminate() {
    let mut srcs = Vec::new();
    for k in 0..40 {
        srcs.push((
            format!("r{k}.js"),
            format!(
                "const r = require('express').Router();\nconst next = require('./r{}');\nr.use('/s{k}', next);\nr.get('/leaf', h);\nmodule.exports = r;\n",
                (k + 1) % 40
            ),
        ));
    }
    let list: Vec<(&str, &str)> = srcs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let t = table(&list);
    assert!(!t.routes.is_empty());
    assert!(t.routes.len() <= 40 * 16, "{}", t.routes.len());
}

#[test]
fn pathological_nesting_is_bounded() {
    let deep_calls = format!(
        "app.use('/x', {}r{});\n",
        "fp(".repeat(20_000),
        ")".repeat(20_000)
    );
    let deep_brackets = format!("{}\n{}", "[{(".repeat(30_000), "app.get('/after', h)");
    let templates = format!("const a = `{}`;\napp.get('/t', h);\n", "${`".repeat(5_000));
    let arrows = format!(
        "const f = {} 1;\napp.get('/arrows', h);\n",
        "a => ".repeat(20_000)
    );
    let members = format!("app.use('/m', {}x);\n", "a.".repeat(50_000));
    let t = table(&[
        ("a.js", &deep_calls),
        ("b.js", &deep_brackets),
        ("c.js", &templates),
        ("d.js", &arrows),
        ("e.js", &members),
    ]);
    assert!(has(&t, "GET", "/arrows"), "{:?}", paths(&t));
}

#[test]
fn many_nested_loops_and_scopes_stay_linear() {
    let n = 20_000;
    let src = format!(
        "{}app.get('/deep', h);{}\n",
        "for (const x of xs) { function f(a) { ".repeat(n),
        "} }".repeat(n)
    );
    let start = std::time::Instant::now();
    let t = table(&[("deep.js", &src)]);
    assert!(has(&t, "GET", "/deep"), "{:?}", paths(&t));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}
