//! The one suppression pass, run by the gate after every stage finished:
//! inline `shipgate:allow` comments, config ignores (`[[ignore]]`,
//! `[[scan.ignore]]`) and `--baseline` apply to the findings of every stage.

mod baseline;
mod ignore;
mod inline;

pub use baseline::Baseline;
pub use ignore::{Ignore, parse_ignores};
pub use inline::{Allow, parse_allow};

use crate::date::Date;
use crate::diag::LineIndex;
use crate::model::{
    Finding, Location, RuleMeta, Severity, Snippet, StageOutcome, Suppression, SuppressionKind,
};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// An ignore that matched nothing.
pub const UNUSED_IGNORE: RuleMeta = RuleMeta {
    id: "shipgate/unused-ignore",
    title: "Ignore that matched nothing",
    severity: Severity::Note,
    help: "Remove it: the finding it covered is gone, or the entry no longer matches (path or fingerprint changed).",
    security: false,
};
/// An ignore past its `expires` date.
pub const EXPIRED_IGNORE: RuleMeta = RuleMeta {
    id: "shipgate/expired-ignore",
    title: "Expired ignore",
    severity: Severity::Warning,
    help: "Fix the findings it covered, or extend `expires` with a new reason.",
    security: false,
};
/// A `shipgate:allow` comment without a reason.
pub const ALLOW_WITHOUT_REASON: RuleMeta = RuleMeta {
    id: "shipgate/allow-without-reason",
    title: "Inline allow without a reason",
    severity: Severity::Warning,
    help: "Write `shipgate:allow <rule-id> -- <why this is acceptable>`.",
    security: false,
};

/// The rules this pass emits.
pub const RULES: &[RuleMeta] = &[UNUSED_IGNORE, EXPIRED_IGNORE, ALLOW_WITHOUT_REASON];

/// The text of files findings point at, for inline allows.
pub trait Sources: Sync {
    /// The content of repo-relative `path`, if it can be read.
    fn content(&self, path: &str) -> Option<Arc<Vec<u8>>>;
}

/// The one suppression pass of a run: [`Pass::stage`] as each stage
/// finishes, [`Pass::finish`] once all have.
pub struct Pass<'a> {
    /// Config ignores.
    pub ignores: &'a [Ignore],
    /// The baseline, if any.
    pub baseline: Option<&'a Baseline>,
    /// Today, for `expires`.
    pub today: Date,
    /// The config file as findings name it.
    pub config_file: &'a str,
    /// File contents for inline allows.
    pub sources: &'a dyn Sources,
    used: Mutex<Vec<bool>>,
}

impl<'a> Pass<'a> {
    /// A pass over these suppressions.
    pub fn new(
        ignores: &'a [Ignore],
        baseline: Option<&'a Baseline>,
        today: Date,
        config_file: &'a str,
        sources: &'a dyn Sources,
    ) -> Self {
        Pass {
            ignores,
            baseline,
            today,
            config_file,
            sources,
            used: Mutex::new(vec![false; ignores.len()]),
        }
    }

    /// Suppresses what inline allows, config ignores and the baseline cover in
    /// one stage's findings; a reasonless allow becomes a warning in the stage.
    pub fn stage(&self, stage: &mut StageOutcome) {
        // Grouped by file for the line cache (the report's order is set later).
        stage
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut lines = LineCache::default();
        let mut reasonless: BTreeSet<(String, usize)> = BTreeSet::new();
        for f in stage.findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            match inline(self.sources, &mut lines, f) {
                Some((_, Some(reason))) => {
                    f.suppressed = Some(Suppression {
                        kind: SuppressionKind::Inline,
                        reason,
                    });
                }
                Some((line, None)) => {
                    if let Some(p) = f.location.path() {
                        reasonless.insert((p.to_string(), line));
                    }
                }
                None => {}
            }
        }
        for (path, line) in reasonless {
            let f = reasonless_finding(self.sources, &mut lines, &path, line);
            stage.findings.push(f);
        }
        let globs: Vec<_> = self.ignores.iter().map(Ignore::matcher).collect();
        let mut used = vec![false; self.ignores.len()];
        for f in stage.findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            for (i, e) in self.ignores.iter().enumerate() {
                if !e.matches(globs[i].as_ref(), f) {
                    continue;
                }
                used[i] = true;
                if e.expired(self.today) {
                    continue;
                }
                f.suppressed = Some(Suppression {
                    kind: SuppressionKind::Config,
                    reason: e.reason.clone(),
                });
                break;
            }
        }
        if let Ok(mut u) = self.used.lock() {
            for (a, b) in u.iter_mut().zip(used) {
                *a |= b;
            }
        }
        if let Some(b) = self.baseline {
            for f in stage.findings.iter_mut().filter(|f| f.suppressed.is_none()) {
                if b.fingerprints.contains(&f.fingerprint.0) {
                    f.suppressed = Some(Suppression {
                        kind: SuppressionKind::Baseline,
                        reason: format!("present in baseline {}", b.name),
                    });
                }
            }
        }
    }

    /// After every stage: expired ignores (warnings) and ignores that matched
    /// nothing (notes, only where `judge_unused` says every stage the ignore
    /// could apply to ran over everything), added to the stage they concern.
    pub fn finish(&self, stages: &mut [StageOutcome], judge_unused: &dyn Fn(&Ignore) -> bool) {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        for (i, e) in self.ignores.iter().enumerate() {
            let loc = Location::span(self.config_file, (e.line, 1), (e.line, 1));
            let what = e.describe();
            let note = if let Some(d) = e.expires.filter(|_| e.expired(self.today)) {
                Finding::of(
                    &EXPIRED_IGNORE,
                    format!(
                        "The ignore for {what} expired on {d} and no longer suppresses anything"
                    ),
                    loc,
                    &format!("expired:{what}"),
                )
            } else if !used.get(i).copied().unwrap_or(true) && judge_unused(e) {
                Finding::of(
                    &UNUSED_IGNORE,
                    format!("The ignore for {what} matched no finding"),
                    loc,
                    &format!("unused:{what}"),
                )
            } else {
                continue;
            };
            let target = e
                .rule
                .as_deref()
                .and_then(|r| stages.iter().position(|s| owns(s, r)))
                .unwrap_or(0);
            if let Some(stage) = stages.get_mut(target) {
                stage.findings.push(note);
            }
        }
    }
}

/// Whether stage `s` is the one that emits rule `rule` (by what it found or ran).
fn owns(s: &StageOutcome, rule: &str) -> bool {
    let pack = rule.split('/').next().unwrap_or(rule);
    s.name == pack
        || s.findings
            .iter()
            .any(|f| f.rule.split('/').next() == Some(pack))
        || s.rule_checks
            .as_ref()
            .is_some_and(|r| r.iter().any(|id| id.split('/').next() == Some(pack)))
}

/// A file's text and its line index.
type Indexed = (Arc<Vec<u8>>, LineIndex);

/// The lines of one file at a time: the pass visits findings grouped by
/// file, so only the current file's text is held (a repository with findings
/// in many large files is not loaded all at once).
#[derive(Default)]
struct LineCache {
    current: Option<(String, Option<Indexed>)>,
}

impl LineCache {
    fn line<'a>(&'a mut self, sources: &dyn Sources, path: &str, line: usize) -> Option<&'a [u8]> {
        if self.current.as_ref().is_none_or(|(p, _)| p != path) {
            let loaded = sources.content(path).map(|c| {
                let idx = LineIndex::new(&c);
                (c, idx)
            });
            self.current = Some((path.to_string(), loaded));
        }
        let (_, entry) = self.current.as_ref()?;
        let (text, idx) = entry.as_ref()?;
        if line == 0 || line > idx.len() {
            return None;
        }
        let (s, e) = idx.line_range(text, line);
        text.get(s..e)
    }
}

/// An allow comment naming the finding's rule on its line or the line before:
/// (the comment's line, its reason).
fn inline(
    sources: &dyn Sources,
    lines: &mut LineCache,
    f: &Finding,
) -> Option<(usize, Option<String>)> {
    let path = f.location.path()?;
    let line = f.location.line()?;
    for l in [line, line.saturating_sub(1)] {
        if l == 0 {
            continue;
        }
        let Some(bytes) = lines.line(sources, path, l) else {
            continue;
        };
        if memchr::memmem::find(bytes, b"shipgate:allow").is_none() {
            continue;
        }
        if let Some(allow) = parse_allow(&String::from_utf8_lossy(bytes))
            && allow.names(&f.rule)
        {
            return Some((l, allow.reason));
        }
    }
    None
}

fn reasonless_finding(
    sources: &dyn Sources,
    lines: &mut LineCache,
    path: &str,
    line: usize,
) -> Finding {
    let text = lines
        .line(sources, path, line)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let at = text.find("shipgate:allow").unwrap_or(0);
    let col = text.get(..at).map_or(0, |s| s.chars().count()) + 1;
    let len = "shipgate:allow".len();
    let mut f = Finding::of(
        &ALLOW_WITHOUT_REASON,
        "`shipgate:allow` needs a reason after `--`; the finding it names is still reported".into(),
        Location::span(path, (line, col), (line, col + len)),
        text.trim(),
    );
    let shown: String = text.replace('\t', " ").chars().take(200).collect();
    f.snippet = Some(Snippet {
        text: shown,
        highlight_start: col,
        highlight_end: col + len,
    });
    f
}
