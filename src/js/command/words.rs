//! Shell word splitting: a command line → simple commands (lists of words).

/// Split a command line into simple commands (words), honouring quotes and escapes.
/// Redirections and their targets are dropped.
pub(super) fn split_commands(cmd: &str) -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut skip_next_word = false;
    let mut chars = cmd.chars().peekable();
    let finish =
        |cur: &mut String, in_word: &mut bool, words: &mut Vec<String>, skip: &mut bool| {
            if *in_word {
                if *skip {
                    *skip = false;
                } else {
                    words.push(std::mem::take(cur));
                }
                cur.clear();
                *in_word = false;
            }
        };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        _ => cur.push(d),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(e) => {
                    in_word = true;
                    cur.push(e);
                }
            },
            '#' if !in_word => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                finish(&mut cur, &mut in_word, &mut words, &mut skip_next_word);
                if !words.is_empty() {
                    cmds.push(std::mem::take(&mut words));
                }
            }
            ' ' | '\t' | '\r' => finish(&mut cur, &mut in_word, &mut words, &mut skip_next_word),
            '&' | '|' | ';' | '\n' | '(' | ')' => {
                if c == '&' && cur.ends_with('>') {
                    // `2>&1`
                    cur.clear();
                    in_word = false;
                    skip_next_word = false;
                    chars.next_if(|d| d.is_ascii_digit());
                    continue;
                }
                finish(&mut cur, &mut in_word, &mut words, &mut skip_next_word);
                chars.next_if(|d| *d == c);
                if !words.is_empty() {
                    cmds.push(std::mem::take(&mut words));
                }
            }
            '>' | '<' => {
                let digits_only = cur.chars().all(|d| d.is_ascii_digit());
                if digits_only {
                    cur.clear();
                    in_word = false;
                } else {
                    finish(&mut cur, &mut in_word, &mut words, &mut skip_next_word);
                }
                chars.next_if(|d| *d == c);
                if chars.peek() == Some(&'&') {
                    chars.next();
                    chars.next_if(|d| d.is_ascii_digit() || *d == '-');
                } else {
                    skip_next_word = true;
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    finish(&mut cur, &mut in_word, &mut words, &mut skip_next_word);
    if !words.is_empty() {
        cmds.push(words);
    }
    cmds
}
