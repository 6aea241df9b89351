//! Rust names from wire names: acronym-aware snake case (`InstanceIDs` → `instance_ids`), Pascal
//! case, keyword escaping, and de-duplication within a scope.

use std::collections::BTreeSet;

/// Splits a wire name into words: at non-alphanumeric characters, lower→upper changes,
/// digit→capital changes (digits stay with the letters around them: `CVE2021Count` → `CVE2021`,
/// `Count`; `3rdParty` → `3rd`, `Party`), and before the last capital of an acronym followed by
/// lower case (`HTTPServer` → `HTTP`, `Server`). An acronym followed by a plural `s` keeps it
/// (`IDs`, `URLs`), and `v4`/`v6` stay with `IP`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in name.split(|c: char| !is_word_char(c)) {
        if part.is_empty() {
            continue;
        }
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    (p.is_lowercase() && c.is_uppercase())
                        || (p.is_numeric() && c.is_uppercase())
                        || (p.is_uppercase()
                            && c.is_uppercase()
                            && next.is_some_and(char::is_lowercase)
                            && !plural_acronym(&chars, i + 1)
                            && !version_suffix(&chars, i + 1))
                }
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            // `IDs`: the plural `s` after an acronym ends the word.
            if c.is_uppercase()
                && plural_acronym(&chars, i + 1)
                && prev.is_some_and(char::is_uppercase)
            {
                cur.push('s');
                out.push(std::mem::take(&mut cur));
                i += 2;
                continue;
            }
            i += 1;
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// Whether `chars[at]` is a lone `s` closing an acronym (`IDs`, `IPs`): followed by nothing, a
/// capital or a digit.
fn plural_acronym(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'s')
        && chars
            .get(at + 1)
            .is_none_or(|c| c.is_uppercase() || c.is_numeric())
}

/// Whether `chars[at]` starts a `v` + digits suffix of an acronym (`IPv6`).
fn version_suffix(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'v') && chars.get(at + 1).is_some_and(|c| c.is_numeric())
}

/// `snake_case` of a wire name.
pub fn snake(name: &str) -> String {
    let w = words(name);
    let mut s = w
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.starts_with(|c: char| !unicode_ident::is_xid_start(c)) {
        s.insert(0, 'n');
    }
    s
}

/// `PascalCase` of a wire name.
pub fn pascal(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let lower = w.to_lowercase();
        let mut cs = lower.chars();
        if let Some(f) = cs.next() {
            s.extend(f.to_uppercase());
            s.push_str(cs.as_str());
        }
    }
    if s.starts_with(|c: char| !unicode_ident::is_xid_start(c)) {
        s.insert(0, 'V');
    }
    s
}

/// Whether a wire name yields any identifier at all.
pub fn has_identifier(name: &str) -> bool {
    name.chars().any(is_word_char)
}

/// A character kept in names: a letter or digit that Rust allows inside an identifier. Others
/// (`²`, `Ⓐ`, punctuation) separate words, so every name converts to a valid identifier.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && unicode_ident::is_xid_continue(c)
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Whether `ident` is a Rust keyword (strict, reserved or 2024 edition).
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// Makes a snake-case identifier usable as a field or function name: keywords become raw
/// identifiers (`r#type`), except those that cannot be raw, which get a trailing `_`.
pub fn field_ident(snake: &str) -> String {
    match snake {
        "self" | "super" | "crate" | "Self" | "_" => format!("{snake}_"),
        s if is_keyword(s) => format!("r#{s}"),
        s => s.to_owned(),
    }
}

/// Hands out unique names within one scope, in the order asked.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `base` if free, else `base` + `suffix`, else with numbers 2, 3, ….
    pub fn claim(&mut self, base: &str, joiner: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}{joiner}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Marks `name` as taken; false when it already was.
    pub fn insert(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_is_acronym_aware() {
        let cases = [
            ("InstanceIDs", "instance_ids"),
            ("InstanceId", "instance_id"),
            ("HTTPStatusCode", "http_status_code"),
            ("HttpStatusCode", "http_status_code"),
            ("VpcIds", "vpc_ids"),
            ("UUIDs", "uuids"),
            ("IPs", "ips"),
            ("URLsList", "urls_list"),
            ("IPv6Address", "ipv6_address"),
            ("DnsConfig.NameServer", "dns_config_name_server"),
            ("type", "type"),
            ("lang", "lang"),
            ("CVE2021Count", "cve2021_count"),
            ("3rdParty", "n3rd_party"),
            ("Ecs_Instance-ID", "ecs_instance_id"),
            ("isIDs", "is_ids"),
        ];
        for (input, want) in cases {
            assert_eq!(snake(input), want, "{input}");
        }
    }

    #[test]
    fn pascal_case() {
        assert_eq!(pascal("TASK_NOT_SUPPORT_REGION"), "TaskNotSupportRegion");
        assert_eq!(pascal("PRE_ANALYZER"), "PreAnalyzer");
        assert_eq!(pascal("zh"), "Zh");
        assert_eq!(pascal("Throttling.User"), "ThrottlingUser");
        assert_eq!(pascal("1"), "V1");
        assert_eq!(pascal("InstanceIDs"), "InstanceIds");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("name"), "name");
    }

    #[test]
    fn scopes_resolve_collisions_deterministically() {
        let mut s = Scope::with_reserved(&["extra_fields"]);
        assert_eq!(s.claim("a", "_"), "a");
        assert_eq!(s.claim("a", "_"), "a_2");
        assert_eq!(s.claim("extra_fields", "_"), "extra_fields_2");
    }
}
