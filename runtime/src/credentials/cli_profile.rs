//! Credentials from a profile of the Alibaba Cloud CLI's `~/.aliyun/config.json`.

use super::context::ProviderContext;
use super::ecs::EcsRamRoleProvider;
use super::external::ExternalProvider;
use super::file_guard::{self, Holds};
use super::oidc::{OidcConfig, OidcProvider};
use super::provider::{Credentials, ProvideCredentials, SharedProvider, StaticProvider};
use super::ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
use super::uri::CredentialsUriProvider;
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The profile to use (both here and in `~/.alibabacloud/credentials`).
pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `true` disables this provider.
pub const CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

const WHAT: &str = "CLI profile";
/// How many `ChainableRamRoleArn` source profiles may be followed.
const MAX_CHAIN: usize = 8;

/// Credentials from the profile named by `ALIBABA_CLOUD_PROFILE`, else the file's `current`.
/// Modes: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`,
/// `CredentialsURI`, `External` (`process_command`, see [`ExternalProvider`]). The file is read
/// on first use (again after a failure, not after success), through the checks of
/// [`MAX_FILE_SIZE`](super::MAX_FILE_SIZE): a regular file, not too large, a `warn` event when
/// group or others can access it. A field of the wrong type is named as such.
#[derive(Debug)]
pub struct CliProfileProvider {
    ctx: ProviderContext,
    profile: Option<String>,
    path: Option<PathBuf>,
    inner: tokio::sync::OnceCell<SharedProvider>,
}

impl CliProfileProvider {
    /// A provider reading `$HOME/.aliyun/config.json`, with `HOME` from `ctx`.
    pub fn new(ctx: ProviderContext) -> Self {
        Self {
            ctx,
            profile: None,
            path: None,
            inner: tokio::sync::OnceCell::new(),
        }
    }

    /// Uses profile `name` instead of `ALIBABA_CLOUD_PROFILE` or the file's `current`.
    #[must_use]
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads `path` instead of `$HOME/.aliyun/config.json`.
    #[must_use]
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    fn load(&self) -> Result<SharedProvider, CredentialsError> {
        if self.ctx.flag(CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::new(format!(
                "{WHAT}: disabled by {CLI_PROFILE_DISABLED}=true"
            )));
        }
        let path = match &self.path {
            Some(p) => p.clone(),
            None => config_path(&self.ctx)?,
        };
        let config = read_config(&path)?;
        let current = text(&config, "current").map_err(|why| {
            CredentialsError::invalid(format!("{WHAT}: {}: {why}", path.display()))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.ctx.var(PROFILE))
            .or(current)
            .unwrap_or_else(|| "default".to_owned());
        provider_for(&self.ctx, &path, &config, &name, 0)
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let inner = self.inner.get_or_try_init(|| async { self.load() }).await?;
            inner.credentials().await
        })
    }
}

/// The region of the selected CLI profile (`region_id`), if the file and the profile exist.
pub fn cli_profile_region(ctx: &ProviderContext) -> Option<String> {
    if ctx.flag(CLI_PROFILE_DISABLED) {
        return None;
    }
    let path = config_path(ctx).ok()?;
    let config = read_config(&path).ok()?;
    let name = ctx
        .var(PROFILE)
        .or_else(|| string(&config, "current"))
        .unwrap_or_else(|| "default".to_owned());
    let profile = find_profile(&config, &name).ok()??;
    string(profile, "region_id")
}

fn config_path(ctx: &ProviderContext) -> Result<PathBuf, CredentialsError> {
    ctx.home()
        .map(|h| h.join(".aliyun").join("config.json"))
        .ok_or_else(|| CredentialsError::new(format!("{WHAT}: HOME is not set")))
}

/// Reads the file as JSON; errors give the path and a position, never the content.
fn read_config(path: &Path) -> Result<Map<String, Value>, CredentialsError> {
    let bytes = file_guard::read(path, WHAT, Holds::Secrets)?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(CredentialsError::invalid(format!(
            "{WHAT}: {} is {}, not a JSON object",
            path.display(),
            crate::wire::json_kind(&other)
        ))),
        Err(e) => Err(CredentialsError::invalid(format!(
            "{WHAT}: {} is not valid JSON ({e})",
            path.display()
        ))),
    }
}

/// `key` as trimmed text: `None` when absent, null or blank; an error naming the type (never
/// the value) when it is not a string.
fn text(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(other) => Err(format!(
            "{key} must be a string, not {}",
            crate::wire::json_kind(other)
        )),
    }
}

/// `key` as a boolean (absent: false); an error naming the type otherwise.
fn flag(obj: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "{key} must be true or false, not {}",
            crate::wire::json_kind(other)
        )),
    }
}

fn string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The profile called `name`; an error when `profiles` is not an array of objects.
fn find_profile<'a>(
    config: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, String> {
    let profiles = match config.get("profiles") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(format!(
                "profiles must be an array, not {}",
                crate::wire::json_kind(other)
            ))
        }
    };
    for (i, p) in profiles.iter().enumerate() {
        let p = p.as_object().ok_or_else(|| {
            format!(
                "profiles[{i}] must be an object, not {}",
                crate::wire::json_kind(p)
            )
        })?;
        if p.get("name").and_then(Value::as_str) == Some(name) {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

fn provider_for(
    ctx: &ProviderContext,
    path: &Path,
    config: &Map<String, Value>,
    name: &str,
    depth: usize,
) -> Result<SharedProvider, CredentialsError> {
    let in_file =
        |why: String| CredentialsError::invalid(format!("{WHAT}: {}: {why}", path.display()));
    let profile = find_profile(config, name)
        .map_err(in_file)?
        .ok_or_else(|| in_file(format!("no profile named {name:?}")))?;
    let mode_field = text(profile, "mode").map_err(in_file)?;
    // The official CLI infers External from process_command.
    let mode = match mode_field {
        Some(m) => m,
        None if profile.contains_key("process_command") => "External".to_owned(),
        None => String::new(),
    };
    let err = |why: String| {
        CredentialsError::invalid(format!(
            "{WHAT} {name:?} (mode {mode}) in {}: {why}",
            path.display()
        ))
    };
    let opt = |key: &str| text(profile, key).map_err(err);
    let need = |key: &str| opt(key)?.ok_or_else(|| err(format!("{key} is missing")));
    let role_config = || -> Result<RamRoleArnConfig, CredentialsError> {
        Ok(RamRoleArnConfig {
            role_arn: need("ram_role_arn")?,
            session_name: opt("ram_session_name")?,
            duration_seconds: duration(profile).map_err(err)?,
            policy: opt("policy")?,
            external_id: opt("external_id")?,
            sts_region: opt("sts_region")?,
            enable_vpc: flag(profile, "enable_vpc").map_err(err)?,
        })
    };
    let provider: SharedProvider = match mode.as_str() {
        "AK" => Arc::new(StaticProvider::new(Credentials::new(
            need("access_key_id")?,
            need("access_key_secret")?,
        ))),
        "StsToken" => Arc::new(StaticProvider::new(
            Credentials::new(need("access_key_id")?, need("access_key_secret")?)
                .with_security_token(need("sts_token")?),
        )),
        "RamRoleArn" => {
            let source: SharedProvider = Arc::new(StaticProvider::new(Credentials::new(
                need("access_key_id")?,
                need("access_key_secret")?,
            )));
            Arc::new(RamRoleArnProvider::new(ctx.clone(), source, role_config()?))
        }
        "ChainableRamRoleArn" => {
            if depth >= MAX_CHAIN {
                return Err(err(format!(
                    "more than {MAX_CHAIN} chained source profiles (a cycle?)"
                )));
            }
            let source_name = need("source_profile")?;
            let source = provider_for(ctx, path, config, &source_name, depth + 1)?;
            Arc::new(RamRoleArnProvider::new(ctx.clone(), source, role_config()?))
        }
        "EcsRamRole" => {
            let mut p = EcsRamRoleProvider::new(ctx.clone());
            if let Some(role) = opt("ram_role_name")? {
                p = p.with_role_name(role);
            }
            Arc::new(p)
        }
        "OIDC" => Arc::new(OidcProvider::with_config(
            ctx.clone(),
            OidcConfig {
                role_arn: need("ram_role_arn")?,
                provider_arn: need("oidc_provider_arn")?,
                token_file: PathBuf::from(need("oidc_token_file")?),
                session_name: opt("ram_session_name")?,
                duration_seconds: duration(profile).map_err(err)?,
                policy: opt("policy")?,
                sts_region: opt("sts_region")?,
                enable_vpc: flag(profile, "enable_vpc").map_err(err)?,
            },
        )),
        "CredentialsURI" => {
            Arc::new(CredentialsUriProvider::new(ctx.clone()).with_uri(need("credentials_uri")?))
        }
        "External" => Arc::new(ExternalProvider::new(need("process_command")?).with_profile(name)),
        "" => return Err(err("mode is missing".to_owned())),
        _ => return Err(err("this mode is not supported".to_owned())),
    };
    Ok(provider)
}

/// `expired_seconds` (0 or absent: the default); a number or a numeric string.
fn duration(profile: &Map<String, Value>) -> Result<Option<u32>, String> {
    let n = match profile.get("expired_seconds") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(other) => {
            return Err(format!(
                "expired_seconds must be a number, not {}",
                crate::wire::json_kind(other)
            ))
        }
    };
    match n.map(u32::try_from) {
        Some(Ok(n)) => Ok(Some(n).filter(|n| *n > 0)),
        _ => Err("expired_seconds must be a whole number of seconds".to_owned()),
    }
}
