//! Whether a command is a check (test, lint, typecheck, build, audit), by script name or by
//! the tool it runs.

use super::super::shell::Command;
use super::{CheckKind, Invocation, classify, strip_wrappers};

/// Check kind of a package-script / make-target / just-recipe name (`test:e2e`, `type-check`).
pub fn script_kind(name: &str) -> Option<CheckKind> {
    let lower = name.to_ascii_lowercase();
    let segs: Vec<&str> = lower
        .split([':', '-', '_', '.', '/', ' '])
        .filter(|s| !s.is_empty())
        .collect();
    let has = |xs: &[&str]| segs.iter().any(|s| xs.contains(s));
    if has(&["typecheck", "tsc", "typings"])
        || (has(&["type", "types", "ts"]) && has(&["check", "checks", "test"]))
        || lower == "types"
    {
        return Some(CheckKind::Typecheck);
    }
    if has(&[
        "test",
        "tests",
        "e2e",
        "unit",
        "integration",
        "spec",
        "specs",
        "coverage",
        "cypress",
        "playwright",
        "jest",
        "vitest",
        "mocha",
        "ci",
        "verify",
        "validate",
        "smoke",
    ]) {
        return Some(CheckKind::Test);
    }
    if has(&[
        "lint",
        "eslint",
        "stylelint",
        "linter",
        "prettier",
        "biome",
        "check",
        "knip",
    ]) || (has(&["format", "fmt"]) && has(&["check"]))
    {
        return Some(CheckKind::Lint);
    }
    if has(&["audit", "security", "snyk", "vuln", "vulns"]) {
        return Some(CheckKind::Audit);
    }
    if has(&["build", "compile"]) {
        return Some(CheckKind::Build);
    }
    None
}

/// Is this command a check (test/lint/typecheck/build/audit)?
pub fn check_kind(cmd: &Command) -> Option<CheckKind> {
    let words = strip_wrappers(&cmd.words);
    let head = words.first()?;
    let args: Vec<&str> = words.iter().skip(1).map(|w| w.text.as_str()).collect();
    let name = head.text.rsplit('/').next().unwrap_or(&head.text);
    if let Some(kind) = manager_kind(name, &args) {
        return Some(kind);
    }
    match classify(cmd) {
        Invocation::RunScript { script, .. } => return script_kind(&script),
        Invocation::Make { targets, .. } => {
            return targets.first().and_then(|t| script_kind(&t.text));
        }
        Invocation::Just { recipe, .. } => return recipe.and_then(|r| script_kind(&r.text)),
        _ => {}
    }
    tool_kind(name, &args)
}

/// `npm audit`, `yarn npm audit`, `bun test`/`build`/`audit`: checks built into a manager.
fn manager_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    use CheckKind::*;
    match name {
        "npm" | "pnpm" | "yarn" => {
            let sub = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .copied()
                .unwrap_or("");
            if sub == "audit" || (name == "yarn" && sub == "npm" && args.contains(&"audit")) {
                return Some(Audit);
            }
            None
        }
        "bun" => match a0 {
            "test" => Some(Test),
            "build" => Some(Build),
            "audit" => Some(Audit),
            _ => None,
        },
        _ => None,
    }
}

/// Kind of a tool run directly. The families are tried in turn; a tool name appears in one
/// family only, or in several under mutually exclusive conditions (`next lint`/`next build`).
fn tool_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    test_runner_kind(name, args)
        .or_else(|| toolchain_kind(name, args))
        .or_else(|| typecheck_kind(name, args))
        .or_else(|| lint_kind(name, args))
        .or_else(|| build_or_audit_kind(name, args))
}

/// Test runners (`jest`, `playwright test`, `node --test`, `mvn test`, …).
fn test_runner_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    let has = |f: &str| args.contains(&f);
    use CheckKind::*;
    let kind = match name {
        "jest" | "vitest" | "mocha" | "ava" | "tap" | "karma" | "jasmine" | "pytest" | "uvu"
        | "rspec" | "phpunit" | "tape" | "wdio" | "detox" | "nextest" => Test,
        "playwright" if a0 == "test" => Test,
        "cypress" if a0 == "run" => Test,
        "node" if has("--test") => Test,
        "mvn" | "./mvnw" | "mvnw" if has("test") || has("verify") => Test,
        "gradle" | "gradlew" if has("test") || has("check") => Test,
        "dotnet" if a0 == "test" => Test,
        _ => return None,
    };
    Some(kind)
}

/// Language toolchains and task runners (`python -m pytest`, `go vet`, `cargo clippy`,
/// `deno check`, `nx run build`, …).
fn toolchain_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    let has = |f: &str| args.contains(&f);
    use CheckKind::*;
    let kind = match name {
        "python" | "python3"
            if args.windows(2).any(|w| {
                w.first() == Some(&"-m")
                    && matches!(
                        w.get(1),
                        Some(&("pytest" | "unittest" | "mypy" | "ruff" | "flake8" | "pylint"))
                    )
            }) =>
        {
            match args.iter().skip_while(|a| **a != "-m").nth(1).copied() {
                Some("mypy") => Typecheck,
                Some("ruff" | "flake8" | "pylint") => Lint,
                _ => Test,
            }
        }
        "react-scripts" | "ng" | "nx" | "vue-cli-service" | "turbo" | "lerna" | "craco" => {
            let task = args
                .iter()
                .filter(|a| !a.starts_with('-'))
                .find(|a| !matches!(**a, "run" | "run-many" | "affected" | "exec"))
                .copied();
            let t_flag = args
                .windows(2)
                .find(|w| matches!(w.first(), Some(&("-t" | "--target" | "--targets"))))
                .and_then(|w| w.get(1).copied());
            return t_flag.or(task).and_then(script_kind);
        }
        "go" => match a0 {
            "test" => Test,
            "vet" => Lint,
            "build" => Build,
            _ => return None,
        },
        "cargo" => match a0 {
            "test" | "nextest" => Test,
            "clippy" => Lint,
            "fmt" if has("--check") => Lint,
            "build" | "check" => Build,
            "audit" | "deny" => Audit,
            _ => return None,
        },
        "deno" => match a0 {
            "test" => Test,
            "lint" => Lint,
            "fmt" if has("--check") => Lint,
            "check" => Typecheck,
            _ => return None,
        },
        _ => return None,
    };
    Some(kind)
}

/// Type checkers (`tsc --noEmit`, `vue-tsc`, `svelte-check`, `astro check`, …).
fn typecheck_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    let has = |f: &str| args.contains(&f);
    use CheckKind::*;
    let kind = match name {
        "tsc" | "vue-tsc" => {
            if has("--noEmit")
                || has("--noemit")
                || args.iter().any(|a| a.starts_with("--noEmit=true"))
            {
                Typecheck
            } else {
                Build
            }
        }
        "svelte-check" | "mypy" | "pyright" | "basedpyright" => Typecheck,
        "astro" if a0 == "check" => Typecheck,
        "nuxi" | "nuxt" if a0 == "typecheck" => Typecheck,
        "flow" if a0.is_empty() || a0 == "check" => Typecheck,
        _ => return None,
    };
    Some(kind)
}

/// Linters and format checks (`eslint`, `biome check`, `prettier --check`, `supabase db lint`,
/// …).
fn lint_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    let has = |f: &str| args.contains(&f);
    use CheckKind::*;
    let kind = match name {
        "eslint" | "oxlint" | "stylelint" | "flake8" | "pylint" | "shellcheck" | "hadolint"
        | "actionlint" | "markdownlint" | "markdownlint-cli2" | "tflint" | "yamllint"
        | "commitlint" | "knip" | "depcheck" | "xo" | "standard" | "publint" | "attw"
        | "golangci-lint" | "ts-prune" | "lint-staged" | "sqlfluff" | "htmlhint" | "spectral" => {
            Lint
        }
        "next" if a0 == "lint" => Lint,
        "biome"
            if matches!(a0, "check" | "lint" | "ci" | "format")
                && !has("--write")
                && !has("--apply") =>
        {
            Lint
        }
        "prettier"
            if args
                .iter()
                .any(|a| matches!(*a, "--check" | "-c" | "--list-different" | "-l")) =>
        {
            Lint
        }
        "black" | "isort"
            if args
                .iter()
                .any(|a| a.starts_with("--check") || *a == "--diff") =>
        {
            Lint
        }
        "ruff" if a0 != "format" || has("--check") => Lint,
        "dprint" if a0 == "check" => Lint,
        "supabase" if args.windows(2).any(|w| w == ["db", "lint"]) => Lint,
        "supabase" if args.windows(2).any(|w| w == ["test", "db"]) => Test,
        _ => return None,
    };
    Some(kind)
}

/// Builds (`vite build`, `webpack`, `docker build`, …) and audits (`osv-scanner`, `snyk test`,
/// …).
fn build_or_audit_kind(name: &str, args: &[&str]) -> Option<CheckKind> {
    let a0 = args.first().copied().unwrap_or("");
    let has = |f: &str| args.contains(&f);
    use CheckKind::*;
    let kind = match name {
        "next" | "vite" | "nest" | "astro" | "remix" | "gatsby" | "parcel" | "svelte-kit"
        | "ncc" | "nuxi" | "nuxt"
            if a0 == "build" =>
        {
            Build
        }
        "webpack" | "rollup" | "tsup" | "esbuild" | "babel" | "swc" | "unbuild" | "pkgroll" => {
            Build
        }
        "docker"
            if a0 == "build"
                || (a0 == "buildx" && args.get(1) == Some(&"build"))
                || (a0 == "compose" && has("build")) =>
        {
            Build
        }
        "audit-ci" | "better-npm-audit" | "osv-scanner" | "trivy" | "grype" | "pip-audit"
        | "govulncheck" | "semgrep" | "gitleaks" | "trufflehog" | "retire" => Audit,
        "snyk" if a0 == "test" => Audit,
        _ => return None,
    };
    Some(kind)
}
