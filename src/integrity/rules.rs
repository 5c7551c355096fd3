//! The rules of the integrity stage.

use crate::model::{RuleMeta, Severity};

const fn rule(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    help: &'static str,
) -> RuleMeta {
    RuleMeta {
        id,
        title,
        severity,
        help,
        security: false,
    }
}

/// `--if-present` on a script the package does not have.
pub const IF_PRESENT_MISSING: RuleMeta = rule(
    "integrity/if-present-missing",
    "CI step runs a script that does not exist (--if-present)",
    Severity::Error,
    "`--if-present` turns a missing script into a green step that checks nothing. Add the script to package.json, or remove the step (and the required check that waits for it).",
);
/// A check command whose failure cannot fail its step or job.
pub const MASKED_FAILURE: RuleMeta = rule(
    "integrity/masked-failure",
    "CI check that cannot fail",
    Severity::Warning,
    "`|| true`, `|| echo …`, `|| exit 0`, `; true`, `set +e` or `continue-on-error: true` keep the step green whatever the check finds. Let it fail; if the tool is optional, skip the step explicitly with `if:` instead. An error when branch protection requires the job's check.",
);
/// A package.json script that runs a file that does not exist.
pub const MISSING_SCRIPT_FILE: RuleMeta = rule(
    "integrity/missing-script-file",
    "Script runs a file that does not exist",
    Severity::Warning,
    "Fix the path or remove the script; if the file is build output, make a script of the same package produce it (`build`), or ignore its directory in .gitignore.",
);
/// `npm run X` / `make X` / `just X` where X does not exist.
pub const UNKNOWN_COMMAND: RuleMeta = rule(
    "integrity/unknown-command",
    "Command names a script or target that does not exist",
    Severity::Error,
    "Rename the reference to an existing script/target, or add it. In docs a stale command misleads whoever follows the runbook (a warning); in a workflow it fails or silently skips (an error).",
);
/// A workflow file shipgate could not parse.
pub const WORKFLOW_PARSE: RuleMeta = rule(
    "integrity/workflow-parse",
    "Workflow not analysed",
    Severity::Note,
    "The workflow is not valid YAML (or not a workflow), so its steps were not checked; GitHub rejects it too.",
);
/// A link to a file that does not exist.
pub const BROKEN_LINK: RuleMeta = rule(
    "integrity/broken-link",
    "Link to a file that does not exist",
    Severity::Warning,
    "Fix the link or create the file. External URLs are never fetched; only relative links are checked.",
);
/// A `#anchor` no heading produces.
pub const BROKEN_ANCHOR: RuleMeta = rule(
    "integrity/broken-anchor",
    "Link to a heading that does not exist",
    Severity::Note,
    "Anchors follow GitHub's heading slugs (lowercase, punctuation dropped, spaces to `-`, `-1`, `-2` for repeats).",
);
/// A file path in inline code that does not exist.
pub const MISSING_PATH: RuleMeta = rule(
    "integrity/missing-path",
    "Path named in docs does not exist",
    Severity::Warning,
    "The runbook points at a file that is not in the repository: restore it, or fix the text.",
);
/// An endpoint called by a workflow, smoke check or runbook that no route serves.
pub const UNSERVED_ENDPOINT: RuleMeta = rule(
    "integrity/unserved-endpoint",
    "Endpoint no route in the code serves",
    Severity::Warning,
    "The code declares no route that answers this path (routes read from Express/Koa/Fastify/Hono, NestJS, Next.js and Supabase functions). Fix the URL, or restore the route.",
);
/// A route check that could not decide.
pub const ROUTE_UNDECIDED: RuleMeta = rule(
    "integrity/route-undecided",
    "Could not decide whether a route serves this endpoint",
    Severity::Note,
    "Routes are built at run time here, so shipgate cannot tell whether this endpoint exists. Nothing is wrong until proven.",
);
/// A variable a runbook lists that no template declares.
pub const RUNBOOK_ENV_UNDECLARED: RuleMeta = rule(
    "integrity/runbook-env-undeclared",
    "Runbook lists a variable no template declares",
    Severity::Warning,
    "Declare it in `.env.example` (or `[env.vars]`), or remove it from the runbook if it is gone.",
);
/// A variable a runbook lists that no code reads.
pub const RUNBOOK_ENV_UNUSED: RuleMeta = rule(
    "integrity/runbook-env-unused",
    "Runbook lists a variable no code reads",
    Severity::Note,
    "The runbook tells operators to set a variable the code never reads: remove it, or check that the code reads it under another name.",
);
/// A change touching paths whose change policy requires another file to change too.
pub const CHANGE_POLICY: RuleMeta = rule(
    "integrity/change-policy",
    "Change policy not followed",
    Severity::Error,
    "`[[integrity.require_change]]` says a change to these paths must also update the required file: update it in the same change.",
);
/// A branch-protection required check whose job checks nothing.
pub const NOOP_REQUIRED_CHECK: RuleMeta = rule(
    "integrity/noop-required-check",
    "Required check that checks nothing",
    Severity::Error,
    "Branch protection waits for this job's check, but every check command in it is a no-op (a missing `--if-present` script, a masked failure, `if: false`, `continue-on-error`): the protection is hollow. Make the job run a real check.",
);

/// Every rule of the integrity stage.
pub const RULES: &[RuleMeta] = &[
    IF_PRESENT_MISSING,
    MASKED_FAILURE,
    MISSING_SCRIPT_FILE,
    UNKNOWN_COMMAND,
    WORKFLOW_PARSE,
    BROKEN_LINK,
    BROKEN_ANCHOR,
    MISSING_PATH,
    UNSERVED_ENDPOINT,
    ROUTE_UNDECIDED,
    RUNBOOK_ENV_UNDECLARED,
    RUNBOOK_ENV_UNUSED,
    CHANGE_POLICY,
    NOOP_REQUIRED_CHECK,
];

/// The metadata of an integrity rule id.
pub fn get(id: &str) -> &'static RuleMeta {
    RULES.iter().find(|r| r.id == id).unwrap_or(&WORKFLOW_PARSE)
}
