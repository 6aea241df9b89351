//! A stable-toolchain stand-in for libFuzzer: runs a target over its seed corpus, then over
//! inputs mutated from it (bytes, and JSON trees when the input parses) for a while, catching
//! panics and saving each failing input. No coverage guidance: it is a smoke test that the
//! targets run and that shallow mutations find nothing; `cargo +nightly fuzz run` goes deeper.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Stop after this long (the seed corpus always runs whole).
    pub duration: Duration,
    /// Stop after this many runs, if sooner.
    pub max_runs: Option<u64>,
    /// The random seed (runs are reproducible for a given seed, corpus and duration).
    pub seed: u64,
    /// Seed inputs, one per file.
    pub corpus: PathBuf,
    /// Where failing inputs are saved.
    pub artifacts: PathBuf,
}

/// What a run did.
#[derive(Debug)]
pub struct Report {
    /// Inputs run.
    pub runs: u64,
    /// Seed inputs found.
    pub seeds: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// Failing inputs saved, with the panic message.
    pub failures: Vec<(PathBuf, String)>,
}

/// SplitMix64: small, fast, good enough for choosing mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// An element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Words that matter to the targets: spec keys and values, awkward names, JSON oddities.
pub const DICTIONARY: &[&str] = &[
    "type",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "object",
    "any",
    "format",
    "int32",
    "int64",
    "float",
    "double",
    "$ref",
    "#/components/schemas/",
    "#/components/schemas/Node",
    "properties",
    "items",
    "additionalProperties",
    "enum",
    "required",
    "name",
    "in",
    "query",
    "formData",
    "header",
    "style",
    "repeatList",
    "json",
    "flat",
    "simple",
    "schema",
    "parameters",
    "responses",
    "200",
    "errorCodes",
    "errorCode",
    "action",
    "methods",
    "get",
    "post",
    "security",
    "deprecated",
    "components",
    "schemas",
    "info",
    "RPC",
    "product",
    "version",
    "endpoints",
    "regionId",
    "endpoint",
    "crateName",
    "responseDemo",
    "changeHistory",
    "changes",
    "deleted",
    "added",
    "example",
    "default",
    "minimum",
    "maximum",
    "enumValueTitles",
    "Self",
    "self",
    "super",
    "crate",
    "match",
    "async",
    "r#type",
    "_",
    "",
    " ",
    "0",
    "1e400",
    "-0",
    "²",
    "\u{301}",
    "Ⅻ",
    "名前",
    "a.b",
    "A-B",
    "InstanceIDs",
    "Unknown",
    "Undocumented",
    "extra_fields",
    "Code",
    "Message",
    "RequestId",
    "Data",
    "TotalCount",
    "Status",
    "True",
    "%s",
    "Throttling.User",
    "*",
    "~",
    "%",
    "%2",
    "&",
    "=",
    "\u{0}",
    "\u{1}",
    "\u{FFFD}",
    "\u{10FFFF}",
];

/// Mutates `input` in place, 1–4 times.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        if rng.one_in(2) {
            if let Some(mutated) = mutate_json(rng, input) {
                *input = mutated;
                continue;
            }
        }
        mutate_bytes(rng, input, pool);
    }
}

fn mutate_bytes(rng: &mut Rng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    let len = input.len();
    match rng.below(8) {
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            const INTERESTING: &[u8] = b"\0\x01\xff\x7f\"{}[],:\\ -+.eE0123456789";
            input[i] = *rng.pick(INTERESTING).unwrap_or(&0);
        }
        2 => {
            let word = rng.pick(DICTIONARY).copied().unwrap_or_default();
            let at = rng.below(len + 1);
            let quoted = if rng.one_in(2) {
                format!("\"{word}\"")
            } else {
                word.to_owned()
            };
            input.splice(at..at, quoted.into_bytes());
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            input.drain(at..at + n);
        }
        4 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            let chunk: Vec<u8> = input[at..at + n].to_vec();
            let to = rng.below(len + 1);
            input.splice(to..to, chunk);
        }
        5 if len > 0 => input.truncate(rng.below(len)),
        6 => {
            if let Some(other) = rng.pick(pool) {
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - from).min(256));
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[from..from + n].iter().copied());
                }
            }
        }
        _ => {
            let at = rng.below(len + 1);
            input.insert(at, rng.next_u64() as u8);
        }
    }
}

/// A structure-aware mutation: when the input (after a leading byte that is not `{` or `[`,
/// the targets' mode byte) parses as JSON, change one node of the tree.
fn mutate_json(rng: &mut Rng, input: &[u8]) -> Option<Vec<u8>> {
    let skip = match input.first() {
        Some(b'{' | b'[' | b' ' | b'\n') => 0,
        Some(_) => 1,
        None => return None,
    };
    let mut value: Value = serde_json::from_slice(&input[skip..]).ok()?;
    let depth = rng.below(8);
    mutate_node(rng, &mut value, depth);
    let mut out = input[..skip].to_vec();
    let text = if rng.one_in(2) {
        serde_json::to_vec(&value)
    } else {
        serde_json::to_vec_pretty(&value)
    };
    out.extend(text.ok()?);
    Some(out)
}

/// Descends `depth` levels at random, then changes that node.
fn mutate_node(rng: &mut Rng, node: &mut Value, depth: usize) {
    if depth > 0 {
        match node {
            Value::Object(m) if !m.is_empty() => {
                let i = rng.below(m.len());
                if let Some((_, child)) = m.iter_mut().nth(i) {
                    return mutate_node(rng, child, depth - 1);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                return mutate_node(rng, &mut a[i], depth - 1);
            }
            _ => {}
        }
    }
    match (rng.below(7), node) {
        (0, Value::Object(m)) if !m.is_empty() => {
            let i = rng.below(m.len());
            if let Some(k) = m.keys().nth(i).cloned() {
                m.remove(&k);
            }
        }
        (1, Value::Object(m)) => {
            let k = rng.pick(DICTIONARY).copied().unwrap_or_default().to_owned();
            let v = random_value(rng, 2);
            m.insert(k, v);
        }
        (2, Value::Object(m)) if !m.is_empty() => {
            // Rename a key, keeping its value.
            let i = rng.below(m.len());
            if let Some(k) = m.keys().nth(i).cloned() {
                if let Some(v) = m.remove(&k) {
                    let new = rng.pick(DICTIONARY).copied().unwrap_or_default().to_owned();
                    m.insert(new, v);
                }
            }
        }
        (3, Value::Array(a)) if !a.is_empty() => {
            let i = rng.below(a.len());
            let copy = a[i].clone();
            a.push(copy);
        }
        (4, Value::Array(a)) if !a.is_empty() => {
            let i = rng.below(a.len());
            a.remove(i);
        }
        (_, n) => *n = random_value(rng, 2),
    }
}

/// A small random JSON value, biased toward spec shapes and dictionary words.
pub fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let word =
        |rng: &mut Rng| Value::String(rng.pick(DICTIONARY).copied().unwrap_or_default().to_owned());
    match rng.below(if depth == 0 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => Value::from(rng.next_u64() as i64 >> rng.below(64)),
        3 => serde_json::Number::from_f64(rng.next_u64() as f64 / 7.0)
            .map_or(Value::Null, Value::Number),
        4 | 5 => word(rng),
        6 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        7 => {
            let mut m = Map::new();
            for _ in 0..rng.below(4) {
                let k = rng.pick(DICTIONARY).copied().unwrap_or_default().to_owned();
                m.insert(k, random_value(rng, depth - 1));
            }
            Value::Object(m)
        }
        _ => {
            let ty = rng
                .pick(&[
                    "string", "integer", "number", "boolean", "array", "object", "any",
                ])
                .copied()
                .unwrap_or("string");
            let mut m = Map::new();
            m.insert("type".to_owned(), Value::String(ty.to_owned()));
            if rng.one_in(2) {
                m.insert("items".to_owned(), random_value(rng, depth - 1));
            }
            if rng.one_in(2) {
                let mut props = Map::new();
                props.insert(
                    rng.pick(DICTIONARY).copied().unwrap_or("A").to_owned(),
                    random_value(rng, depth - 1),
                );
                m.insert("properties".to_owned(), Value::Object(props));
            }
            Value::Object(m)
        }
    }
}

/// Seed inputs: every file in `dir`, sorted by name.
pub fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// FNV-1a, to name artifacts after their content.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Runs `target` over the corpus, then over mutated inputs until the time or run budget ends.
pub fn run(name: &str, target: crate::Target, opts: &Options) -> Report {
    let seeds = load_corpus(&opts.corpus);
    let mut pool: Vec<Vec<u8>> = if seeds.is_empty() {
        vec![Vec::new()]
    } else {
        seeds.clone()
    };
    let mut rng = Rng::new(opts.seed);
    let started = Instant::now();
    let mut report = Report {
        runs: 0,
        seeds: seeds.len(),
        elapsed: Duration::ZERO,
        failures: Vec::new(),
    };
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut inputs = seeds.into_iter();
    loop {
        let input = match inputs.next() {
            Some(seed) => seed,
            None => {
                if started.elapsed() >= opts.duration
                    || opts.max_runs.is_some_and(|m| report.runs >= m)
                {
                    break;
                }
                let mut input = rng.pick(&pool).cloned().unwrap_or_default();
                mutate(&mut rng, &mut input, &pool);
                input.truncate(64 * 1024);
                input
            }
        };
        report.runs += 1;
        let outcome = std::panic::catch_unwind(|| target(&input));
        match outcome {
            Ok(()) => {
                // Without coverage feedback, keep a few survivors so mutations can go deeper.
                if rng.one_in(16) {
                    if pool.len() < 512 {
                        pool.push(input);
                    } else {
                        let i = rng.below(pool.len());
                        pool[i] = input;
                    }
                }
            }
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                let _ = std::fs::create_dir_all(&opts.artifacts);
                let file = opts
                    .artifacts
                    .join(format!("{name}-crash-{:016x}", fnv(&input)));
                let _ = std::fs::write(&file, &input);
                if !report.failures.iter().any(|(f, _)| f == &file) {
                    report.failures.push((file, message));
                }
                if report.failures.len() >= 20 {
                    break;
                }
            }
        }
    }
    std::panic::set_hook(previous_hook);
    crate::cleanup();
    report.elapsed = started.elapsed();
    report
}

/// The workspace root at run time: the nearest directory at or above the current one whose
/// `Cargo.toml` has a `[workspace]` table. Never the path this crate was built from, which a
/// shared target directory would make another checkout's.
pub fn workspace_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    cwd.ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "no Cargo.toml with [workspace] at or above {}; run from inside the checkout \
                 or pass --workspace DIR",
                cwd.display()
            )
        })
}
