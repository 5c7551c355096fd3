//! Secrets are found and never appear unmasked in any output.

use crate::support::{Tree, active, fake};

fn secret_tree() -> (Tree, Vec<String>) {
    let secrets = vec![
        fake::github(),
        fake::stripe_live(),
        fake::aws(),
        fake::openai(),
        fake::slack(),
    ];
    let t = Tree::new(&[
        (
            "src/github.ts",
            &format!("const token = \"{}\";\n", secrets[0]),
        ),
        // two secrets and a localhost URL on one line: every snippet must mask both
        (
            "src/pay.js",
            &format!(
                "const s = '{}', a = '{}', u = 'http://localhost:1';\n",
                secrets[1], secrets[2]
            ),
        ),
        (
            "config/openai.env",
            &format!("OPENAI_API_KEY={}\n", secrets[3]),
        ),
        ("deploy/slack.yaml", &format!("token: {}\n", secrets[4])),
    ]);
    (t, secrets)
}

#[test]
fn secrets_are_found_and_masked_in_text_and_json() {
    let (t, secrets) = secret_tree();
    let out_json = t.path().join("out/report.json");
    let r = t.run(&["scan", "--output", &format!("json={}", out_json.display())]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json_file = std::fs::read_to_string(&out_json).unwrap();
    let rj = t.run(&["scan", "--format", "json", "-v"]);
    let rv = t.run(&["scan", "-v"]);
    for s in &secrets {
        for (name, out) in [
            ("text", &r.stdout),
            ("text -v", &rv.stdout),
            ("json", &rj.stdout),
            ("json file", &json_file),
            ("stderr", &r.stderr),
        ] {
            assert!(
                !out.contains(s.as_str()),
                "{name} output leaks {}…",
                &s[..6]
            );
            // not even the tail of the secret
            assert!(
                !out.contains(&s[s.len() - 10..]),
                "{name} output leaks the tail of {}…",
                &s[..6]
            );
        }
    }
    let report = rj.json();
    let got = active(&report);
    for want in [
        "secrets/github-token@src/github.ts:1:16",
        "secrets/stripe-live-secret-key@src/pay.js:1:12",
        "secrets/aws-access-key-id@src/pay.js:1",
        "secrets/openai-api-key@config/openai.env:1:16",
        "secrets/slack-token@deploy/slack.yaml:1:8",
        "localhost/hardcoded-url@src/pay.js:1",
    ] {
        assert!(
            got.iter().any(|g| g.starts_with(want)),
            "missing {want} in {got:#?}"
        );
    }
    assert!(r.stdout.contains("ghp_****"), "{}", r.stdout);
}
