//! Command-line flag helpers shared by the command readers.

use super::super::shell::Word;

/// Skip leading flags (and the values of `value_flags`) and a `--`.
pub(super) fn skip_flags<'a>(mut w: &'a [Word], value_flags: &[&str]) -> &'a [Word] {
    while let Some(f) = w.first() {
        if f.text == "--" {
            return w.get(1..).unwrap_or(&[]);
        }
        if !f.text.starts_with('-') || f.text == "-" {
            break;
        }
        let takes = value_flags.contains(&f.text.as_str());
        w = w.get(if takes { 2 } else { 1 }..).unwrap_or(&[]);
    }
    w
}

/// Skip leading `NAME=value` words.
pub(super) fn skip_assignments(mut w: &[Word]) -> &[Word] {
    while w
        .first()
        .is_some_and(|f| f.text.contains('=') && !f.text.starts_with('-'))
    {
        w = w.get(1..).unwrap_or(&[]);
    }
    w
}

/// Skip the options and assignments of `env`.
pub(super) fn skip_env(w: &[Word]) -> &[Word] {
    skip_assignments(skip_flags(w, &["-u", "-C", "-S", "--unset", "--chdir"]))
}

/// Skip one positional argument.
pub(super) fn skip_positional(w: &[Word]) -> &[Word] {
    w.get(1..).unwrap_or(&[])
}

/// Flag name and inline value of `--name=value` / `-x`.
pub(super) fn split_flag(t: &str) -> (&str, Option<&str>) {
    match t.split_once('=') {
        Some((n, v)) if t.starts_with("--") => (n, Some(v)),
        _ => (t, None),
    }
}
