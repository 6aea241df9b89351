//! Credentials printed by a command: the `External` mode of the Alibaba Cloud CLI's profiles.
//!
//! The profile's `process_command` is split into arguments (quotes respected) and run directly,
//! never through a shell. The command prints one JSON object on standard output:
//! `{"mode": "AK" | "StsToken", "access_key_id", "access_key_secret", "sts_token"
//! (StsToken), "expiration" (optional, RFC 3339)}`. Its standard error goes to ours.

use super::cache::CredentialsCache;
use super::http::parse_expiration;
use super::provider::{Credentials, ProvideCredentials};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use serde_json::Value;
use std::process::Stdio;
use std::time::{Duration, SystemTime};
use tokio::io::AsyncReadExt as _;

/// How long the command may run: 60 s.
pub const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(60);
/// The most the command may print: 64 KiB.
pub const EXTERNAL_OUTPUT_LIMIT: usize = 64 * 1024;

const WHAT: &str = "external command";

/// Runs a command that prints credentials. Credentials with an `expiration` are cached and the
/// command is run again 3 minutes before they expire; credentials without one are kept.
/// Errors name the profile and the program, never its arguments or its output (either may
/// hold a secret).
#[derive(Debug)]
pub struct ExternalProvider {
    command: String,
    profile: Option<String>,
    timeout: Duration,
    cache: CredentialsCache,
}

impl ExternalProvider {
    /// A provider running `command` (a command line, split as a POSIX shell would, but not run
    /// by one).
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            profile: None,
            timeout: EXTERNAL_TIMEOUT,
            cache: CredentialsCache::new(),
        }
    }

    /// Names the CLI profile in errors.
    #[must_use]
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// How long the command may run (default [`EXTERNAL_TIMEOUT`]).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn label(&self, program: Option<&str>) -> String {
        let mut out = WHAT.to_owned();
        if let Some(p) = &self.profile {
            out.push_str(&format!(" of profile {p:?}"));
        }
        if let Some(program) = program {
            out.push_str(&format!(" ({program})"));
        }
        out
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let args = shlex::split(&self.command).ok_or_else(|| {
            CredentialsError::invalid(format!(
                "{}: process_command is not a valid command line (unbalanced quotes?)",
                self.label(None)
            ))
        })?;
        let Some((program, rest)) = args.split_first() else {
            return Err(CredentialsError::invalid(format!(
                "{}: process_command is empty",
                self.label(None)
            )));
        };
        let label = self.label(Some(program));
        let fail = |why: String| CredentialsError::new(format!("{label}: {why}"));
        let mut child = tokio::process::Command::new(program)
            .args(rest)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| fail(format!("could not be started: {e}")))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| fail("has no standard output".to_owned()))?;
        let collect = async {
            let mut out = Vec::new();
            (&mut stdout)
                .take(EXTERNAL_OUTPUT_LIMIT as u64 + 1)
                .read_to_end(&mut out)
                .await
                .map_err(|e| fail(format!("reading its output failed: {e}")))?;
            if out.len() > EXTERNAL_OUTPUT_LIMIT {
                return Err(fail(format!(
                    "printed more than {EXTERNAL_OUTPUT_LIMIT} bytes"
                )));
            }
            let status = child
                .wait()
                .await
                .map_err(|e| fail(format!("waiting for it failed: {e}")))?;
            Ok((status, out))
        };
        // On timeout or an oversized output the child is dropped, which kills it.
        let (status, out) = tokio::time::timeout(self.timeout, collect)
            .await
            .map_err(|_| fail(format!("did not finish within {:?}", self.timeout)))??;
        if !status.success() {
            return Err(fail(format!("failed ({status})")));
        }
        parse_output(&out).map_err(fail)
    }
}

impl ProvideCredentials for ExternalProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.run()))
    }
}

/// Reads the command's JSON; errors name fields, never values.
fn parse_output(out: &[u8]) -> Result<Credentials, String> {
    let json: Value =
        serde_json::from_slice(out).map_err(|e| format!("its output is not JSON ({e})"))?;
    let obj = json
        .as_object()
        .ok_or_else(|| "its output is not a JSON object".to_owned())?;
    let field = |key: &str| -> Result<Option<&str>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
            Some(_) => Err(format!("{key} in its output must be a string")),
        }
    };
    let need = |key: &str| field(key)?.ok_or_else(|| format!("its output has no {key}"));
    let mode = need("mode")?;
    let mut credentials = Credentials::new(need("access_key_id")?, need("access_key_secret")?);
    match mode {
        "AK" => {}
        "StsToken" => credentials = credentials.with_security_token(need("sts_token")?),
        _ => return Err("mode in its output must be AK or StsToken".to_owned()),
    }
    if let Some(exp) = field("expiration")? {
        let at = parse_expiration(exp)
            .ok_or_else(|| "expiration in its output is not an RFC 3339 UTC time".to_owned())?;
        if at <= SystemTime::now() {
            return Err("the credentials it printed have expired".to_owned());
        }
        credentials = credentials.with_expiration(at);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_errors_name_fields_never_values() {
        let e = parse_output(
            br#"{"mode":"StsToken","access_key_id":"id","access_key_secret":"hush-hush"}"#,
        )
        .unwrap_err();
        assert!(e.contains("sts_token"), "{e}");
        assert!(!e.contains("hush-hush"), "{e}");
        let e =
            parse_output(br#"{"mode":"RamRoleArn","access_key_id":"id","access_key_secret":"s"}"#)
                .unwrap_err();
        assert!(e.contains("AK or StsToken"), "{e}");
        let e = parse_output(br#"{"mode":"AK","access_key_id":1,"access_key_secret":"s"}"#)
            .unwrap_err();
        assert!(e.contains("must be a string"), "{e}");
        let c =
            parse_output(br#"{"mode":"AK","access_key_id":"id","access_key_secret":"s"}"#).unwrap();
        assert_eq!(c.access_key_id, "id");
        assert!(c.security_token.is_none() && c.expiration.is_none());
    }
}
