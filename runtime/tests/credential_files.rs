//! Credentials files under a temporary HOME as an operator (or an attacker) may leave them:
//! too-open permissions, a FIFO, a link to `/dev/zero`, an oversized file, fields of the wrong
//! type, a malformed file before a provider that answers; and the CLI's `External` mode.

#![cfg(unix)]

mod common;

use alibabacloud_runtime::credentials::{
    ChainProvider, CliProfileProvider, ExternalProvider, MapEnv, ProfileFileProvider,
    ProvideCredentials, ProviderContext,
};
use common::*;
use serde_json::json;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn ctx(home: &TempDir) -> ProviderContext {
    ProviderContext::new().with_env(Arc::new(
        MapEnv::new().with("HOME", home.path().to_string_lossy()),
    ))
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

const INI: &str =
    "[default]\ntype = access_key\naccess_key_id = file-id\naccess_key_secret = file-secret\n";

/// Captures `warn` events (and above) as text while alive.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Logs {
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .finish();
        (logs.clone(), tracing::subscriber::set_default(subscriber))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn group_or_world_readable_files_are_used_with_a_warning() {
    let home = TempDir::new();
    let path = home.write(".alibabacloud/credentials", INI);
    let (logs, _guard) = Logs::capture();

    chmod(&path, 0o600);
    let c = ProfileFileProvider::new(ctx(&home))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "file-id");
    assert!(!logs.text().contains("too open"), "{}", logs.text());

    for mode in [0o640, 0o604] {
        chmod(&path, mode);
        ProfileFileProvider::new(ctx(&home))
            .credentials()
            .await
            .unwrap();
        let text = logs.text();
        assert!(text.contains("too open"), "{text}");
        assert!(text.contains(&format!("{mode:04o}")), "{text}");
        assert!(text.contains("chmod 600"), "{text}");
        assert!(!text.contains("file-secret"), "{text}");
    }
}

#[tokio::test]
async fn a_fifo_is_refused_at_once_rather_than_hanging_the_chain() {
    let home = TempDir::new();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    let fifo = home.path().join(".aliyun/config.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let e = tokio::time::timeout(
        Duration::from_secs(5),
        CliProfileProvider::new(ctx(&home)).credentials(),
    )
    .await
    .expect("the provider must not block on a FIFO")
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(e.message.contains("not a regular file"), "{e}");
    assert!(e.is_invalid());
}

#[tokio::test]
async fn a_link_to_a_device_and_an_oversized_file_are_refused() {
    let home = TempDir::new();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    let link = home.path().join(".alibabacloud/credentials");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let e = ProfileFileProvider::new(ctx(&home))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");

    let big = home.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(alibabacloud_runtime::credentials::MAX_FILE_SIZE + 1)
        .unwrap();
    let e = CliProfileProvider::new(ctx(&home))
        .with_path(&big)
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("larger than"), "{e}");
    assert!(e.is_invalid());

    // A missing file is not an invalid configuration: the provider is just not configured.
    let e = CliProfileProvider::new(ctx(&home))
        .credentials()
        .await
        .unwrap_err();
    assert!(!e.is_invalid(), "{e}");
}

#[tokio::test]
async fn wrong_types_are_named_as_wrong_types_not_as_missing() {
    let home = TempDir::new();
    let cases = [
        (
            json!({"current": "p", "profiles": [{"name": "p", "mode": "AK", "access_key_id": 12345, "access_key_secret": "s3cr3t"}]}),
            "access_key_id must be a string, not a number",
        ),
        (
            json!({"current": "p", "profiles": [{"name": "p", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "s3cr3t", "ram_role_arn": "r", "enable_vpc": "yes"}]}),
            "enable_vpc must be true or false, not a string",
        ),
        (
            json!({"current": "p", "profiles": [{"name": "p", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "s3cr3t", "ram_role_arn": "r", "expired_seconds": [1]}]}),
            "expired_seconds must be a number, not an array",
        ),
        (
            json!({"current": "p", "profiles": {"name": "p"}}),
            "profiles must be an array, not an object",
        ),
        (
            json!({"current": 7, "profiles": []}),
            "current must be a string, not a number",
        ),
        (
            json!(["not", "an", "object"]),
            "an array, not a JSON object",
        ),
    ];
    for (config, expected) in cases {
        home.write(".aliyun/config.json", &config.to_string());
        let e = CliProfileProvider::new(ctx(&home))
            .credentials()
            .await
            .unwrap_err();
        assert!(e.message.contains(expected), "{expected}: {e}");
        assert!(!e.message.contains("is missing"), "{e}");
        assert!(!e.message.contains("s3cr3t"), "{e}");
        assert!(e.is_invalid());
    }
    home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = ram_role_arn\naccess_key_id = a\naccess_key_secret = s\nrole_arn = r\nduration_seconds = soon\n",
    );
    let e = ProfileFileProvider::new(ctx(&home))
        .credentials()
        .await
        .unwrap_err();
    assert!(
        e.message
            .contains("duration_seconds must be a whole number"),
        "{e}"
    );
}

#[tokio::test]
async fn a_malformed_file_stays_in_the_chains_report_when_a_later_provider_answers() {
    let home = TempDir::new();
    home.write(
        ".aliyun/config.json",
        "{\"current\": \"default\", \"profiles\": [",
    );
    let ini = home.write(".alibabacloud/credentials", INI);
    chmod(&ini, 0o600);
    let (logs, _guard) = Logs::capture();
    let env = MapEnv::new()
        .with("HOME", home.path().to_string_lossy())
        .with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    let chain = ChainProvider::default_chain(ProviderContext::new().with_env(Arc::new(env)));
    let c = chain.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "file-id");
    assert_eq!(chain.last_used(), Some("credentials file"));
    let skipped = chain.skipped();
    let cli = skipped
        .iter()
        .find(|(name, _)| *name == "CLI profile")
        .expect("the CLI profile's failure is kept");
    assert!(cli.1.is_invalid());
    assert!(cli.1.message.contains("not valid JSON"), "{}", cli.1);
    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("not valid JSON"), "{text}");
    assert!(text.contains("CLI profile"), "{text}");
    // Providers that are merely not configured are kept in the report, not warned about.
    assert!(skipped
        .iter()
        .any(|(name, e)| *name == "environment" && !e.is_invalid()));
    assert!(!text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
}

// ---------------------------------------------------------------- External mode

/// A command line running a shell script. The script is read by `sh`, not executed itself:
/// executing a file just written can fail with ETXTBSY while another test thread forks.
fn script(home: &TempDir, name: &str, body: &str) -> String {
    let path = home.write(name, &format!("{body}\n"));
    format!("/bin/sh {}", path.to_string_lossy())
}

#[tokio::test]
async fn cli_profile_external_mode_runs_the_command_and_reads_its_json() {
    let home = TempDir::new();
    let helper = script(
        &home,
        "helper.sh",
        r#"[ "$1" = "--role" ] && [ "$2" = "two words" ] || exit 3
echo '{"mode":"StsToken","access_key_id":"ext-id","access_key_secret":"ext-secret","sts_token":"ext-token","expiration":"2999-01-01T00:00:00Z"}'"#,
    );
    let config = json!({"current": "ext", "profiles": [
        {"name": "ext", "mode": "External", "process_command": format!("{helper} --role 'two words'")},
        {"name": "inferred", "process_command": format!("{helper} --role \"two words\"")},
    ]});
    home.write(".aliyun/config.json", &config.to_string());
    let c = CliProfileProvider::new(ctx(&home))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ext-id");
    assert_eq!(c.security_token.unwrap().expose(), "ext-token");
    assert!(c.expiration.is_some());
    let c = CliProfileProvider::new(ctx(&home))
        .with_profile("inferred")
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ext-id");
}

#[tokio::test]
async fn external_errors_name_the_profile_and_program_but_not_arguments_or_output() {
    let home = TempDir::new();
    let failing = script(
        &home,
        "fail.sh",
        "echo '{\"access_key_secret\":\"leaked\"}'; exit 2",
    );
    let e = ExternalProvider::new(format!("{failing} --password hunter2"))
        .with_profile("ops")
        .credentials()
        .await
        .unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("\"ops\""), "{shown}");
    assert!(shown.contains("/bin/sh"), "the program is named: {shown}");
    assert!(shown.contains("exit status: 2"), "{shown}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("leaked"),
        "{shown}"
    );

    let wrong = script(
        &home,
        "wrong.sh",
        "echo '{\"mode\":\"AK\",\"access_key_id\":\"id\"}'",
    );
    let e = ExternalProvider::new(wrong)
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("access_key_secret"), "{e}");

    let slow = script(&home, "slow.sh", "sleep 30");
    let started = Instant::now();
    let e = ExternalProvider::new(slow)
        .with_timeout(Duration::from_millis(300))
        .credentials()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(e.message.contains("did not finish"), "{e}");

    let chatty = script(&home, "chatty.sh", "exec yes");
    let e = ExternalProvider::new(chatty)
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("more than"), "{e}");

    for bad in ["", "   ", "'unbalanced"] {
        let e = ExternalProvider::new(bad).credentials().await.unwrap_err();
        assert!(e.is_invalid(), "{bad:?}: {e}");
    }
    let e = ExternalProvider::new("/nonexistent/helper --secret x")
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("could not be started"), "{e}");
    assert!(!e.message.contains("--secret"), "{e}");
}
