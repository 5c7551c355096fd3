//! The parser core: token lookahead with one push-back, literal decoding, and dispatch on
//! the keywords that start module syntax. The statement forms live in the sibling modules.

use super::super::lexer::{Kind, Lexer, Tok};
use super::{Binding, Export, Import, ImportKind, Imported, LineCol, ModuleInfo};

/// Where a `require`/`import()` result goes: `x = …` or `{a, b: c} = …`.
pub(super) enum Target {
    Name(String),
    Pattern(Vec<(String, String)>),
}

pub(super) struct Parser<'s, 'o> {
    pub(super) src: &'s [u8],
    lx: Lexer<'s>,
    back: Option<(Tok, Tok)>,
    prev: Tok,
    pub(super) last: Tok,
    lc: LineCol<'s>,
    out: &'o mut ModuleInfo,
    /// Nesting of `module.exports = {…}` parsing (bounded: it can recurse through `dispatch`).
    pub(super) nest: u32,
}

fn is_punct(src: &[u8], t: Tok, c: u8) -> bool {
    t.kind == Kind::Punct && src.get(t.lo()) == Some(&c)
}

impl<'s, 'o> Parser<'s, 'o> {
    pub(super) fn new(src: &'s [u8], start: usize, end: usize, out: &'o mut ModuleInfo) -> Self {
        let none = Tok {
            kind: Kind::Punct,
            start: 0,
            end: 0,
            nl_before: true,
        };
        Parser {
            src,
            lx: Lexer::new(src, start, end),
            back: None,
            prev: none,
            last: none,
            lc: LineCol {
                src,
                pos: 0,
                line: 1,
                col: 1,
            },
            out,
            nest: 0,
        }
    }

    pub(super) fn next(&mut self) -> Tok {
        if let Some((t, p)) = self.back.take() {
            self.prev = p;
            self.last = t;
            return t;
        }
        self.prev = self.last;
        self.last = self.lx.next_tok();
        self.last
    }

    pub(super) fn push_back(&mut self, t: Tok) {
        self.back = Some((t, self.prev));
    }

    pub(super) fn text(&self, t: Tok) -> &'s [u8] {
        self.src.get(t.lo()..t.hi()).unwrap_or(&[])
    }

    pub(super) fn word(&self, t: Tok, w: &str) -> bool {
        t.kind == Kind::Ident && self.text(t) == w.as_bytes()
    }

    pub(super) fn punct(&self, t: Tok, c: u8) -> bool {
        is_punct(self.src, t, c)
    }

    /// `=` that is an assignment (not `==`/`===`/`=>`).
    pub(super) fn assign(&self, t: Tok) -> bool {
        self.punct(t, b'=') && !matches!(self.src.get(t.hi()), Some(b'=' | b'>'))
    }

    pub(super) fn ident(&self, t: Tok) -> Option<String> {
        (t.kind == Kind::Ident).then(|| String::from_utf8_lossy(self.text(t)).into_owned())
    }

    /// Contents of a string literal or substitution-free template.
    pub(super) fn literal(&self, t: Tok) -> Option<String> {
        match t.kind {
            Kind::Str | Kind::TplFull => {
                let body = self.text(t);
                let q = *body.first()?;
                let inner = body.get(1..)?;
                let inner = inner.strip_suffix(&[q]).unwrap_or(inner);
                Some(unescape(inner))
            }
            _ => None,
        }
    }

    /// The literal prefix of a template head (`` `./pages/${ `` → `./pages/`).
    pub(super) fn template_head(&self, t: Tok) -> Option<String> {
        (t.kind == Kind::TplHead).then(|| {
            let b = self.text(t);
            unescape(b.get(1..b.len().saturating_sub(2)).unwrap_or(&[]))
        })
    }

    /// Name usable as an import/export name: identifier or string literal.
    pub(super) fn name(&self, t: Tok) -> Option<String> {
        self.ident(t)
            .or_else(|| self.literal(t).filter(|_| t.kind == Kind::Str))
    }

    pub(super) fn record_import(
        &mut self,
        at: Tok,
        spec: String,
        kind: ImportKind,
        type_only: bool,
        bindings: Vec<Binding>,
    ) {
        let (line, column) = self.lc.at(at.lo());
        self.out.imports.push(Import {
            specifier: spec,
            kind,
            type_only,
            bindings,
            line,
            column,
        });
    }

    pub(super) fn record_export(&mut self, at: Tok, name: String, local: Option<String>) {
        let (line, column) = self.lc.at(at.lo());
        self.out.exports.push(Export {
            name,
            local,
            line,
            column,
        });
    }

    pub(super) fn run(&mut self) {
        loop {
            let t = self.next();
            match t.kind {
                Kind::Eof => return,
                Kind::Ident if may_dispatch(self.src, t) => self.dispatch(t),
                _ => {}
            }
        }
    }

    pub(super) fn dispatch(&mut self, t: Tok) {
        let after_dot = self.punct(self.prev, b'.');
        match self.text(t) {
            b"import" if !after_dot => self.import(None),
            b"export" if !after_dot => self.export(),
            b"require" if !after_dot => self.require(None),
            b"module" if !after_dot => self.module_exports(t),
            b"exports" if !after_dot => self.exports_member(),
            b"const" | b"let" | b"var" if !after_dot => self.declaration(),
            b"URL" if self.word(self.prev, "new") => self.new_url(),
            b"readdirSync" | b"readdir" => self.readdir(),
            b"__dirname" => self.dirname_glob(t),
            _ => {}
        }
    }
}

/// Cheap pre-check for [`Parser::dispatch`]: length and first byte of the words it handles.
#[inline]
fn may_dispatch(src: &[u8], t: Tok) -> bool {
    matches!(
        (t.end.saturating_sub(t.start), src.get(t.lo())),
        (6, Some(b'i' | b'e' | b'r' | b'm'))
            | (7, Some(b'e' | b'r'))
            | (9, Some(b'_'))
            | (11, Some(b'r'))
            | (5, Some(b'c'))
            | (3, Some(b'l' | b'v' | b'U'))
    )
}

pub(super) fn named(name: String) -> Imported {
    if name == "default" {
        Imported::Default
    } else {
        Imported::Named(name)
    }
}

pub(super) fn target_bindings(target: Option<Target>, member: Option<String>) -> Vec<Binding> {
    match target {
        None => Vec::new(),
        Some(Target::Name(local)) => {
            let imported = match member {
                None => Imported::Namespace,
                Some(m) => named(m),
            };
            vec![Binding { imported, local }]
        }
        Some(Target::Pattern(p)) => p
            .into_iter()
            .map(|(k, l)| Binding {
                imported: named(k),
                local: l,
            })
            .collect(),
    }
}

fn unescape(b: &[u8]) -> String {
    if !b.contains(&b'\\') {
        return String::from_utf8_lossy(b).into_owned();
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            if let Some(&d) = b.get(i + 1) {
                out.push(d);
            }
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
