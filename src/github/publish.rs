//! The check-run lifecycle for one gate run: started before the stages, and
//! always completed — with the report, or as failed with the reason on every
//! other exit path (usage errors, errors, a panic: [`Drop`] completes it).

use super::checks::{self, CheckTarget, PublishOutcome};
use super::client::Client;
use crate::model::Report;

/// A check run being published.
pub struct Publisher {
    client: Client,
    target: CheckTarget,
    started: Result<u64, PublishOutcome>,
    done: bool,
}

impl Publisher {
    /// Creates the run `in_progress` (a failure is remembered, not fatal:
    /// the report then goes to workflow commands and the job summary).
    pub fn start(client: Client, target: CheckTarget) -> Self {
        let started = checks::start(&client, &target);
        Publisher {
            client,
            target,
            started,
            done: false,
        }
    }

    /// The run's name.
    pub fn name(&self) -> &str {
        &self.target.name
    }

    /// Completes the run with the report.
    pub fn finish(mut self, report: &Report) -> PublishOutcome {
        self.done = true;
        match &self.started {
            Ok(id) => checks::finish(&self.client, &self.target, *id, report),
            Err(o) => o.clone(),
        }
    }

    /// Completes the run as failed: shipgate could not finish.
    pub fn abort(mut self, reason: &str) {
        self.done = true;
        self.fail(reason);
    }

    fn fail(&self, reason: &str) {
        if let Ok(id) = &self.started
            && let PublishOutcome::Failed { reason } | PublishOutcome::Fallback { reason } =
                checks::abort(&self.client, &self.target, *id, reason)
        {
            eprintln!("shipgate: could not complete the check run: {reason}");
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        if !self.done {
            let reason = if std::thread::panicking() {
                "shipgate crashed (a bug: please report it)"
            } else {
                "shipgate exited before it finished"
            };
            self.fail(reason);
        }
    }
}
