//! Character references (`&amp;`, `&#x41;`, `&ouml;`) and backslash escapes.

use std::borrow::Cow;

/// Resolves backslash escapes and entities (link destinations, titles).
pub(super) fn unescape(s: &str) -> Cow<'_, str> {
    decode(s, true)
}

/// Decodes entities only (HTML attribute values).
pub(super) fn decode_entities(s: &str) -> Cow<'_, str> {
    decode(s, false)
}

/// Decodes entities, and backslash escapes too when `escapes`.
fn decode(s: &str, escapes: bool) -> Cow<'_, str> {
    if !(s.contains('&') || (escapes && s.contains('\\'))) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '\\' if escapes && it.peek().is_some_and(|(_, n)| n.is_ascii_punctuation()) => {
                if let Some((_, n)) = it.next() {
                    out.push(n);
                }
            }
            '&' => {
                let rest = &s[i + 1..];
                let semi = rest.bytes().take(40).position(|c| c == b';');
                match semi.and_then(|p| decode_entity(&rest[..p]).map(|d| (p, d))) {
                    Some((p, d)) => {
                        out.push_str(&d);
                        while it.peek().is_some_and(|(k, _)| *k <= i + 1 + p) {
                            it.next();
                        }
                    }
                    None => out.push('&'),
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Decodes an entity body (between `&` and `;`).
pub(super) fn decode_entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        return numeric_entity(num).map(|c| c.to_string());
    }
    named_entity(name)
        .or_else(|| latin1_entity(name))
        .map(|c| c.to_string())
}

/// Numeric reference body after `#` (`x41`, `65`); NUL and invalid scalars become U+FFFD.
fn numeric_entity(num: &str) -> Option<char> {
    let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
        if hex.is_empty() || hex.len() > 6 {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()?
    } else {
        if num.is_empty() || num.len() > 7 || !num.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        num.parse::<u32>().ok()?
    };
    let c = if v == 0 {
        '\u{fffd}'
    } else {
        char::from_u32(v).unwrap_or('\u{fffd}')
    };
    Some(c)
}

/// Common named entities (HTML5 names used in READMEs and runbooks).
fn named_entity(name: &str) -> Option<char> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "rArr" => '⇒',
        "lArr" => '⇐',
        "check" => '✓',
        "hearts" => '♥',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "shy" => '\u{ad}',
        "emsp" => '\u{2003}',
        "ensp" => '\u{2002}',
        "thinsp" => '\u{2009}',
        "num" => '#',
        "lpar" => '(',
        "rpar" => ')',
        "lsqb" => '[',
        "rsqb" => ']',
        "lbrace" => '{',
        "rbrace" => '}',
        "ast" => '*',
        "lowbar" => '_',
        "grave" => '`',
        "colon" => ':',
        "sol" => '/',
        "bsol" => '\\',
        "vert" => '|',
        "excl" => '!',
        "quest" => '?',
        "period" => '.',
        "comma" => ',',
        "semi" => ';',
        "plus" => '+',
        "equals" => '=',
        "dollar" => '$',
        "percnt" => '%',
        "commat" => '@',
        "Hat" => '^',
        "tilde" => '˜',
        _ => return None,
    };
    Some(c)
}

/// Named entities of Latin-1 letters (`&ouml;`, `&Eacute;`, `&szlig;`, …).
fn latin1_entity(name: &str) -> Option<char> {
    const TABLE: &[(&str, char)] = &[
        ("Agrave", 'À'),
        ("Aacute", 'Á'),
        ("Acirc", 'Â'),
        ("Atilde", 'Ã'),
        ("Auml", 'Ä'),
        ("Aring", 'Å'),
        ("AElig", 'Æ'),
        ("Ccedil", 'Ç'),
        ("Egrave", 'È'),
        ("Eacute", 'É'),
        ("Ecirc", 'Ê'),
        ("Euml", 'Ë'),
        ("Igrave", 'Ì'),
        ("Iacute", 'Í'),
        ("Icirc", 'Î'),
        ("Iuml", 'Ï'),
        ("ETH", 'Ð'),
        ("Ntilde", 'Ñ'),
        ("Ograve", 'Ò'),
        ("Oacute", 'Ó'),
        ("Ocirc", 'Ô'),
        ("Otilde", 'Õ'),
        ("Ouml", 'Ö'),
        ("Oslash", 'Ø'),
        ("Ugrave", 'Ù'),
        ("Uacute", 'Ú'),
        ("Ucirc", 'Û'),
        ("Uuml", 'Ü'),
        ("Yacute", 'Ý'),
        ("THORN", 'Þ'),
        ("szlig", 'ß'),
        ("agrave", 'à'),
        ("aacute", 'á'),
        ("acirc", 'â'),
        ("atilde", 'ã'),
        ("auml", 'ä'),
        ("aring", 'å'),
        ("aelig", 'æ'),
        ("ccedil", 'ç'),
        ("egrave", 'è'),
        ("eacute", 'é'),
        ("ecirc", 'ê'),
        ("euml", 'ë'),
        ("igrave", 'ì'),
        ("iacute", 'í'),
        ("icirc", 'î'),
        ("iuml", 'ï'),
        ("eth", 'ð'),
        ("ntilde", 'ñ'),
        ("ograve", 'ò'),
        ("oacute", 'ó'),
        ("ocirc", 'ô'),
        ("otilde", 'õ'),
        ("ouml", 'ö'),
        ("oslash", 'ø'),
        ("ugrave", 'ù'),
        ("uacute", 'ú'),
        ("ucirc", 'û'),
        ("uuml", 'ü'),
        ("yacute", 'ý'),
        ("thorn", 'þ'),
        ("yuml", 'ÿ'),
        ("iexcl", '¡'),
        ("iquest", '¿'),
        ("ordf", 'ª'),
        ("ordm", 'º'),
        ("micro", 'µ'),
        ("plusmn", '±'),
        ("sup1", '¹'),
        ("sup2", '²'),
        ("sup3", '³'),
        ("frac12", '½'),
        ("frac14", '¼'),
        ("frac34", '¾'),
        ("not", '¬'),
        ("macr", '¯'),
        ("acute", '´'),
        ("cedil", '¸'),
        ("uml", '¨'),
        ("curren", '¤'),
        ("brvbar", '¦'),
    ];
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}
