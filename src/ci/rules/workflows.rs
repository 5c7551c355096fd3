//! Loading `.github/workflows/*` and the triggers each workflow effectively runs on.

use super::super::RepoIndex;
use super::super::workflow::{self, Workflow, WorkflowError};

/// Parse every `.github/workflows/*.yml|yaml`.
pub fn load_workflows(idx: &RepoIndex) -> (Vec<Workflow>, Vec<WorkflowError>) {
    let mut wfs = Vec::new();
    let mut errs = Vec::new();
    for f in idx.files() {
        let Some(name) = f.strip_prefix(".github/workflows/") else {
            continue;
        };
        if name.contains('/') || !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            continue;
        }
        let Some(text) = idx.text(f) else { continue };
        match workflow::parse_workflow(f, &text) {
            Ok(w) => wfs.push(w),
            Err(e) => errs.push(e),
        }
    }
    (wfs, errs)
}

/// Triggers of each workflow; a `workflow_call` workflow inherits its local callers' triggers.
pub fn effective_triggers(wfs: &[Workflow]) -> Vec<Vec<String>> {
    let mut trig: Vec<Vec<String>> = wfs.iter().map(|w| w.triggers.clone()).collect();
    for _ in 0..3 {
        let snapshot = trig.clone();
        for (i, wf) in wfs.iter().enumerate() {
            if !wf.triggers.iter().any(|t| t == "workflow_call") {
                continue;
            }
            let me = format!("./{}", wf.path);
            for (j, caller) in wfs.iter().enumerate() {
                let calls = caller.jobs.iter().any(|jb| {
                    jb.uses
                        .as_deref()
                        .is_some_and(|u| u.split('@').next() == Some(me.as_str()))
                });
                if !calls {
                    continue;
                }
                for t in snapshot.get(j).into_iter().flatten() {
                    if let Some(v) = trig.get_mut(i)
                        && !v.contains(t)
                    {
                        v.push(t.clone());
                    }
                }
            }
        }
    }
    trig
}
