//! Stage progress on stderr: a line per finished stage on a terminal, a
//! collapsible group per stage in GitHub Actions logs, nothing otherwise.

use crate::model::StageOutcome;
use crate::secrets::Redactor;
use std::sync::Mutex;

/// Where progress goes (decided by the CLI from `-q`, Actions and the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// No progress output.
    #[default]
    Off,
    /// One line per stage on stderr.
    Lines,
    /// `::group::` per stage (GitHub Actions logs).
    Actions,
}

/// Prints a line (or group) per finished stage.
pub struct Progress {
    mode: ProgressMode,
    lock: Mutex<()>,
}

impl Progress {
    /// Progress in `mode`.
    pub fn new(mode: ProgressMode) -> Self {
        Progress {
            mode,
            lock: Mutex::new(()),
        }
    }

    /// Reports a finished stage (texts through the redactor).
    pub fn done(&self, stage: &StageOutcome, redactor: &Redactor) {
        if self.mode == ProgressMode::Off {
            return;
        }
        let _guard = self.lock.lock();
        let c = stage.counts;
        let line = format!(
            "{} {} in {:.2}s: {} error(s), {} warning(s), {} note(s)",
            stage.name,
            stage.status.label(),
            stage.duration_ms as f64 / 1000.0,
            c.error,
            c.warning,
            c.note
        );
        if self.mode == ProgressMode::Actions {
            eprintln!("::group::shipgate {line}");
            for (k, v) in &stage.stats {
                eprintln!("{k}: {v}");
            }
            for ch in &stage.checks {
                let line = format!(
                    "{} {}{}",
                    ch.status,
                    ch.name,
                    ch.message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                );
                eprintln!("{}", redactor.redact(&line));
            }
            eprintln!("::endgroup::");
        } else {
            eprintln!("shipgate: {line}");
        }
    }
}
