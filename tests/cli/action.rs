//! The GitHub Action (action.yml) in a simulated runner: its composite steps
//! are read from action.yml, `${{ … }}` expressions evaluated from the inputs,
//! and each `run:` executed with bash the way the runner does, with
//! RUNNER_TEMP, RUNNER_OS/ARCH, GITHUB_ACTION_PATH and fresh GITHUB_PATH,
//! GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files per step. A fake `gh` serves
//! release archives built here around the test binary (`SHIPGATE_GH`); a fake
//! `cargo` stands in for the source build (`SHIPGATE_CARGO`), so nothing is
//! compiled and nothing leaves 127.0.0.1.
#![cfg(unix)]

use crate::support::{Tree, bin, git};
use crate::tiny_server::{Answer, serve};
use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPO_ROOT: &str = env!("CARGO_MANIFEST_DIR");
const LINUX: &str = "x86_64-unknown-linux-musl";

const FAKE_GH: &str = r#"#!/bin/sh
# The GitHub CLI as the install step uses it; release assets come from $FAKE_RELEASES/<tag>/.
echo "gh $*" >> "$FAKE_LOG"
case "$1 $2" in
  "release view") cat "$FAKE_RELEASES/latest" ;;
  "release download")
    tag=$3; shift 3
    while [ $# -gt 0 ]; do
      case $1 in --pattern) pat=$2; shift 2 ;; --dir) dir=$2; shift 2 ;; *) shift ;; esac
    done
    [ -f "$FAKE_RELEASES/$tag/$pat" ] || { echo "no assets match the file pattern" >&2; exit 1; }
    cp "$FAKE_RELEASES/$tag/$pat" "$dir/" ;;
  "attestation --help") [ "$FAKE_ATTEST" != none ] ;;
  "attestation verify") [ "$FAKE_ATTEST" = ok ] ;;
  *) echo "fake gh: unexpected: $*" >&2; exit 2 ;;
esac
"#;

const FAKE_CARGO: &str = r#"#!/bin/sh
# `cargo install --root R …` without compiling: R/bin/shipgate is the test binary.
echo "cargo $*" >> "$FAKE_LOG"
root=""
while [ $# -gt 0 ]; do case $1 in --root) root=$2; shift 2 ;; *) shift ;; esac; done
mkdir -p "$root/bin" && ln -sf "$FAKE_SHIPGATE" "$root/bin/shipgate"
"#;

/// Writes an executable through a child process, so that no file descriptor
/// open for writing leaks into a concurrently forked test child ("text file busy").
fn executable(path: &Path, body: &str) {
    let src = path.with_extension("txt");
    std::fs::write(&src, body).unwrap();
    let st = Command::new("install")
        .args(["-m", "0755"])
        .arg(&src)
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success());
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Step outputs as the runner reads them: `name=value` and `name<<DELIM` blocks.
fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        } else if !line.is_empty() {
            panic!("malformed GITHUB_OUTPUT line: {line:?}");
        }
    }
    out
}

struct StepRun {
    id: String,
    code: i32,
    stdout: String,
    stderr: String,
    outputs: HashMap<String, String>,
    summary: String,
    path: Vec<String>,
}

struct ActionRun {
    steps: Vec<StepRun>,
    outputs: HashMap<String, String>,
}

impl ActionRun {
    fn step(&self, id: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("step {id} did not run"))
    }
    fn install(&self) -> &StepRun {
        self.step("install")
    }
    fn gate(&self) -> &StepRun {
        self.step("gate")
    }
    /// The action's exit: the first failing step's, else 0.
    fn code(&self) -> i32 {
        self.steps
            .iter()
            .map(|s| s.code)
            .find(|c| *c != 0)
            .unwrap_or(0)
    }
}

/// One job on a simulated runner.
struct Sim {
    root: tempfile::TempDir,
    action: PathBuf,
    workspace: PathBuf,
    inputs: HashMap<String, String>,
    env: Vec<(String, String)>,
    action_repository: String,
}

impl Sim {
    /// A runner for the action at `action` checked out at GITHUB_ACTION_PATH,
    /// run in `workspace`.
    fn new(action: &Path, workspace: &Path) -> Sim {
        let root = tempfile::tempdir().unwrap();
        for d in ["temp", "home", "tools", "releases"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        let tools = root.path().join("tools");
        executable(&tools.join("gh"), FAKE_GH);
        executable(&tools.join("cargo"), FAKE_CARGO);
        let mut s = Sim {
            action: action.to_path_buf(),
            workspace: workspace.to_path_buf(),
            inputs: HashMap::new(),
            env: Vec::new(),
            action_repository: "shipgate/shipgate".into(),
            root,
        };
        let r = s.root.path().to_path_buf();
        s.job_env("SHIPGATE_GH", &tools.join("gh").display().to_string());
        s.job_env("SHIPGATE_CARGO", &tools.join("cargo").display().to_string());
        s.job_env("FAKE_LOG", &r.join("log").display().to_string());
        s.job_env("FAKE_RELEASES", &r.join("releases").display().to_string());
        s.job_env("FAKE_SHIPGATE", &bin().display().to_string());
        s.job_env("FAKE_ATTEST", "ok");
        s.job_env("RUNNER_OS", "Linux");
        s.job_env("RUNNER_ARCH", "X64");
        s
    }

    fn input(&mut self, k: &str, v: &str) -> &mut Sim {
        self.inputs.insert(k.into(), v.into());
        self
    }

    /// A job-level `env:` entry (composite steps see it).
    fn job_env(&mut self, k: &str, v: &str) -> &mut Sim {
        self.env.retain(|(key, _)| key != k);
        self.env.push((k.into(), v.into()));
        self
    }

    fn runner_temp(&self) -> PathBuf {
        self.root.path().join("temp")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("log")).unwrap_or_default()
    }

    /// Publishes a release whose archive for `target` holds a `shipgate` that
    /// records its arguments and runs the test binary; returns the archive's SHA-256.
    fn release(&self, tag: &str, target: &str) -> String {
        let stage = self.root.path().join(format!("stage-{tag}-{target}"));
        std::fs::create_dir_all(&stage).unwrap();
        std::fs::write(
            stage.join("shipgate"),
            format!(
                "#!/bin/sh\necho \"installed shipgate $*\" >> \"$FAKE_LOG\"\nexec '{}' \"$@\"\n",
                bin().display()
            ),
        )
        .unwrap();
        let dir = self.root.path().join("releases").join(tag);
        std::fs::create_dir_all(&dir).unwrap();
        let archive = dir.join(format!("shipgate-{tag}-{target}.tar.gz"));
        let st = Command::new("sh")
            .arg("-c")
            .arg("chmod 755 \"$1/shipgate\" && tar -czf \"$2\" -C \"$1\" shipgate")
            .arg("sh")
            .arg(&stage)
            .arg(&archive)
            .status()
            .unwrap();
        assert!(st.success());
        std::fs::write(self.root.path().join("releases/latest"), format!("{tag}\n")).unwrap();
        sha256(&std::fs::read(&archive).unwrap())
    }

    /// Runs the composite steps of `action.yml` in order; stops at the first failure.
    fn run(&self) -> ActionRun {
        let doc = load_yaml(&self.action.join("action.yml"));
        assert_eq!(doc["runs"]["using"].as_str(), Some("composite"));
        let mut ctx: HashMap<String, String> = HashMap::new();
        ctx.insert(
            "github.action_repository".into(),
            self.action_repository.clone(),
        );
        ctx.insert(
            "github.action_path".into(),
            self.action.display().to_string(),
        );
        // No token: shipgate must not try to publish a check run from a test.
        ctx.insert("github.token".into(), String::new());
        for (name, spec) in doc["inputs"].as_object().unwrap() {
            let name = name.as_str();
            let value = match self.inputs.get(name) {
                Some(v) => v.clone(),
                None => eval(spec["default"].as_str().unwrap_or(""), &ctx),
            };
            ctx.insert(format!("inputs.{name}"), value);
        }
        for k in self.inputs.keys() {
            assert!(ctx.contains_key(&format!("inputs.{k}")), "no input {k}");
        }
        let mut path_entries: Vec<String> = Vec::new();
        let mut steps = Vec::new();
        for (i, step) in doc["runs"]["steps"].as_array().unwrap().iter().enumerate() {
            assert_eq!(step["shell"].as_str(), Some("bash"));
            let run = step["run"].as_str().unwrap();
            assert!(
                !run.contains("${{"),
                "inputs reach the scripts through env, never the shell text: {run}"
            );
            let files = self.root.path().join(format!("step{i}"));
            std::fs::create_dir_all(&files).unwrap();
            let (gh_path, gh_output, gh_summary) = (
                files.join("path"),
                files.join("output"),
                files.join("summary.md"),
            );
            for f in [&gh_path, &gh_output, &gh_summary] {
                std::fs::write(f, "").unwrap();
            }
            let mut path: Vec<String> = path_entries.iter().rev().cloned().collect();
            path.push(std::env::var("PATH").unwrap_or_default());
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
                .current_dir(&self.workspace)
                .env_clear()
                .env("PATH", path.join(":"))
                .env("HOME", self.root.path().join("home"))
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_REPOSITORY", "acme/shop")
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_ACTION_PATH", &self.action)
                .env("RUNNER_TEMP", self.runner_temp())
                .env("GITHUB_PATH", &gh_path)
                .env("GITHUB_OUTPUT", &gh_output)
                .env("GITHUB_STEP_SUMMARY", &gh_summary);
            for (k, v) in &self.env {
                cmd.env(k, v);
            }
            if let Some(env) = step["env"].as_object() {
                for (k, v) in env {
                    cmd.env(k, eval(v.as_str().unwrap(), &ctx));
                }
            }
            let out = cmd.output().unwrap();
            let id = step["id"]
                .as_str()
                .map_or_else(|| format!("step{i}"), str::to_string);
            let s = StepRun {
                id: id.clone(),
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                outputs: parse_outputs(&std::fs::read_to_string(&gh_output).unwrap()),
                summary: std::fs::read_to_string(&gh_summary).unwrap(),
                path: std::fs::read_to_string(&gh_path)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect(),
            };
            for (k, v) in &s.outputs {
                ctx.insert(format!("steps.{id}.outputs.{k}"), v.clone());
            }
            path_entries.extend(s.path.iter().cloned());
            let failed = s.code != 0;
            steps.push(s);
            if failed {
                break;
            }
        }
        let mut outputs = HashMap::new();
        for (name, spec) in doc["outputs"].as_object().unwrap() {
            let value = spec["value"].as_str().unwrap();
            // Outputs of steps that did not run are empty, as on GitHub.
            let v = eval_or_empty(value, &ctx);
            outputs.insert(name.clone(), v);
        }
        ActionRun { steps, outputs }
    }
}

/// A YAML file as JSON (action.yml has no anchors, tags or non-string keys).
fn load_yaml(path: &Path) -> Value {
    fn json(y: &Yaml) -> Value {
        match y {
            Yaml::Value(Scalar::Null) => Value::Null,
            Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
            Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
            Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
            Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
            Yaml::Representation(s, _, _) => Value::String(s.to_string()),
            Yaml::Sequence(items) => Value::Array(items.iter().map(json).collect()),
            Yaml::Mapping(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let k = match json(k) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (k, json(v))
                    })
                    .collect(),
            ),
            Yaml::Tagged(_, inner) => json(inner),
            other => panic!("unexpected YAML node {other:?}"),
        }
    }
    let text = std::fs::read_to_string(path).unwrap();
    let docs = Yaml::load_from_str(&text).unwrap();
    assert_eq!(docs.len(), 1, "{}", path.display());
    json(&docs[0])
}

fn expressions(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("${{") {
        let i = from + i;
        let j = i + s[i..].find("}}").expect("unterminated ${{");
        out.push((i, j + 2, s[i + 3..j].trim().to_string()));
        from = j + 2;
    }
    out
}

/// Evaluates the `${{ name }}` expressions action.yml uses; any other is a test failure.
fn eval(s: &str, ctx: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, j, e) in expressions(s) {
        out.push_str(&s[last..i]);
        out.push_str(
            ctx.get(&e)
                .unwrap_or_else(|| panic!("the simulated runner does not know `{e}`")),
        );
        last = j;
    }
    out.push_str(&s[last..]);
    out
}

fn eval_or_empty(s: &str, ctx: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, j, e) in expressions(s) {
        assert!(e.starts_with("steps."), "output from `{e}`");
        out.push_str(&s[last..i]);
        out.push_str(ctx.get(&e).map(String::as_str).unwrap_or(""));
        last = j;
    }
    out.push_str(&s[last..]);
    out
}

/// A copy of the action (action.yml, scripts, Cargo.toml) with its own manifest.
fn action_copy(manifest_lines: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(REPO_ROOT);
    for f in [
        "action.yml",
        "Cargo.toml",
        "scripts/action-install.sh",
        "scripts/action-run.sh",
    ] {
        let to = dir.path().join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(f), to).unwrap();
    }
    let mut manifest = std::fs::read_to_string(root.join("action/sha256-manifest.txt")).unwrap();
    for l in manifest_lines {
        manifest.push_str(l);
        manifest.push('\n');
    }
    std::fs::create_dir_all(dir.path().join("action")).unwrap();
    std::fs::write(dir.path().join("action/sha256-manifest.txt"), manifest).unwrap();
    dir
}

/// No error; one warning (env/no-template).
fn clean_fixture() -> Tree {
    Tree::new(&[("src/a.ts", "export const API = process.env.API_URL;\n")])
}

fn stage<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name} stage: {report:#}"))
}

fn dump(run: &ActionRun) -> String {
    run.steps
        .iter()
        .map(|s| {
            format!(
                "--- {} (exit {})\nstdout:\n{}\nstderr:\n{}\n",
                s.id, s.code, s.stdout, s.stderr
            )
        })
        .collect()
}

#[test]
fn verified_install_then_the_gate_fails_on_a_localhost_url() {
    // A pull request: the base is origin/main, the head adds a localhost URL;
    // the action's default profile (`pr`) scans the diff.
    let ws = Tree::git(&[("src/b.ts", "export const B = 1;\n")]);
    ws.commit_all("base");
    git(
        ws.path(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    ws.write("src/a.ts", "export const A = \"http://localhost:3000\";\n");
    ws.commit_all("head");
    let action = action_copy(&[]);
    let mut sim = Sim::new(action.path(), ws.path());
    let hash = sim.release("v9.8.7", LINUX);
    std::fs::write(
        action.path().join("action/sha256-manifest.txt"),
        format!(
            "# pinned\nv9.8.6 {LINUX} {}\nv9.8.7 {LINUX} {hash}\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    sim.job_env("GITHUB_BASE_REF", "main");
    let run = sim.run();
    let d = dump(&run);
    let dest = sim.runner_temp().join("shipgate-bin/bin");

    // Install: the manifest's hash, the attestation, and one line saying so.
    let install = run.install();
    assert_eq!(install.code, 0, "{d}");
    let asset = format!("shipgate-v9.8.7-{LINUX}.tar.gz");
    let line = format!(
        "shipgate install: verified: {asset} SHA-256 {hash} matches the action's manifest (action/sha256-manifest.txt); build provenance verified by gh attestation verify --repo shipgate/shipgate"
    );
    assert!(install.stdout.lines().any(|l| l == line), "{d}");
    assert_eq!(install.path, vec![dest.display().to_string()]);
    let log = sim.log();
    assert!(
        log.contains("gh release view --repo shipgate/shipgate --json tagName --jq .tagName\n"),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "gh release download v9.8.7 --repo shipgate/shipgate --pattern {asset} --dir"
        )),
        "only the archive is downloaded, no .sha256: {log}"
    );
    assert!(!log.contains(".sha256"), "{log}");
    assert!(
        log.lines().any(|l| l.starts_with("gh attestation verify ")
            && l.ends_with(&format!("/{asset} --repo shipgate/shipgate"))),
        "{log}"
    );
    assert!(!log.contains("cargo "), "no source build: {log}");
    assert!(
        install.stdout.contains("shipgate 0.1.0"),
        "the installed binary ran: {d}"
    );

    // Run: the installed binary (through GITHUB_PATH), outputs written by shipgate itself.
    let gate = run.gate();
    assert_eq!(gate.code, 1, "{d}");
    assert_eq!(run.code(), 1);
    let log = sim.log();
    let invocation = log
        .lines()
        .find(|l| l.starts_with("installed shipgate gate "))
        .unwrap_or_else(|| panic!("the gate ran the verified binary: {log}"));
    assert!(
        invocation.contains(" --profile=pr --fail-on=error"),
        "{invocation}"
    );
    assert!(!invocation.contains("--config"), "{invocation}");
    assert!(
        gate.stdout.starts_with("::error file=src/a.ts,line=1,"),
        "{d}"
    );
    let o = &gate.outputs;
    assert_eq!(o["verdict"], "fail", "{o:?}");
    assert_eq!(o["errors"], "1");
    assert_eq!(o["warnings"], "0");
    assert_eq!(o["notes"], "0");
    let report = PathBuf::from(&o["report"]);
    let sarif = PathBuf::from(&o["sarif"]);
    assert_eq!(report, sim.runner_temp().join("shipgate/shipgate.json"));
    assert_eq!(sarif, ws.path().join("shipgate.sarif"));
    assert!(sim.runner_temp().join("shipgate/shipgate.xml").is_file());
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(j["verdict"], "fail");
    assert_eq!(
        stage(&j, "smoke")["status"],
        "skipped",
        "an empty base-url input means no smoke stage"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert!(
        gate.summary.starts_with("## shipgate: ❌ FAIL"),
        "{}",
        gate.summary
    );
    assert!(
        gate.summary.contains("localhost/hardcoded-url"),
        "{}",
        gate.summary
    );
    // The action's outputs (action.yml `outputs:`) map onto the step's.
    for k in ["verdict", "errors", "warnings", "notes", "report", "sarif"] {
        assert_eq!(run.outputs[k], o[k], "output {k}");
    }
}

#[test]
fn provenance_is_reported_as_not_verified_when_gh_cannot_verify_it() {
    // macOS arm64, "9.8.7" without the v, the repository from the action's Cargo.toml.
    let ws = clean_fixture();
    let action = action_copy(&[]);
    let mut sim = Sim::new(action.path(), ws.path());
    let target = "aarch64-apple-darwin";
    let hash = sim.release("v9.8.7", target);
    std::fs::write(
        action.path().join("action/sha256-manifest.txt"),
        format!("v9.8.7 {target} {hash}\n"),
    )
    .unwrap();
    sim.action_repository = String::new();
    sim.input("version", "9.8.7").input("profile", "default");
    sim.job_env("RUNNER_OS", "macOS")
        .job_env("RUNNER_ARCH", "ARM64");
    sim.job_env("FAKE_ATTEST", "none");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.code(), 0, "{d}");
    assert!(
        run.install().stdout.contains(&format!(
            "shipgate install: verified: shipgate-v9.8.7-{target}.tar.gz SHA-256 {hash} matches the action's manifest (action/sha256-manifest.txt); build provenance NOT verified (this gh has no attestation command)\n"
        )),
        "{d}"
    );
    let log = sim.log();
    assert!(!log.contains("release view"), "{log}");
    assert!(!log.contains("attestation verify"), "{log}");
    assert_eq!(run.outputs["verdict"], "pass");

    // gh has the command but the verification fails: a warning, still installed
    // (the manifest hash matched), and the line says so.
    sim.job_env("FAKE_ATTEST", "fail");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.install().code, 0, "{d}");
    let out = &run.install().stdout;
    assert!(
        out.contains("::warning title=shipgate install::gh attestation verify failed"),
        "{d}"
    );
    assert!(
        out.contains(
            "build provenance NOT verified (gh attestation verify --repo shipgate/shipgate failed)"
        ),
        "repository from Cargo.toml: {d}"
    );
}

#[test]
fn a_hash_mismatch_is_a_hard_failure() {
    let ws = clean_fixture();
    let action = action_copy(&[]);
    let sim = Sim::new(action.path(), ws.path());
    let actual = sim.release("v9.8.7", LINUX);
    let pinned = sha256(b"what the release workflow built");
    std::fs::write(
        action.path().join("action/sha256-manifest.txt"),
        format!("v9.8.7 {LINUX} {pinned}\n"),
    )
    .unwrap();
    let run = sim.run();
    let d = dump(&run);
    let install = run.install();
    assert_eq!(install.code, 1, "{d}");
    assert_eq!(run.steps.len(), 1, "the gate does not run: {d}");
    assert!(
        install.stdout.contains(&format!(
            "::error title=shipgate install::SHA-256 mismatch for shipgate-v9.8.7-{LINUX}.tar.gz: downloaded {actual}, the action's manifest pins {pinned} - refusing to install it"
        )),
        "{d}"
    );
    assert!(install.path.is_empty(), "nothing added to PATH");
    assert!(!sim.runner_temp().join("shipgate-bin/bin/shipgate").exists());
    let log = sim.log();
    assert!(
        !log.contains("cargo "),
        "no fallback after a mismatch: {log}"
    );
    assert!(!log.contains("attestation verify"), "{log}");
    assert_eq!(run.outputs["verdict"], "");
}

#[test]
fn a_version_missing_from_the_manifest_builds_from_source() {
    let ws = clean_fixture();
    let action = action_copy(&[format!("v9.8.6 {LINUX} {}", "a".repeat(64))]);
    let mut sim = Sim::new(action.path(), ws.path());
    sim.release("v9.8.7", LINUX);
    sim.input("profile", "default");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.code(), 0, "{d}");
    let out = &run.install().stdout;
    assert!(
        out.contains(&format!(
            "building from the action's source with cargo install --locked (v9.8.7 for {LINUX} is not in this action's manifest (action/sha256-manifest.txt; newest listed: v9.8.6))"
        )),
        "{d}"
    );
    assert!(
        out.contains("shipgate install: verified: neither a manifest hash nor an attestation"),
        "{d}"
    );
    let dest = sim.runner_temp().join("shipgate-bin");
    let log = sim.log();
    assert!(
        log.contains(&format!(
            "cargo install --locked --path {} --root {}\n",
            action.path().display(),
            dest.display()
        )),
        "{log}"
    );
    assert!(!log.contains("release download"), "not downloaded: {log}");
    assert_eq!(
        run.install().path,
        vec![dest.join("bin").display().to_string()]
    );
    assert_eq!(run.outputs["verdict"], "pass", "{d}");
}

#[test]
fn other_reasons_to_build_from_source_and_bad_versions() {
    let ws = clean_fixture();
    let action = action_copy(&[]);
    let mut sim = Sim::new(action.path(), ws.path());
    let hash = sim.release("v9.8.7", LINUX);
    std::fs::write(
        action.path().join("action/sha256-manifest.txt"),
        format!("v9.8.7 {LINUX} {hash}\nv9.8.8 {LINUX} {hash}\n"),
    )
    .unwrap();
    // (inputs, what is wrong, the reason the install step gives)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 5] = [
        (
            &[("version", "v9.8.8")],
            "ok",
            "could not download shipgate-v9.8.8-x86_64-unknown-linux-musl.tar.gz from the v9.8.8 release of shipgate/shipgate",
        ),
        (
            &[("version", "source")],
            "ok",
            "version: source was requested",
        ),
        (
            &[("version", "v9.8.7")],
            "no-gh",
            "the GitHub CLI (gh) is not available to download release assets",
        ),
        (
            &[],
            "no-latest",
            "cannot resolve the latest release of shipgate/shipgate",
        ),
        (&[], "windows-arm", "no release build for Windows/ARM64"),
    ];
    for (inputs, how, reason) in cases {
        let _ = std::fs::remove_file(sim.root.path().join("log"));
        sim.inputs.clear();
        sim.input("profile", "default");
        for (k, v) in inputs {
            sim.input(k, v);
        }
        sim.job_env(
            "SHIPGATE_GH",
            &sim.root.path().join("tools/gh").display().to_string(),
        );
        sim.job_env("RUNNER_OS", "Linux")
            .job_env("RUNNER_ARCH", "X64");
        std::fs::write(sim.root.path().join("releases/latest"), "v9.8.7\n").unwrap();
        match how {
            "no-gh" => {
                sim.job_env("SHIPGATE_GH", "gh-is-not-installed");
            }
            "no-latest" => std::fs::write(sim.root.path().join("releases/latest"), "").unwrap(),
            "windows-arm" => {
                sim.job_env("RUNNER_OS", "Windows")
                    .job_env("RUNNER_ARCH", "ARM64");
            }
            _ => {}
        }
        let run = sim.run();
        let d = dump(&run);
        assert_eq!(run.code(), 0, "{how}: {d}");
        let out = &run.install().stdout;
        assert!(
            out.contains(&format!(
                "building from the action's source with cargo install --locked ({reason})"
            )),
            "{how}: {d}"
        );
        assert!(out.contains("verified: neither"), "{how}: {d}");
        assert!(
            sim.log().contains("cargo install --locked --path "),
            "{how}"
        );
    }

    // A version that is not a plain release tag never reaches gh.
    sim.inputs.clear();
    sim.input("version", "v1.0.0 --repo evil/fork");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.code(), 1, "{d}");
    assert!(
        run.install().stdout.contains(
            "::error title=shipgate install::version must be a release tag such as v0.1.0"
        ),
        "{d}"
    );
}

#[test]
fn the_repositorys_action_passes_fails_on_warnings_and_reports_bad_configs() {
    // GITHUB_ACTION_PATH is this repository; `version: source` takes the
    // source-build path (the fake cargo links the test binary).
    let server = serve(|path, _| match path {
        "/health" => Answer::json(200, r#"{"status":"ok"}"#),
        _ => Answer::json(404, "{}"),
    });
    let ws = clean_fixture();
    let mut sim = Sim::new(Path::new(REPO_ROOT), ws.path());
    sim.input("version", "source")
        .input("profile", "default")
        .input("base-url", &server.base)
        .input("sarif-file", "out/gate.sarif");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.code(), 0, "{d}");
    let o = &run.outputs;
    assert_eq!(o["verdict"], "pass", "{d}");
    assert_eq!(o["errors"], "0");
    assert_eq!(o["warnings"], "1");
    assert_eq!(
        o["sarif"],
        ws.path().join("out/gate.sarif").display().to_string()
    );
    assert!(Path::new(&o["sarif"]).is_file());
    assert!(Path::new(&o["report"]).is_file());
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&o["report"]).unwrap()).unwrap();
    assert_eq!(
        stage(&j, "smoke")["status"],
        "passed",
        "base-url reached the smoke stage"
    );
    assert!(
        run.gate().summary.starts_with("## shipgate: ✅ PASS"),
        "{}",
        run.gate().summary
    );

    // fail-on: warning turns the warning into a failure.
    sim.input("fail-on", "warning");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.code(), 1, "{d}");
    assert_eq!(run.outputs["verdict"], "fail", "{d}");
    assert_eq!(run.outputs["warnings"], "1");

    // A config that cannot be read: exit 2, and the verdict output still says something.
    sim.input("fail-on", "error")
        .input("config", "no-such.toml");
    let run = sim.run();
    let d = dump(&run);
    assert_eq!(run.gate().code, 2, "{d}");
    assert!(run.gate().stderr.contains("no-such.toml"), "{d}");
    assert_eq!(run.outputs["verdict"], "incomplete", "{d}");
}

#[test]
fn the_repository_manifest_is_well_formed() {
    let text =
        std::fs::read_to_string(Path::new(REPO_ROOT).join("action/sha256-manifest.txt")).unwrap();
    let targets = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ];
    let mut seen = std::collections::HashSet::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 3, "version target sha256: {line}");
        assert!(
            f[0].starts_with('v') && semver::Version::parse(&f[0][1..]).is_ok(),
            "{line}"
        );
        assert!(targets.contains(&f[1]), "{line}");
        assert!(
            f[2].len() == 64
                && f[2]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{line}"
        );
        assert!(seen.insert((f[0], f[1])), "duplicate: {line}");
    }
}
