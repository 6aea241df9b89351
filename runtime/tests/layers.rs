//! The runtime's layering, checked from its sources: every `crate::…`, `super::…` and
//! child-module path of each file in `src/` is resolved to the file that defines the module it
//! names, and the resulting file graph must have no cycle. The request path (`src/wire/`) must
//! be a leaf: it refers to nothing else in the crate. Test modules (`#[cfg(test)] mod tests`)
//! are left out: they may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file and the module path it defines (`["credentials", "sts"]`).
struct File {
    module: Vec<String>,
    text: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn collect(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, File>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("reading src/")
        .map(|e| e.expect("reading src/").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            collect(&path, &p, out);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let mut module = prefix.to_vec();
            if stem != "mod" && stem != "lib" {
                module.push(stem.to_owned());
            }
            let text = std::fs::read_to_string(&path).expect("reading a source file");
            let rel = path
                .strip_prefix(src())
                .expect("under src/")
                .display()
                .to_string();
            out.insert(rel, File { module, text });
        }
    }
}

/// The code of `text` without comments, string literals and its test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Every path of `use` declarations (groups expanded) and every `crate::`/`super::`/`self::`
/// path written inline.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = find_word(rest, "use") {
        let after = &rest[i + 3..];
        let end = after.find(';').unwrap_or(after.len());
        expand(&[], after[..end].trim(), &mut out);
        rest = &after[end..];
    }
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            let boundary = at == 0
                || !text[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$');
            let mut end = at;
            let rest: Vec<char> = text[at..].chars().collect();
            let mut j = 0;
            while j < rest.len() && (rest[j].is_alphanumeric() || rest[j] == '_' || rest[j] == ':')
            {
                j += 1;
            }
            end += rest[..j].iter().map(|c| c.len_utf8()).sum::<usize>();
            if boundary {
                out.push(
                    text[at..end]
                        .split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            from = end.max(at + 1);
        }
    }
    out
}

fn find_word(s: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(word) {
        let at = from + i;
        let before = s[..at].chars().last();
        let after = s[at + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !ident(before) && !ident(after) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Expands `a::{b, c::{d, e}}` into full paths.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut p = prefix.to_vec();
        p.extend(head);
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&p, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&p, &inner[start..], out);
    } else {
        let tree = tree.split(" as ").next().unwrap_or(tree);
        let mut p = prefix.to_vec();
        p.extend(
            tree.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty() && (*s != "self" || prefix.is_empty()))
                .map(str::to_owned),
        );
        out.push(p);
    }
}

/// The file that defines the longest module prefix of `path`, as seen from `module`.
fn resolve(
    path: &[String],
    module: &[String],
    by_module: &BTreeMap<Vec<String>, String>,
) -> Option<String> {
    let mut abs: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super") => module[..module.len().saturating_sub(1)].to_vec(),
        Some("self") => module.to_vec(),
        Some(first) => {
            // A child module of this one, or nothing of ours (std, serde_json, …).
            let mut child = module.to_vec();
            child.push(first.to_owned());
            if !by_module.contains_key(&child) {
                return None;
            }
            module.to_vec()
        }
        None => return None,
    };
    let skip = usize::from(matches!(
        path.first().map(String::as_str),
        Some("crate" | "super" | "self")
    ));
    let mut best = by_module.get(&abs).cloned();
    for seg in &path[skip..] {
        if seg == "super" {
            abs.pop();
        } else {
            abs.push(seg.clone());
        }
        if let Some(f) = by_module.get(&abs) {
            best = Some(f.clone());
        }
    }
    best
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = BTreeMap::new();
    collect(&src(), &[], &mut files);
    let by_module: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|(name, f)| (f.module.clone(), name.clone()))
        .collect();
    files
        .iter()
        .map(|(name, f)| {
            let deps = paths(&code(&f.text))
                .iter()
                .filter_map(|p| resolve(p, &f.module, &by_module))
                .filter(|d| d != name)
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

/// A cycle of `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        stack.push(n.to_owned());
        for d in graph.get(n).into_iter().flatten() {
            match state.get(d.as_str()).copied().unwrap_or(0) {
                0 => {
                    if let Some(c) = visit(d, graph, state, stack) {
                        return Some(c);
                    }
                }
                1 => {
                    let from = stack.iter().position(|s| s == d).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_runtime_has_no_import_cycle() {
    let g = graph();
    assert!(g.len() > 10, "too few files found: {:?}", g.keys());
    if let Some(cycle) = find_cycle(&g) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_request_path_is_a_leaf() {
    let g = graph();
    let wire: Vec<_> = g.keys().filter(|k| k.starts_with("wire/")).collect();
    assert!(!wire.is_empty(), "src/wire/ not found");
    for file in wire {
        for dep in &g[file] {
            assert!(
                dep.starts_with("wire/"),
                "{file} depends on {dep}: the request path must not depend on the rest of the crate"
            );
        }
    }
}

#[test]
fn the_checker_sees_edges_and_cycles() {
    let g = graph();
    // Known edges, so that a parser that sees nothing cannot pass.
    assert!(g["client/call.rs"].contains("wire/mod.rs"), "{g:?}");
    assert!(g["credentials/sts.rs"].contains("wire/mod.rs"), "{g:?}");
    assert!(g["wire/mod.rs"].contains("wire/build.rs"), "{g:?}");
    let mut looped = g.clone();
    looped
        .entry("wire/build.rs".to_owned())
        .or_default()
        .insert("client/call.rs".to_owned());
    assert!(find_cycle(&looped).is_some());
}
