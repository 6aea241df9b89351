//! Valid values listed in description bullets (`- **INIT**: text`).
//!
//! Official metadata rarely has an `enum`; its descriptions list the valid values instead, as a
//! markdown list of bold tokens after a line such as "Valid values:" (or its Chinese equivalent).
//! [`bullets`] reads every such bullet for documentation; [`listed_values`] decides, strictly,
//! whether a description *enumerates* the values of its schema, which is what the importer turns
//! into an explicit `enum`. The generator itself never infers an enum from prose.

/// One `- **VALUE**: text` bullet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bullet {
    /// The bold token, markdown escapes removed (`TASK\_X` → `TASK_X`), colons trimmed.
    pub value: String,
    /// The text after the token and its colon.
    pub text: String,
    /// Whether another bold token follows on the same bullet (`- **3**, **4**: other`).
    pub several: bool,
}

/// A markdown list item: its indentation (tabs count 4) and the text after the marker.
fn list_item(line: &str) -> Option<(usize, &str)> {
    let rest = line.trim_start();
    let indent: usize = line[..line.len() - rest.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let mut chars = rest.chars();
    let marker = chars.next()?;
    let after = chars.as_str();
    if matches!(marker, '-' | '*' | '+') && after.starts_with([' ', '\t']) {
        Some((indent, after.trim_start()))
    } else {
        None
    }
}

/// Removes markdown backslash escapes (`\_`, `\*`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// The bold token at the start of a list item's text.
fn bold_bullet(item: &str) -> Option<Bullet> {
    let after = item.strip_prefix("**")?;
    let end = after.find("**")?;
    let value = unescape(&after[..end]);
    let value = value.trim().trim_end_matches([':', '：']).trim().to_owned();
    if value.is_empty() {
        return None;
    }
    let rest = after[end + 2..].trim_start();
    let several = rest
        .trim_start_matches(['、', ',', '，', '/', ' ', '\t'])
        .starts_with("**");
    let text = rest
        .strip_prefix([':', '：'])
        .unwrap_or(rest)
        .trim()
        .to_owned();
    Some(Bullet {
        value,
        text,
        several,
    })
}

/// Every `- **VALUE**: text` bullet of a description, at any depth (for documentation).
pub fn bullets(description: &str) -> Vec<Bullet> {
    description
        .lines()
        .filter_map(list_item)
        .filter_map(|(_, item)| bold_bullet(item))
        .collect()
}

/// Phrases that introduce a list of valid values (matched in lower case, in the last clause of
/// the line before the list).
const INTRODUCERS: &[&str] = &[
    "valid value",
    "possible value",
    "allowed value",
    "acceptable value",
    "supported value",
    "enumeration value",
    "enumerated value",
    "values:",
    "values are",
    "values include",
    "one of the following",
    "取值",
    "可选值",
    "枚举值",
    "有效值",
];

/// Phrases that show the list describes something else: fields of a JSON value, or the
/// items of a separated list (a value holding several of them is not one of them).
const NOT_VALUES: &[&str] = &[
    "field",
    "json",
    "separated",
    "comma",
    "semicolon",
    "以下字段",
    "字段说明",
    "字段如下",
    "以下参数",
    "参数说明",
    "分隔",
    "分割",
    "隔开",
    "逗号",
    "分号",
];

/// Whether `line` introduces a list of valid values: its last clause names valid values and
/// ends with a colon or with that phrase, and nothing in it says the list is about fields, JSON
/// or separated lists.
fn introduces_values(line: &str) -> bool {
    let l = line.trim().trim_end_matches("**").trim_end();
    let lower = l.to_lowercase();
    let colon = lower.ends_with([':', '：']);
    let ends_with_phrase = INTRODUCERS
        .iter()
        .any(|p| lower.ends_with(p) || lower.strip_suffix('s').is_some_and(|l| l.ends_with(p)));
    if !colon && !ends_with_phrase {
        return false;
    }
    if NOT_VALUES.iter().any(|p| mentions(&lower, p)) {
        return false;
    }
    let last = lower
        .rsplit(['。', '；', ';', '，', ','])
        .next()
        .unwrap_or(&lower);
    let last = last.rsplit(". ").next().unwrap_or(last);
    INTRODUCERS.iter().any(|p| last.contains(p))
}

/// Whether `text` mentions `phrase`: English phrases as whole words (`field`, `fields`, but not
/// `subfield`), others anywhere.
fn mentions(text: &str, phrase: &str) -> bool {
    if !phrase.is_ascii() {
        return text.contains(phrase);
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let rest = text[end..].strip_prefix('s').unwrap_or(&text[end..]);
        let after = rest.chars().next();
        if !before.is_some_and(|c| c.is_ascii_alphabetic())
            && !after.is_some_and(|c| c.is_ascii_alphabetic())
        {
            return true;
        }
        from = end;
    }
    false
}

/// Whether a line is only a documentation-site marker such as `<props="china">`.
fn is_marker(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('<') && t.ends_with('>') && !t[1..].contains('<')
}

/// A token that can be a value: printable ASCII without spaces, markdown, quotes or brackets
/// (`WHITE_LIST_[ID]` is a template for values, not a value).
fn is_token(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 128
        && v.bytes().all(|b| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b'*' | b'`' | b'"' | b'\\' | b'[' | b']' | b'{' | b'}' | b'<' | b'>'
                )
        })
}

/// The valid values a description enumerates, with their bullet texts, when it clearly does:
/// exactly one list whose introducing line names valid values (see [`introduces_values`]), whose
/// items are all single bold tokens at one level (a nested list describes structure, not
/// values), and whose tokens are printable ASCII. `None` otherwise.
pub fn listed_values(description: &str) -> Option<Vec<(String, String)>> {
    let text = description.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Vec<Vec<(String, String)>> = Vec::new();
    let mut rejected = false;
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _)) = list_item(lines[i]) else {
            i += 1;
            continue;
        };
        // The list runs to the first non-blank line that is neither an item nor indented
        // beyond the first item (a continuation of the item's text).
        let start = i;
        let mut end = i + 1;
        while end < lines.len() {
            let l = lines[end];
            let deeper = l.len() - l.trim_start().len() > indent + 1;
            if l.trim().is_empty() || list_item(l).is_some() || deeper {
                end += 1;
            } else {
                break;
            }
        }
        i = end;
        let intro = lines[..start]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty() && !is_marker(l));
        let Some(intro) = intro else {
            continue;
        };
        if list_item(intro).is_some() || !introduces_values(intro) {
            continue;
        }
        let mut values: Vec<(String, String)> = Vec::new();
        let mut ok = true;
        for l in &lines[start..end] {
            let Some((ind, item)) = list_item(l) else {
                continue;
            };
            match bold_bullet(item) {
                Some(b) if ind < indent + 2 && !b.several && is_token(&b.value) => {
                    if !values.iter().any(|(v, _)| *v == b.value) {
                        values.push((b.value, b.text));
                    }
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && !values.is_empty() {
            found.push(values);
        } else {
            rejected = true;
        }
    }
    // Two lists (values under different conditions) or a rejected one beside an accepted one are
    // not a clear enumeration.
    if rejected || found.len() != 1 {
        return None;
    }
    found.pop()
}

/// `- **VALUE**: text` bullets of a description, value → text (full-width colons too).
pub fn bullet_docs(description: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for b in bullets(description) {
        out.entry(b.value).or_insert(b.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(d: &str) -> Option<Vec<String>> {
        listed_values(d).map(|v| v.into_iter().map(|(v, _)| v).collect())
    }

    #[test]
    fn valid_values_lists_become_values() {
        let d = "The status. Valid values:\n\n- **INIT**: initial\n- **TASK\\_NOT\\_SUPPORT_REGION**\u{ff1a} not here\n - **cn-hangzhou\u{ff1a}** center\n";
        assert_eq!(
            listed_values(d),
            Some(vec![
                ("INIT".to_owned(), "initial".to_owned()),
                ("TASK_NOT_SUPPORT_REGION".to_owned(), "not here".to_owned()),
                ("cn-hangzhou".to_owned(), "center".to_owned()),
            ])
        );
        assert_eq!(
            values("\u{72b6}\u{6001}\u{3002}\u{53d6}\u{503c}\u{ff1a}\n- **a**\n- **b**"),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(
            values("Valid values:\n- **a**: text\n  continued\n- **b**"),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
    }

    #[test]
    fn prose_fields_and_nested_lists_are_not_values() {
        // No introducing line.
        assert_eq!(values("- **a**: x\n- **b**: y"), None);
        // Bold words in prose.
        assert_eq!(values("Set it to **a** or **b**."), None);
        // Fields of a JSON value.
        assert_eq!(
            values("A JSON string with the following fields:\n- **name**: n\n- **value**: v"),
            None
        );
        // A nested list: structure.
        assert_eq!(values("Valid values:\n- **a**: x\n    - **b**: y"), None);
        // Conditional lists below plain items.
        assert_eq!(
            values("Valid values:\n- when X:\n    - **a**\n- when Y:\n    - **b**"),
            None
        );
        // A mention of fields or JSON as words (`AccessKey` is fine).
        assert_eq!(values("JSON, key valid values:\n- **a**"), None);
        assert_eq!(values("The fields. Valid values:\n- **a**"), None);
        assert_eq!(
            values("AccessKey status. Valid values:\n- **a**"),
            Some(vec!["a".to_owned()])
        );
        // An introducing phrase without its colon.
        assert_eq!(
            values("The type. Valid values\n- **a**"),
            Some(vec!["a".to_owned()])
        );
        // Site markers between the introducing line and the list are skipped.
        assert_eq!(
            values("Valid values:\n<props=\"china\">\n- **a**\n</props>"),
            Some(vec!["a".to_owned()])
        );
        // Separated lists.
        assert_eq!(
            values("Separate several with commas (,). Valid values:\n- **a**\n- **b**"),
            None
        );
        // Several tokens on one bullet.
        assert_eq!(values("Valid values:\n- **3**, **4**: other"), None);
        // Values that are not tokens, or templates of values.
        assert_eq!(values("Valid values:\n- **two words**: x"), None);
        assert_eq!(
            values("Valid values:\n- **A**\n- **WHITE_LIST_[ID]**"),
            None
        );
        // Two lists.
        assert_eq!(
            values("Valid values:\n- **a**\n\nIn region Y, valid values:\n- **b**"),
            None
        );
    }

    #[test]
    fn bullets_read_every_bold_item() {
        let b = bullets("x\n- **a**: one\n  - **b\\_c**\u{ff1a}two\n- plain");
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].value, "b_c");
        assert_eq!(b[1].text, "two");
    }
}
