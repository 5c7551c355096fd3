//! Which `||` fallbacks always succeed, what the failure of each pipeline of an and-or list
//! leads to, and which items read `$?`: the facts the walk turns into [`Guard`]s.

use super::MAX_DEPTH;
use super::ast::{Elem, Item, ListAst, Pipeline};
use super::{Guard, Op, Word};

/// What a fallback command (the right side of `||`) does.
enum Fallback {
    Always0(Guard),
    Fails { exits: bool },
    Unknown(String),
}

fn words_text(words: &[Word]) -> String {
    let v: Vec<&str> = words.iter().map(|w| w.raw.as_str()).collect();
    let s = v.join(" ");
    if s.chars().count() > 60 {
        let mut t: String = s.chars().take(57).collect();
        t.push('…');
        t
    } else {
        s
    }
}

fn classify(p: &Pipeline, depth: usize) -> Fallback {
    let unknown = || Fallback::Unknown(String::from("…"));
    if p.negated || depth > MAX_DEPTH {
        return unknown();
    }
    match p.elems.last() {
        Some(Elem::Simple { env, words }) => {
            let Some(first) = words.first() else {
                return if env.is_empty() {
                    unknown()
                } else {
                    Fallback::Always0(Guard::OrTrue)
                };
            };
            match first.text.as_str() {
                "true" | ":" => Fallback::Always0(Guard::OrTrue),
                "echo" | "printf" => Fallback::Always0(Guard::OrEcho),
                "false" => Fallback::Fails { exits: false },
                "exit" | "return" => match words.get(1).map(|w| w.text.as_str()) {
                    None => Fallback::Fails { exits: true },
                    Some("0") => Fallback::Always0(Guard::OrExitZero),
                    Some(n) if n.contains("$?") || n.parse::<i64>().is_ok_and(|n| n != 0) => {
                        Fallback::Fails { exits: true }
                    }
                    Some(_) => Fallback::Unknown(words_text(words)),
                },
                _ => Fallback::Unknown(words_text(words)),
            }
        }
        Some(Elem::Group { subshell, body }) => {
            // An `exit N` anywhere at the group's top level fails it (no recursion here, so
            // nested groups cost one recursive call each).
            let exits = body
                .items
                .iter()
                .flat_map(|i| i.pipes.iter())
                .any(|p| p.elems.len() == 1 && is_exit_nonzero(p));
            if exits {
                return Fallback::Fails { exits: !subshell };
            }
            match body.items.last().and_then(|i| i.pipes.last()) {
                Some(last) => match classify(last, depth + 1) {
                    Fallback::Always0(g) => Fallback::Always0(g),
                    Fallback::Fails { .. } => Fallback::Fails { exits: false },
                    u @ Fallback::Unknown(_) => u,
                },
                None => unknown(),
            }
        }
        _ => unknown(),
    }
}

/// `exit` / `exit N` (N ≠ 0) / `exit $?` as a plain command.
fn is_exit_nonzero(p: &Pipeline) -> bool {
    let Some(Elem::Simple { words, .. }) = p.elems.first() else {
        return false;
    };
    if !words
        .first()
        .is_some_and(|w| w.text == "exit" || w.text == "return")
    {
        return false;
    }
    match words.get(1).map(|w| w.text.as_str()) {
        None => true,
        Some(n) => n.contains("$?") || n.parse::<i64>().is_ok_and(|n| n != 0),
    }
}

pub(super) fn item_reads_status(item: &Item, depth: usize) -> bool {
    item.pipes
        .iter()
        .flat_map(|p| p.elems.iter())
        .any(|e| elem_reads_status(e, depth))
}

fn elem_reads_status(e: &Elem, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let list = |l: &ListAst| l.items.iter().any(|i| item_reads_status(i, depth + 1));
    match e {
        Elem::Simple { env, words } => env.iter().chain(words).any(|w| {
            w.raw.contains("$?") || w.raw.contains("${?}") || w.raw.contains("PIPESTATUS")
        }),
        Elem::Group { body, .. } => list(body),
        Elem::Function { body } => elem_reads_status(body, depth + 1),
        Elem::If { conds, bodies } => conds.iter().chain(bodies).any(list),
        Elem::Loop { cond, body } => list(cond) || list(body),
        Elem::Case { arms } => arms.iter().any(list),
    }
}

pub(super) fn always_succeeds(item: &Item) -> bool {
    item.pipes.len() == 1
        && item
            .pipes
            .first()
            .is_some_and(|p| p.elems.len() == 1 && matches!(classify(p, 0), Fallback::Always0(_)))
}

/// Outcome of an and-or list when one of its pipelines fails (everything else succeeding).
#[derive(Debug, Clone)]
pub(super) enum AndOr {
    /// A later `|| true`/`|| echo`/`|| exit 0` turns the failure into success.
    Masked(Guard),
    /// A later `|| cmd` may or may not succeed.
    Unknown(String),
    /// A later `|| exit N` exits the (sub)shell.
    Exit,
    /// The list ends failing; `final_fail` when the failing pipeline is the last one
    /// (only then does errexit fire).
    FailEnd { final_fail: bool },
}

/// For every pipeline of `item`, what its failure leads to. Computed right to left in one
/// pass: `fail[j]` = status failing after pipeline j ran, `ok[j]` = succeeding (None = stays
/// successful, so the caller's guard applies).
pub(super) fn and_or_outcomes(item: &Item) -> Vec<AndOr> {
    let n = item.pipes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut fail = vec![AndOr::FailEnd { final_fail: true }; n];
    let mut skipped_fail = AndOr::FailEnd { final_fail: false };
    let mut ok: Vec<Option<AndOr>> = vec![None; n];
    for j in (0..n - 1).rev() {
        let (Some(op), Some(next)) = (item.ops.get(j), item.pipes.get(j + 1)) else {
            continue;
        };
        let next_fail = fail
            .get(j + 1)
            .cloned()
            .unwrap_or(AndOr::FailEnd { final_fail: true });
        let next_ok = ok.get(j + 1).cloned().flatten();
        let cls = classify(next, 0);
        let on_fail = match (op, &cls) {
            (Op::Or, Fallback::Always0(g)) => next_ok.clone().unwrap_or(AndOr::Masked(g.clone())),
            (Op::Or, Fallback::Fails { exits: true }) => AndOr::Exit,
            (Op::Or, Fallback::Fails { exits: false }) => next_fail.clone(),
            (Op::Or, Fallback::Unknown(t)) => AndOr::Unknown(match next.elems.last() {
                Some(Elem::Simple { words, .. }) => words_text(words),
                _ => t.clone(),
            }),
            _ => skipped_fail.clone(),
        };
        let on_ok = match (op, &cls) {
            (Op::And, Fallback::Fails { exits: true }) => Some(AndOr::Exit),
            (Op::And, Fallback::Fails { exits: false }) => Some(next_fail),
            (Op::And, Fallback::Always0(_)) | (Op::Or, _) => next_ok,
            // An unknown command after `&&` fails on its own account only.
            (Op::And, Fallback::Unknown(_)) => None,
            _ => None,
        };
        if let (Some(f), Some(o)) = (fail.get_mut(j), ok.get_mut(j)) {
            *f = on_fail.clone();
            *o = on_ok;
        }
        skipped_fail = on_fail;
    }
    fail
}
