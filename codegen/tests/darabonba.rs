//! The Darabonba front-end on the real Security Center SDK specs in
//! `shared/alibaba-metadata/darabonba/` (read in place, never copied): every operation is read
//! and merged with the api-docs metadata. Skipped, saying so, when the files are absent.

use sas_codegen::dara;
use sas_codegen::import::Selection;
use std::path::PathBuf;

fn metadata() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared").join("alibaba-metadata"))
        .find(|p| p.join("darabonba").is_dir())
}

#[test]
fn the_official_darabonba_specs_import_in_full() {
    let Some(dir) = metadata() else {
        println!("SKIPPED: shared/alibaba-metadata/darabonba/ is not present; the Darabonba front-end was not checked against it");
        return;
    };
    let dara = dir.join("darabonba/sas-20181203.async.main.dara");
    let tea = dir.join("darabonba/sas-20181203.main.tea");
    let api = dir.join("sas-2018-12-03.api-docs.json");
    let read =
        |p: &PathBuf| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (dt, tt, at) = (read(&dara), read(&tea), read(&api));
    let surface = dara::read((&dara, &dt), Some((&tea, &tt))).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(surface.operations.len(), 959);
    assert_eq!(surface.not_in_tea.len(), 14);
    assert!(surface.only_in_tea.is_empty());
    assert_eq!(
        (surface.product.as_str(), surface.version.as_str()),
        ("Sas", "2018-12-03")
    );
    assert!(surface.endpoints.len() > 30);
    let (import, report) = dara::merge(&surface, Some((&api, &at)), &Selection::All)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(import.operations.len(), 959);
    assert_eq!(import.files.len(), 960);
    assert_eq!(
        (report.both.len(), report.added.len(), report.removed.len()),
        (661, 298, 18)
    );
    // Styles: every shrunk parameter of the Tea client is shrunk the same way in the .dara.
    let styles = |s: &str| import.files.iter().filter(|(_, t)| t.contains(s)).count();
    assert!(styles("\"style\": \"json\"") > 20);
    assert!(styles("\"style\": \"simple\"") >= 1);
    assert!(report
        .source_notes
        .values()
        .flatten()
        .all(|n| !n.contains("shrink")));
    // Facts only, marked as imported from Darabonba.
    for (file, text) in &import.files {
        let json: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(sas_codegen::facts::is_imported(&json), "{}", file.display());
        let v = if file.ends_with("product.json") {
            sas_codegen::facts::product_violations(&json)
        } else {
            sas_codegen::facts::violations(&json)
        };
        assert!(v.is_empty(), "{}: {v:?}", file.display());
    }
    // No prose: no descriptions, examples or error messages in any file.
    for (file, text) in &import.files {
        for key in [
            "\"description\"",
            "\"example\"",
            "\"errorMessage\"",
            "\"title\"",
        ] {
            assert!(!text.contains(key), "{} holds {key}", file.display());
        }
    }
}
