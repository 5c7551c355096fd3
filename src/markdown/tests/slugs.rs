//! Slugs: github-slugger fixtures, the heading pipeline, duplicates, markup, setext.

use super::*;

#[test]
fn slug_matches_github_slugger_fixtures() {
    let mut s = Slugger::new();
    let mut bad = Vec::new();
    for (name, input, _md, expected) in super::super::slug_fixtures::FIXTURES {
        let got = s.slug(input);
        if got != *expected {
            bad.push(format!("{name}: got {got:?} want {expected:?}"));
        }
    }
    assert_eq!(super::super::slug_fixtures::FIXTURES.len(), 78);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Escapes ASCII punctuation so the heading text reaches the slugger verbatim.
fn md_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[test]
fn heading_pipeline_matches_github_anchors() {
    // Same document github-slugger's fixture generator renders on GitHub.
    let md: Vec<String> = super::super::slug_fixtures::FIXTURES
        .iter()
        .map(|(_, input, over, _)| {
            over.map_or_else(|| format!("# {}", md_escape(input)), str::to_string)
        })
        .collect();
    let text = md.join("\n\n");
    let doc = parse(&text);
    let want: Vec<&str> = super::super::slug_fixtures::FIXTURES
        .iter()
        .map(|f| f.3)
        .collect();
    let got: Vec<&str> = doc.headings.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(got, want);
}

#[test]
fn duplicate_counter_interacts_with_literal_suffixes() {
    let doc = parse("# foo\n\n# foo\n\n## foo-1\n\n### foo\n\nfoo\n===\n\n# Foo!\n");
    let slugs: Vec<&str> = doc.headings.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["foo", "foo-1", "foo-1-1", "foo-2", "foo-3", "foo-4"]
    );
    assert_eq!(slug("Foo Bar"), "foo-bar");
}

#[test]
fn heading_inline_markup_is_stripped_before_slugging() {
    let md = "## The `env` stage\n\
              ## See [the guide](docs/guide.md) now\n\
              ## **Bold** and *em* and _under_\n\
              ## DATABASE_URL and snake_case_name\n\
              ## __init__ method\n\
              ## ![logo](logo.png) Project\n\
              ## <a name=\"legacy-anchor\"></a>Install &amp; Run\n\
              ## Custom id {#my-id}\n\
              ## 3. Environment & Connectivity\n\
              ## 🚀 Deploy — fast!\n\
              ## Trailing hashes ##\n\
              ## Escaped \\_underscores\\_\n";
    let doc = parse(md);
    let slugs: Vec<&str> = doc.headings.iter().map(|h| h.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "the-env-stage",
            "see-the-guide-now",
            "bold-and-em-and-under",
            "database_url-and-snake_case_name",
            "init-method",
            "logo-project",
            "install--run",
            "custom-id-my-id",
            "3-environment--connectivity",
            "-deploy--fast",
            "trailing-hashes",
            "escaped-_underscores_",
        ]
    );
    assert!(doc.anchors.contains("legacy-anchor"));
    assert!(doc.anchors.contains("my-id"));
    assert_eq!(doc.headings[0].text, "The env stage");
}

#[test]
fn setext_headings_and_front_matter() {
    let md = "---\ntitle: \"# not a heading\"\nlinks: [x](missing.md)\n---\nMain Title\n==========\n\nSub *title*\n---\n\ntext\n\n---\n\n***\n";
    let doc = parse(md);
    let got: Vec<(u8, usize, &str)> = doc
        .headings
        .iter()
        .map(|h| (h.level, h.line, h.slug.as_str()))
        .collect();
    assert_eq!(got, [(1, 5, "main-title"), (2, 8, "sub-title")]);
    assert!(doc.links.is_empty(), "front matter is not Markdown");
    assert_eq!(doc.lines[0].kind, LineKind::FrontMatter);
    assert_eq!(doc.lines[12].kind, LineKind::ThematicBreak);
}
