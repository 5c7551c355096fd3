//! Workflow, job and step mappings read from the YAML tree.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::matrix::parse_matrix;
use super::run_script::{Src, run_script};
use super::yaml::{get, get_kv, scalar_string, untag};
use super::{Job, Step, Workflow, WorkflowError};

/// Deepest block nesting accepted before parsing (guards the recursive drop of the node tree).
const MAX_NESTING: usize = 400;

/// Parse one workflow file. Malformed YAML yields an error with its position, never a panic.
pub fn parse_workflow(path: &str, text: &str) -> Result<Workflow, WorkflowError> {
    let err = |line: usize, column: usize, message: &str| WorkflowError {
        path: path.to_string(),
        line,
        column,
        message: message.to_string(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, col)) = too_deep(text) {
        return Err(err(line, col, "nesting too deep to analyse"));
    }
    let docs = MarkedYaml::load_from_str(text)
        .map_err(|e| err(e.marker().line(), e.marker().col() + 1, e.info()))?;
    let Some(root) = docs.first() else {
        return Err(err(1, 1, "empty document"));
    };
    let root = untag(root);
    if !root.data.is_mapping() {
        return Err(err(
            root.span.start.line().max(1),
            root.span.start.col() + 1,
            "a workflow must be a mapping",
        ));
    }
    let src = Src::new(text);
    let (defaults_run_wd, defaults_shell) = defaults_run(root);
    let mut wf = Workflow {
        path: path.to_string(),
        name: get(root, "name").and_then(scalar_string),
        triggers: triggers(get(root, "on")),
        defaults_run_wd,
        defaults_shell,
        jobs: Vec::new(),
    };
    if let Some(YamlData::Mapping(jobs)) = get(root, "jobs").map(|j| &untag(j).data) {
        for (k, v) in jobs {
            let Some(id) = scalar_string(k) else { continue };
            wf.jobs.push(parse_job(&src, id, k, untag(v)));
        }
    }
    Ok(wf)
}

/// Reject inputs whose block nesting would make the node tree too deep to handle safely.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let indent = line.chars().take_while(|c| *c == ' ').count();
        let mut items = 0usize;
        let mut rest = line.trim_start_matches(' ');
        while let Some(r) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("? "))
            .or_else(|| rest.strip_prefix(": "))
        {
            items += 1;
            rest = r.trim_start_matches(' ');
        }
        if indent + items > MAX_NESTING {
            return Some((i + 1, indent + 1));
        }
    }
    None
}

/// Event names of `on:` (a string, a list or the keys of a mapping).
fn triggers(on: Option<&MarkedYaml>) -> Vec<String> {
    let Some(on) = on else { return Vec::new() };
    match &untag(on).data {
        YamlData::Sequence(items) => items.iter().filter_map(scalar_string).collect(),
        YamlData::Mapping(m) => m.keys().filter_map(scalar_string).collect(),
        _ => scalar_string(on).into_iter().collect(),
    }
}

/// `defaults.run.working-directory` and `defaults.run.shell` of a workflow or job.
fn defaults_run(n: &MarkedYaml) -> (Option<String>, Option<String>) {
    let run = get(n, "defaults").and_then(|d| get(d, "run"));
    (
        run.and_then(|r| get(r, "working-directory"))
            .and_then(scalar_string),
        run.and_then(|r| get(r, "shell")).and_then(scalar_string),
    )
}

/// `continue-on-error` → Some("true") / Some(expression) / None for false or absent.
fn continue_on_error(n: &MarkedYaml) -> Option<String> {
    let v = get(n, "continue-on-error")?;
    match &v.data {
        YamlData::Value(Scalar::Boolean(true)) => Some("true".to_string()),
        YamlData::Value(Scalar::Boolean(false)) => None,
        _ => {
            let s = scalar_string(v)?;
            match s.trim() {
                "false" | "${{ false }}" => None,
                "${{ true }}" => Some("true".to_string()),
                t => Some(t.to_string()),
            }
        }
    }
}

/// One entry of `jobs:`.
fn parse_job(src: &Src, id: String, key: &MarkedYaml, v: &MarkedYaml) -> Job {
    let (defaults_run_wd, defaults_shell) = defaults_run(v);
    let runs_on = get(v, "runs-on").and_then(|r| match &r.data {
        YamlData::Sequence(items) => items.first().and_then(scalar_string),
        _ => scalar_string(r),
    });
    let matrix = get(v, "strategy")
        .and_then(|s| get(s, "matrix"))
        .map(parse_matrix);
    let mut steps = Vec::new();
    if let Some(YamlData::Sequence(items)) = get(v, "steps").map(|s| &s.data) {
        for (index, item) in items.iter().enumerate() {
            let item = untag(item);
            if item.data.is_mapping() {
                steps.push(parse_step(src, index, item));
            }
        }
    }
    Job {
        id,
        name: get(v, "name").and_then(scalar_string),
        line: key.span.start.line(),
        column: key.span.start.col() + 1,
        if_cond: get(v, "if").and_then(scalar_string),
        continue_on_error: continue_on_error(v),
        defaults_run_wd,
        defaults_shell,
        runs_on,
        uses: get(v, "uses").and_then(scalar_string),
        matrix,
        steps,
    }
}

/// One mapping of `steps:`.
fn parse_step(src: &Src, index: usize, n: &MarkedYaml) -> Step {
    let run = get_kv(n, "run").and_then(|(k, v)| run_script(src, k, v));
    let with = match get(n, "with").map(|w| &w.data) {
        Some(YamlData::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((scalar_string(k)?, scalar_string(v)?)))
            .collect(),
        _ => Vec::new(),
    };
    Step {
        index,
        name: get(n, "name").and_then(scalar_string),
        id: get(n, "id").and_then(scalar_string),
        line: n.span.start.line(),
        column: n.span.start.col() + 1,
        uses: get(n, "uses").and_then(scalar_string),
        run,
        shell: get(n, "shell").and_then(scalar_string),
        working_directory: get(n, "working-directory").and_then(scalar_string),
        if_cond: get(n, "if").and_then(scalar_string),
        continue_on_error: continue_on_error(n),
        with,
    }
}
