//! Garbage YAML and shell never panic.

use super::*;

/// Tiny xorshift for the garbage loops.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

#[test]
fn garbage_yaml_never_panics() {
    let atoms = [
        "on:",
        " ",
        "  ",
        "\n",
        "- ",
        "jobs:",
        "run: |",
        "run: >-",
        "steps:",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "'",
        "\\",
        "#",
        "&a ",
        "*a",
        "!tag ",
        "? ",
        "---\n",
        "...",
        "\t",
        "${{",
        "}}",
        "é",
        "matrix:",
        "include:",
        "x",
        "1.5",
        "true",
        "|2",
        "%YAML 1.2\n",
        "\r\n",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let n = (rng.next() % 60) as usize;
        let s: String = (0..n).map(|_| rng.pick(&atoms)).collect();
        if let Ok(wf) = workflow::parse_workflow("g.yml", &s) {
            for j in &wf.jobs {
                let _ = workflow::check_names(j);
            }
        }
    }
}

#[test]
fn garbage_shell_never_panics() {
    let atoms = [
        " ",
        "npm",
        "run",
        "x",
        "&&",
        "||",
        ";",
        ";;",
        "|",
        "&",
        "(",
        ")",
        "{",
        "}",
        "'",
        "\"",
        "\\",
        "\\\n",
        "\n",
        "$(",
        "`",
        "${{",
        "}}",
        "${",
        "$'",
        "<<EOF\n",
        "EOF\n",
        "<<-",
        ">",
        "2>&1",
        "<(",
        "#",
        "if",
        "then",
        "fi",
        "while",
        "do",
        "done",
        "case",
        "in",
        "esac",
        "set",
        "+e",
        "-e",
        "cd",
        "..",
        "!",
        "true",
        "exit",
        "0",
        "echo",
        "é",
        "f()",
        "function",
        "=",
        "A=1",
        "--if-present",
        "curl",
        "-X",
        "make",
        "-C",
        "just",
        "node",
    ];
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    for _ in 0..3000 {
        let n = (rng.next() % 50) as usize;
        let s: String = (0..n).map(|_| rng.pick(&atoms)).collect::<Vec<_>>().join(
            if rng.next().is_multiple_of(2) {
                " "
            } else {
                ""
            },
        );
        for c in sh(&s).iter().chain(sh_pkg(&s).iter()) {
            let _ = invocation::classify(c);
            let _ = invocation::check_kind(c);
        }
    }
    // Deep nesting is bounded.
    let deep = "(".repeat(10_000) + "npm test" + &")".repeat(10_000);
    let _ = sh(&deep);
    let deep = "{ ".repeat(5_000) + "npm test";
    let _ = sh(&deep);
    let _ = sh(&"f() ".repeat(20_000));
    let _ = sh(&"function f ".repeat(20_000));
    let _ = sh(&"if ".repeat(20_000));
    let _ = sh(&"$(".repeat(20_000));
}
