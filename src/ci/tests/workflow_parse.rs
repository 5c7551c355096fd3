//! Workflow parsing: exact positions of block, folded and quoted `run:` scalars, matrix check
//! names, malformed YAML.

use super::*;

#[test]
fn block_scalar_positions_are_exact() {
    let wf = "on: [pull_request]
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Checks
        run: |
          npm ci
          echo \"checking\"

          npm run typecheck --if-present
";
    let r = run(&[
        (".github/workflows/ci.yml", wf),
        ("package.json", r#"{"scripts":{}}"#),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1);
    assert_eq!((ip[0].line, ip[0].column), (12, 11));
}

#[test]
fn folded_and_quoted_scalars_map_positions() {
    let src = "on: push
jobs:
  a:
    steps:
      - run: >
          echo one
          && npm run   x

          npm run y
      - run: \"echo \\\"hi\\\" && npm run z\"
";
    let wf = workflow::parse_workflow("w.yml", src).unwrap();
    let steps = &wf.jobs[0].steps;
    let r0 = steps[0].run.as_ref().unwrap();
    assert_eq!(r0.text, "echo one && npm run   x\nnpm run y\n");
    let cmds = shell::parse(
        &r0.text,
        &r0.map,
        &ShellOptions::github_default(Some(String::new())),
    );
    let y = cmds
        .iter()
        .find(|c| c.words.get(2).is_some_and(|w| w.text == "y"))
        .unwrap();
    assert_eq!((y.line, y.column), (9, 11));
    let x = cmds
        .iter()
        .find(|c| c.words.get(2).is_some_and(|w| w.text == "x"))
        .unwrap();
    assert_eq!((x.words[2].line, x.words[2].column), (7, 24));
    let r1 = steps[1].run.as_ref().unwrap();
    let cmds = shell::parse(
        &r1.text,
        &r1.map,
        &ShellOptions::github_default(Some(String::new())),
    );
    let z = &cmds[1];
    assert_eq!(words(z), vec!["npm", "run", "z"]);
    assert_eq!((z.words[2].line, z.words[2].column), (10, 38));
}

#[test]
fn matrix_check_names() {
    let src = "on: push
jobs:
  test:
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        node: [18, 20]
        exclude:
          - os: windows-latest
            node: 18
        include:
          - os: ubuntu-latest
            experimental: true
          - os: macos-latest
            node: 22
    steps: []
  named:
    name: Node ${{ matrix.node }} on ${{ matrix.os }}
    strategy:
      matrix:
        node: [3.10, '3.10']
        os: [linux]
    steps: []
  plain:
    steps: []
  dynamic:
    strategy:
      matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}
    steps: []
";
    let wf = workflow::parse_workflow("w.yml", src).unwrap();
    let names = |i: usize| workflow::check_names(&wf.jobs[i]);
    assert_eq!(
        names(0),
        vec![
            "test (ubuntu-latest, 18, true)",
            "test (ubuntu-latest, 20, true)",
            "test (windows-latest, 20)",
            "test (macos-latest, 22)",
        ]
    );
    assert_eq!(names(1), vec!["Node 3.1 on linux", "Node 3.10 on linux"]);
    assert_eq!(names(2), vec!["plain"]);
    assert_eq!(names(3), vec!["dynamic"]);
}

#[test]
fn malformed_yaml_is_an_error_value() {
    let e = workflow::parse_workflow("w.yml", "on: [push\njobs:\n  a: {\n").unwrap_err();
    assert!(e.line >= 1 && e.column >= 1, "{e:?}");
    let e = workflow::parse_workflow("w.yml", "jobs:\n  a: 1\n  a: 2\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(workflow::parse_workflow("w.yml", "- just\n- a list\n").is_err());
    let deep = "- ".repeat(5000) + "x";
    assert!(workflow::parse_workflow("w.yml", &deep).is_err());
    let r = run(&[(".github/workflows/bad.yml", "on: [push\n")]);
    assert_eq!(r.workflow_errors.len(), 1);
    assert_eq!(of(&r, WORKFLOW_PARSE).len(), 1);
}
