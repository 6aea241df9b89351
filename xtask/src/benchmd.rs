//! The sections of `BENCHMARKS.md` that benchmark commands write themselves.
//!
//! Each command owns the text between `<!-- <name>:begin -->` and `<!-- <name>:end -->` and
//! replaces it on every run, starting with where the figures come from: the command line, the
//! date, the machine and its load (`/proc/loadavg`, what `uptime` shows) before and after the
//! run. Nothing else in the file is touched, so prose around the markers stays as written.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The file the sections live in.
pub const FILE: &str = "BENCHMARKS.md";

fn begin(name: &str) -> String {
    format!("<!-- {name}:begin (written by the command below; do not edit by hand) -->")
}

fn end(name: &str) -> String {
    format!("<!-- {name}:end -->")
}

/// The arguments of a benchmark command that passes numeric options through to its driver:
/// `numeric` options with a number each (checked, returned in order) and `--no-write`.
/// Returns the pass-through arguments and whether to write the section.
pub fn bench_args(
    command: &str,
    args: &[String],
    numeric: &[&str],
    usage: &str,
) -> Result<(Vec<String>, bool), String> {
    let mut pass = Vec::new();
    let mut write = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            flag if numeric.contains(&flag) => {
                let v = it
                    .next()
                    .ok_or_else(|| format!("{a} needs a value\nusage: {usage}"))?;
                v.parse::<u32>()
                    .map_err(|_| format!("{a} {v:?}: not a number\nusage: {usage}"))?;
                pass.push(a.clone());
                pass.push(v.clone());
            }
            "--no-write" => write = false,
            other => {
                return Err(format!(
                    "{command}: unknown argument {other:?}\nusage: {usage}"
                ))
            }
        }
    }
    Ok((pass, write))
}

/// Replaces the text between the markers of `name` with `body`; appends a marked section when
/// the markers are missing. Fails when only one marker is there, or they are out of order.
pub fn replace_marked(doc: &str, name: &str, body: &str) -> Result<String, String> {
    let (b, e) = (begin(name), end(name));
    let block = format!("{b}\n{}\n{e}", body.trim_end());
    let find = |marker: &str| doc.find(&marker[..marker.find(" (").unwrap_or(marker.len())]);
    match (find(&b), doc.find(&e)) {
        (Some(start), Some(stop)) if start < stop => Ok(format!(
            "{}{block}{}",
            &doc[..start],
            &doc[stop + e.len()..]
        )),
        (None, None) => {
            let head = if doc.trim().is_empty() {
                "# Benchmarks\n".to_owned()
            } else {
                doc.trim_end().to_owned() + "\n"
            };
            Ok(format!("{head}\n{block}\n"))
        }
        _ => Err(format!(
            "{FILE}: the markers of {name} are incomplete or out of order; fix them by hand"
        )),
    }
}

/// Writes `body` into the section `name` of `BENCHMARKS.md` at `root`.
pub fn write_section(root: &Path, name: &str, body: &str) -> Result<(), String> {
    let path = root.join(FILE);
    let old = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let new = replace_marked(&old, name, body)?;
    std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote the {name} section of {FILE}");
    Ok(())
}

/// The load average as `uptime` shows it (1, 5 and 15 minutes), from `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Cores and memory of this machine.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or("unknown memory".to_owned(), |kib| {
            format!("{:.0} GiB", kib as f64 / 1_048_576.0)
        });
    format!("{cores} cores, {mem}")
}

/// `YYYY-MM-DD HH:MM UTC` of `secs` since the Unix epoch (the civil-from-days algorithm).
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3_600,
        rem % 3_600 / 60
    )
}

/// Now, as [`utc`] writes it.
pub fn now() -> String {
    utc(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()))
}

/// The provenance paragraph that opens a section: command, date, machine, load.
pub fn provenance(command: &str, started: &str, load_before: &str) -> String {
    format!(
        "Written by `{command}`, started {started}, on {} (load average before the run {load_before}, \
         after {}; 1, 5 and 15 minutes, as `uptime` shows them).\n",
        machine(),
        load_average()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_marked_text_is_replaced() {
        let doc = format!(
            "# Benchmarks\n\nprose\n\n{}\nold\nfigures\n{}\n\nmore prose\n",
            begin("x"),
            end("x")
        );
        let out = replace_marked(&doc, "x", "new").unwrap();
        assert_eq!(
            out,
            format!(
                "# Benchmarks\n\nprose\n\n{}\nnew\n{}\n\nmore prose\n",
                begin("x"),
                end("x")
            )
        );
        assert_eq!(replace_marked(&out, "x", "new").unwrap(), out, "idempotent");
        // Another command's section is left alone.
        let two = replace_marked(&out, "y", "other").unwrap();
        assert!(two.starts_with(&out.trim_end().to_string()));
        assert_eq!(
            replace_marked(&two, "x", "third")
                .unwrap()
                .matches("other")
                .count(),
            1
        );
    }

    #[test]
    fn a_missing_section_is_appended_and_broken_markers_refused() {
        let out = replace_marked("", "x", "body").unwrap();
        assert_eq!(
            out,
            format!("# Benchmarks\n\n{}\nbody\n{}\n", begin("x"), end("x"))
        );
        assert!(replace_marked(&format!("a\n{}\nb\n", end("x")), "x", "c").is_err());
        assert!(replace_marked(&format!("{}\n{}\n", end("x"), begin("x")), "x", "c").is_err());
    }

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_798_811_400), "2027-01-01 13:50 UTC");
    }
}
