//! `shipgate release check VERSION`: the readiness checks and the `release`
//! profile in one plan; `--tag` only when everything passed.

use super::gate::{StageFlags, fail_on, place, plan, profile_stages, setup};
use super::output::{Printed, run_and_print};
use super::{Ctx, ReleaseCommand, ScanSelection};
use crate::error::{Error, Exit, Result};
use crate::gate::StageRequest;
use crate::release::ReleaseOptions;

/// Dispatches `shipgate release …`.
pub fn run(ctx: &Ctx, cmd: &ReleaseCommand) -> Result<Exit> {
    let ReleaseCommand::Check {
        release,
        tag,
        branch,
        changelog,
        smoke,
        report,
    } = cmd;
    // A version that is not one is a usage error before anything runs.
    crate::release::validate(release)?;
    if let Some(b) = branch {
        crate::git::check_revision(b)?;
    }
    let repo = crate::git::toplevel(&ctx.cwd).ok_or_else(|| {
        Error::usage(format!(
            "{} is not inside a git work tree",
            ctx.cwd.display()
        ))
    })?;
    let place = place(ctx, &[])?;
    let setup = setup(ctx, &place.root)?;
    let profile = setup
        .config
        .gate
        .profile("release")
        .ok_or_else(|| Error::usage("no release profile"))?;
    let changelog_abs = ctx.path(changelog);
    let options = ReleaseOptions {
        tag: release.clone(),
        branch: branch.clone(),
        changelog: crate::gate::display_path(&repo, &changelog_abs),
    };
    let none = ScanSelection::default();
    let flags = StageFlags {
        scan: &none,
        env_profile: None,
        env_files: &[],
        from_process: false,
        smoke,
        check_name: "shipgate",
    };
    let mut stages = vec![StageRequest::Release(options)];
    stages.extend(profile_stages(ctx, &setup, &profile, &place, &flags)?);
    let fo = fail_on(report.fail_on, Some(&profile), &setup);
    let plan = plan(ctx, setup, Some(&profile), fo, stages, report, None)?;
    let exit = run_and_print(ctx, plan, report, Printed::Stdout, None)?;
    if *tag && report.exit_zero {
        eprintln!("shipgate: not tagging {release}: --exit-zero hides the verdict");
    } else if exit == Exit::Pass && *tag {
        crate::release::tag(&repo, release)?;
        eprintln!(
            "shipgate: created annotated tag {release}; push it with `git push origin {release}`"
        );
    } else if *tag {
        eprintln!("shipgate: not tagging {release}: the release is not ready");
    }
    Ok(exit)
}
