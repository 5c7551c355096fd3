//! justfile recipes and aliases.

use super::make::MakeTargets;

/// Recipes of a justfile (plus aliases); `dynamic` when modules/imports make it undecidable.
pub fn just_recipes(text: &str) -> MakeTargets {
    let mut out = MakeTargets::default();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#', '[']) || line.trim().is_empty() {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        match first {
            "import" | "mod" | "import?" | "mod?" => {
                out.dynamic = true;
                continue;
            }
            "alias" => {
                if let Some(name) = line.split_whitespace().nth(1) {
                    out.targets.insert(name.trim_end_matches(':').to_string());
                }
                continue;
            }
            "set" | "export" => continue,
            _ => {}
        }
        let l = line.strip_prefix('@').unwrap_or(line);
        let name: String = l
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if name.is_empty() {
            continue;
        }
        let rest = l.get(name.len()..).unwrap_or("");
        // `name := value` is a variable; `name param="x": deps` is a recipe.
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (k, ch) in rest.char_indices() {
            match quote {
                Some(q) if ch == q => quote = None,
                Some(_) => {}
                None if ch == '"' || ch == '\'' => quote = Some(ch),
                None if ch == ':' => {
                    let after = rest.get(k + 1..).unwrap_or("");
                    if !after.starts_with('=') && prev != ':' {
                        out.targets.insert(name.clone());
                    }
                    break;
                }
                None => {}
            }
            prev = ch;
        }
    }
    out
}
