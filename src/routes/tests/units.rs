//! Unit checks of the lexer, request matching and package specifiers.

use super::*;

// ---------------------------------------------------------------- lexer

#[test]
fn lexer_regex_templates_and_comments() {
    let src = r#"const re = /\/api\/(get|post)\(/g; const x = a / b / c;
const t = `outer ${ `inner ${ "}" } still` } done // not a comment`;
// router.get("/nope", h)
const s = '/* not a comment */';
router.get("/yes", h); /* router.get("/no", h) */ router.post('/also', h)
"#;
    let t = table(&[("r.js", src)]);
    assert_eq!(paths(&t), vec!["GET /yes", "POST /also"]);
    let lx = super::super::lex::lex(src.as_bytes());
    let regexes = lx
        .toks
        .iter()
        .filter(|t| t.kind == super::super::lex::K::Regex)
        .count();
    assert_eq!(regexes, 1);
}

#[test]
fn serves_normalisation() {
    let t = table(&[(
        "app.js",
        r#"const app = require("express")();
app.get("/files/*", h);
app.get("/users/:id?", h);
app.all("/webhooks/:provider", h);
app.get("*", spa);
"#,
    )]);
    assert!(is_yes(&t.serves(Some("GET"), "/files/a/b/c.txt")));
    assert!(is_yes(&t.serves(Some("GET"), "/users")));
    assert!(is_yes(&t.serves(Some("GET"), "/users/9/")));
    assert!(is_yes(&t.serves(Some("POST"), "/webhooks/github#x")));
    assert!(is_yes(&t.serves(
        Some("POST"),
        "https://${{ vars.HOST }}/webhooks/$PROVIDER"
    )));
    assert_eq!(
        t.serves(Some("GET"), "/nothing/here"),
        Serves::No,
        "root catch-all does not count"
    );
    assert_eq!(t.serves(Some("POST"), "/users/1"), Serves::No);
    assert_eq!(kind_of("/orders/:id/status"), RouteKind::Plain);
    assert_eq!(kind_of("/api/v1/health/db"), RouteKind::Health);
    assert_eq!(kind_of("/internal/livez"), RouteKind::Liveness);
}

#[test]
fn package_specifiers() {
    use super::super::resolve::framework_of_spec as f;
    assert_eq!(f("express"), Some(Framework::Express));
    assert_eq!(f("@koa/router"), Some(Framework::Koa));
    assert_eq!(f("koa-router"), Some(Framework::Koa));
    assert_eq!(f("npm:hono@4.6.1"), Some(Framework::Hono));
    assert_eq!(f("jsr:@hono/hono"), Some(Framework::Hono));
    assert_eq!(f("hono/logger"), Some(Framework::Hono));
    assert_eq!(
        f("https://deno.land/x/hono@v3.12.0/mod.ts"),
        Some(Framework::Hono)
    );
    assert_eq!(f("@fastify/autoload"), Some(Framework::Fastify));
    assert_eq!(f("@nestjs/common"), Some(Framework::NestJs));
    assert_eq!(f("next/server"), Some(Framework::NextJs));
    assert_eq!(f("express-rate-limit"), None);
    assert_eq!(f("./express"), None);
}

#[test]
fn index_answers_like_a_scan_of_every_route() {
    let t = table(&[(
        "app.js",
        r#"const app = require("express")();
app.get("/api/*/export", h);
app.get("/Health", h);
app.get("/v1/items/:id", h);
app.get("/docs/:page?", h);
app.get("/assets/*.js", h);
app.get("/", h);
"#,
    )]);
    let index = t.index();
    for (method, path, yes) in [
        (Some("GET"), "/api/a/b/c", true),
        (Some("GET"), "/health", true),
        (Some("GET"), "${BASE_URL}/HEALTH", true),
        (Some("GET"), "/v1/items/7", true),
        (Some("GET"), "/docs", true),
        (Some("GET"), "/assets/app.js", true),
        (Some("GET"), "/", true),
        (Some("GET"), "/v1/items/${ID}", true),
        (Some("GET"), "/v1/other", false),
        (Some("POST"), "/health", false),
    ] {
        let answer = index.serves(method, path);
        assert_eq!(is_yes(&answer), yes, "{path}");
        // The index picks the same route a full scan would.
        let full = t
            .routes
            .iter()
            .filter(|r| {
                let one = RouteTable {
                    routes: vec![(*r).clone()],
                    ..Default::default()
                };
                is_yes(&one.serves(method, path))
            })
            .count();
        assert_eq!(full > 0, yes, "{path}");
    }
}
