//! tsconfig (JSONC) reading: comments and trailing commas stripped, `outDir` and `extends`.

use serde_json::Value;

/// Strip `//` and `/* */` comments and trailing commas from JSONC (tsconfig) text.
pub fn strip_jsonc(text: &str) -> String {
    let no_comments = jsonc_pass(text, true);
    jsonc_pass(&no_comments, false)
}

/// One string-aware pass: drop comments (`comments`) or trailing commas (`!comments`).
fn jsonc_pass(text: &str, comments: bool) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        match ch {
            '"' => {
                out.push('"');
                i += 1;
                while let Some(&d) = c.get(i) {
                    out.push(d);
                    i += 1;
                    if d == '\\' {
                        if let Some(&e) = c.get(i) {
                            out.push(e);
                            i += 1;
                        }
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '/' if comments && c.get(i + 1) == Some(&'/') => {
                while c.get(i).is_some_and(|d| *d != '\n') {
                    i += 1;
                }
            }
            '/' if comments && c.get(i + 1) == Some(&'*') => {
                i += 2;
                while c.get(i).is_some() && !(c.get(i) == Some(&'*') && c.get(i + 1) == Some(&'/'))
                {
                    i += 1;
                }
                i += 2;
            }
            ',' if !comments => {
                let mut k = i + 1;
                while c.get(k).is_some_and(|d| d.is_whitespace()) {
                    k += 1;
                }
                if !matches!(c.get(k), Some('}' | ']')) {
                    out.push(',');
                }
                i += 1;
            }
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// `compilerOptions.outDir` and `extends` of a tsconfig text.
pub fn tsconfig_fields(text: &str) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_str::<Value>(&strip_jsonc(text)) else {
        return (None, None);
    };
    let out_dir = v
        .get("compilerOptions")
        .and_then(|c| c.get("outDir"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let extends = match v.get("extends") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(a)) => a.last().and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    (out_dir, extends)
}
