//! Credentials from a profile of the Alibaba Cloud CLI's `~/.aliyun/config.json`.

use super::context::ProviderContext;
use super::ecs::EcsRamRoleProvider;
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
/// `CredentialsURI`. The file is read on first use (again after a failure, not after success).
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
        let name = self
            .profile
            .clone()
            .or_else(|| self.ctx.var(PROFILE))
            .or_else(|| string(&config, "current"))
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
    let profile = find_profile(&config, &name)?;
    string(profile, "region_id")
}

fn config_path(ctx: &ProviderContext) -> Result<PathBuf, CredentialsError> {
    ctx.home()
        .map(|h| h.join(".aliyun").join("config.json"))
        .ok_or_else(|| CredentialsError::new(format!("{WHAT}: HOME is not set")))
}

/// Reads the file as JSON; errors give the path and a position, never the content.
fn read_config(path: &Path) -> Result<Map<String, Value>, CredentialsError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CredentialsError::new(format!("{WHAT}: reading {} failed: {e}", path.display()))
    })?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(CredentialsError::new(format!(
            "{WHAT}: {} is not a JSON object",
            path.display()
        ))),
        Err(e) => Err(CredentialsError::new(format!(
            "{WHAT}: {} is not valid JSON ({e})",
            path.display()
        ))),
    }
}

fn string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn find_profile<'a>(config: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    config
        .get("profiles")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
}

fn provider_for(
    ctx: &ProviderContext,
    path: &Path,
    config: &Map<String, Value>,
    name: &str,
    depth: usize,
) -> Result<SharedProvider, CredentialsError> {
    let profile = find_profile(config, name).ok_or_else(|| {
        CredentialsError::new(format!(
            "{WHAT}: no profile named {name:?} in {}",
            path.display()
        ))
    })?;
    let mode = string(profile, "mode").unwrap_or_default();
    let err = |why: String| {
        CredentialsError::new(format!(
            "{WHAT} {name:?} (mode {mode}) in {}: {why}",
            path.display()
        ))
    };
    let need = |key: &str| string(profile, key).ok_or_else(|| err(format!("{key} is missing")));
    let role_config = || -> Result<RamRoleArnConfig, CredentialsError> {
        Ok(RamRoleArnConfig {
            role_arn: need("ram_role_arn")?,
            session_name: string(profile, "ram_session_name"),
            duration_seconds: duration(profile),
            policy: string(profile, "policy"),
            external_id: string(profile, "external_id"),
            sts_region: string(profile, "sts_region"),
            enable_vpc: profile.get("enable_vpc").and_then(Value::as_bool) == Some(true),
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
            if let Some(role) = string(profile, "ram_role_name") {
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
                session_name: string(profile, "ram_session_name"),
                duration_seconds: duration(profile),
                policy: string(profile, "policy"),
                sts_region: string(profile, "sts_region"),
                enable_vpc: profile.get("enable_vpc").and_then(Value::as_bool) == Some(true),
            },
        )),
        "CredentialsURI" => {
            Arc::new(CredentialsUriProvider::new(ctx.clone()).with_uri(need("credentials_uri")?))
        }
        "" => return Err(err("mode is missing".to_owned())),
        _ => return Err(err("this mode is not supported".to_owned())),
    };
    Ok(provider)
}

/// `expired_seconds` (0 or absent: the default).
fn duration(profile: &Map<String, Value>) -> Option<u32> {
    let v = profile.get("expired_seconds")?;
    let n = v
        .as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))?;
    u32::try_from(n).ok().filter(|n| *n > 0)
}
