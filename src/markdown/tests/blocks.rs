//! Block and inline parsing: fences, indented code, code spans, links, columns, tables.

use super::*;

#[test]
fn fenced_code_blocks_info_indent_and_unclosed() {
    let md = "Intro [a](a.md)\n\
              ```bash title=\"x\"\n\
              npm ci\n\
              [not](a-link.md)\n\
              ```\n\
              ~~~~ {.sh}\n\
              ```\n\
              still code\n\
              ~~~~~\n\
              1. Step\n   ```console\n   $ make build\n   ```\n\
              > ```js\n> const a = 1\n> ```\n\
              ````\nunclosed [x](y.md)\n";
    let doc = parse(md);
    let langs: Vec<Option<&str>> = doc.code_blocks.iter().map(|b| b.lang.as_deref()).collect();
    assert_eq!(
        langs,
        [Some("bash"), Some("sh"), Some("console"), Some("js"), None]
    );
    assert_eq!(doc.code_blocks[0].info, "bash title=\"x\"");
    assert_eq!(doc.code_blocks[0].lines[1].text, "[not](a-link.md)");
    assert_eq!(
        doc.code_blocks[1]
            .lines
            .iter()
            .map(|l| l.text)
            .collect::<Vec<_>>(),
        ["```", "still code"]
    );
    let c = &doc.code_blocks[2].lines[0];
    assert_eq!((c.line, c.column, c.text), (12, 4, "$ make build"));
    let q = &doc.code_blocks[3].lines[0];
    assert_eq!((q.line, q.column, q.text), (15, 3, "const a = 1"));
    assert!(!doc.code_blocks[4].closed);
    assert!(doc.code_blocks[..4].iter().all(|b| b.closed));
    let dests: Vec<&str> = doc.links.iter().map(|l| l.dest.as_ref()).collect();
    assert_eq!(dests, ["a.md"], "links inside code are not links");
}

#[test]
fn indented_code_versus_list_continuation() {
    let md = "Para\n    not code (lazy continuation)\n\n    real indented code [x](x.md)\n\n- item\n\n    continuation paragraph [y](y.md)\n\n1. Verify health:\n    - `GET /api/health`\n";
    let doc = parse(md);
    let idx: Vec<_> = doc
        .code_blocks
        .iter()
        .map(|b| (b.fenced, b.line, b.lines[0].text))
        .collect();
    assert_eq!(idx, [(false, 4, "real indented code [x](x.md)")]);
    let dests: Vec<&str> = doc.links.iter().map(|l| l.dest.as_ref()).collect();
    assert_eq!(dests, ["y.md"]);
    assert_eq!(doc.code_spans[0].text, "GET /api/health");
    assert_eq!((doc.code_spans[0].line, doc.code_spans[0].column), (11, 8));
    assert!(doc.lines[10].list_item && doc.lines[10].in_list);
    assert!(!doc.lines[0].in_list);
}

#[test]
fn code_spans_follow_backtick_run_rules() {
    let md =
        "Use ``a ` b`` and ` `` ` then `unclosed and ``x`` and `multi\nline` end\n\t`tab` é `ü`\n";
    let doc = parse(md);
    let spans: Vec<(&str, usize, usize)> = doc
        .code_spans
        .iter()
        .map(|s| (s.text.as_ref(), s.line, s.column))
        .collect();
    assert_eq!(
        spans,
        [
            ("a ` b", 1, 7),
            ("``", 1, 21),
            // The single backtick pairs with the next single run (``x`` is a different length).
            ("unclosed and ``x`` and ", 1, 32),
            // Spans may cross lines; the newline becomes a space, padding is stripped.
            ("end", 2, 7),
            ("é", 3, 8),
        ]
    );
}

#[test]
fn links_of_every_shape_with_positions() {
    let md = "See [guide](docs/guide.md \"Guide\") and ![img](<assets/my logo.png>) and [p](a_(b).md).\n\
              Auto <https://example.com/x> and <ops@example.com>.\n\
              Ref [full][Guide Ref], [Collapsed][], [shortcut] and [missing][nope] and \\[escaped](no.md).\n\
              <a href=\"docs/html.md\">h</a> <img src='img/x.svg'> <!-- [hidden](hidden.md) -->\n\
              [![badge](badge.svg)](README.md)\n\
              \n\
              [guide ref]: docs/ref.md 'title'\n\
              [collapsed]: <docs/collapsed file.md>\n\
              [SHORTCUT]:\n   docs/short.md\n\
              \n\
              <div align=\"center\">\n  <a href=\"docs/block.md\"><img src=\"logo.svg\" /></a>\n  [not md](inside-html.md)\n</div>\n";
    let doc = parse(md);
    let got: Vec<(&str, LinkKind, bool, usize, usize)> = doc
        .links
        .iter()
        .map(|l| (l.dest.as_ref(), l.kind, l.image, l.line, l.column))
        .collect();
    assert_eq!(
        got,
        [
            ("docs/guide.md", LinkKind::Inline, false, 1, 13),
            ("assets/my logo.png", LinkKind::Inline, true, 1, 48),
            ("a_(b).md", LinkKind::Inline, false, 1, 77),
            ("https://example.com/x", LinkKind::Autolink, false, 2, 7),
            ("mailto:ops@example.com", LinkKind::Autolink, false, 2, 35),
            ("docs/ref.md", LinkKind::Reference, false, 7, 14),
            ("docs/collapsed file.md", LinkKind::Reference, false, 8, 15),
            ("docs/short.md", LinkKind::Reference, false, 10, 4),
            ("docs/html.md", LinkKind::Html, false, 4, 10),
            ("img/x.svg", LinkKind::Html, true, 4, 40),
            ("badge.svg", LinkKind::Inline, true, 5, 11),
            ("README.md", LinkKind::Inline, false, 5, 23),
            ("docs/block.md", LinkKind::Html, false, 13, 12),
            ("logo.svg", LinkKind::Html, true, 13, 37),
        ]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let doc = parse("Ünïcödé → [x](a.md)\n\t[t](b.md)\n");
    let pos: Vec<(usize, usize)> = doc.links.iter().map(|l| (l.line, l.column)).collect();
    assert_eq!(pos, [(1, 15), (2, 6)]);
}

#[test]
fn tables_are_classified() {
    let doc = parse("| Var | Note |\n|-----|:----:|\n| `PORT` | [x](x.md) |\n\nplain | text\n");
    let kinds: Vec<LineKind> = doc.lines.iter().map(|l| l.kind).collect();
    assert_eq!(kinds[..3], [LineKind::TableRow; 3]);
    assert_eq!(kinds[4], LineKind::Text);
    assert_eq!(doc.links[0].dest, "x.md");
}
