//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.

mod api_diff;
mod bench;
mod benchmd;
mod ci;
mod corpus;
mod corpus_dara;
mod corpus_dir;
mod dara;
mod fuzz;
mod gen;
mod import;
mod interop;
mod interop_roa;
mod interop_surface;
mod msrv;
mod overhead;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

/// Generation builds and drops millions of small token trees; mimalloc makes that markedly faster
/// than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen [--check]      regenerate generated/ from spec/ (--check: fail if generated/ is stale)
  golden [--bless]   compare the emitter's output for the golden fixture spec with the committed
                     expected output (--bless: rewrite the expected output)
  api-diff [<git rev>|<spec dir>|--baseline] [--spec DIR] [--out DIR]
           [--format text|markdown|json] [--changelog] [--check-version] [--record-baseline]
                     the API changes from a base (default: the last commit) to the specs of
                     the working tree, each classified breaking or additive for the Rust API
                     and for the wire (rules: spec/README.md); --check-version: fail when
                     crateVersion does not match the changes since the release baseline;
                     --changelog: draft the Unreleased section of <out>/<crate>/CHANGELOG.md
                     (--out: default generated/, or only printed with --spec and no --out);
                     --record-baseline: record the specs as released (api-baseline.json);
                     --rules: print the classification table
  import <api-docs.json> [--operations A,B,…|--all] [--out DIR] [--force]
                     split an official product metadata file into spec files (default --all,
                     --out spec/<product>/<version>); refuses to overwrite a changed file
                     unless --force
  import-dara [--dara F] [--tea F|--no-tea] [--api-docs F|--no-api-docs]
              [--operations A,B,…|--all] [--out DIR] [--force] [--report] [--dry-run]
                     the current surface from Alibaba's Darabonba SDK spec (positions, styles
                     from the Tea client where the .dara lacks them), merged with the api-docs
                     metadata (error codes kept; operations gone from the API dropped);
                     defaults: the files in ../shared/alibaba-metadata/; --report lists every
                     operation added, removed and every difference
  corpus <api-docs.json>
                     import every operation into target/corpus, generate a standalone crate,
                     build it and decode every documented example (from the metadata); fails
                     unless all pass and every member kept in extra_fields is in
                     tests/corpus-allowlist.json
  corpus <directory> [--gen-only] [--compile P,Q,…] [--products P,Q,…] [--no-strict]
                     every product file of the folder (one product per *.json): import, generate
                     (operations that cannot be generated are skipped and listed), build and
                     decode the examples (all, or only --compile's; none with --gen-only); one
                     table row per product; fails unless every product is complete
  corpus-dara [--work DIR] [--gen-only]
                     import the Darabonba surface (all operations) into target/corpus-dara,
                     check a second import changes nothing, generate, build, and decode a
                     synthesised response per operation with nothing left in extra_fields
  bench-gen [<api-docs.json>] [--runs N] [--skip-aws] [--gen-only] [--no-write]
                     measure generation time, build time, memory and lines of code of the
                     whole product, of 10 operations, and of aws-sdk-ec2 (slow: many minutes);
                     a full run writes its section of BENCHMARKS.md (not --gen-only/--no-write)
  interop            our Rust clients next to the official Python SDK (alibabacloud-sas20181203,
                     pinned in tests/interop/requirements.txt, installed into .venv-interop/)
                     against a loopback verifier that checks signatures with the official
                     library's own code; fails if any request differs or is rejected
  interop-surface [--spec DIR] [--all]
                     every operation (default: a fixed sample of the committed crate) with every
                     parameter set, sent by our client and by the official Python SDK's real
                     client to the verifier; fails on a rejected or different request
  interop-roa [--products DIR]
                     the ROA request path: three ROA products (Tingwu 2023-09-30, Ververica
                     2022-07-18, ACM 2020-02-06) imported from the development corpus, every operation sent by
                     our client and by its official Python SDK to the verifier; method, path,
                     query, header parameters, content type and JSON body bytes must be equal
  bench-load [--calls N] [--concurrency N] [--rounds N] [--no-write]
                     client CPU per call and calls per second, Rust client vs the official
                     Python SDK, on loopback; writes its section of BENCHMARKS.md
  bench-overhead [--calls N] [--rounds N] [--no-write]
                     client CPU per call of the generated client and of a bare reqwest POST of
                     the same shape, in one run, at 1 and 64 in flight, and their ratio;
                     writes its section of BENCHMARKS.md
  fuzz-smoke [--seconds N] [--runs N] [--seed N] [--target NAME]
                     run each fuzz target (fuzz/) over its seed corpus and mutated inputs on
                     stable, a few seconds each; see fuzz/README.md for libFuzzer runs
  msrv               check that no locked package (workspace and tests/consumer) needs a
                     newer Rust than the declared rust-version
  ci                 everything CI runs: fmt, clippy -D warnings, gen --check, golden,
                     api-diff --check-version, tests,
                     the corpus checks (api-docs, Darabonba) when the official metadata is
                     present, fuzz-smoke,
                     interop
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match find_root() {
        Ok(root) => {
            let _ = ROOT.set(root);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    let result = match cmd {
        "gen" => gen::run(rest),
        "api-diff" => api_diff::run(rest),
        "golden" => gen::golden(rest),
        "import" => import::run(rest),
        "import-dara" => dara::run(rest),
        "corpus" => corpus::run(rest),
        "corpus-dara" => corpus_dara::run(rest),
        "bench-gen" => bench::run(rest),
        "interop" => interop::run(rest),
        "interop-surface" => interop_surface::run(rest),
        "interop-roa" => interop_roa::run(rest),
        "bench-load" => interop::bench_load(rest),
        "bench-overhead" => overhead::run(rest),
        "fuzz-smoke" => fuzz::run(rest),
        "ci" => ci::run(rest),
        "msrv" => msrv::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, found at run time: the nearest directory at or above the current one
/// whose `Cargo.toml` has a `[workspace]` table (`cargo xtask` keeps the caller's directory).
/// Never the build-time `CARGO_MANIFEST_DIR`: with a target directory shared between two
/// checkouts, that would be whichever checkout built xtask last.
pub fn root() -> &'static Path {
    ROOT.get().map_or(Path::new("."), PathBuf::as_path)
}

static ROOT: OnceLock<PathBuf> = OnceLock::new();

fn find_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    cwd.ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "no Cargo.toml with [workspace] at or above {}; run cargo xtask inside the checkout",
                cwd.display()
            )
        })
}
