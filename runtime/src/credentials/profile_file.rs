//! Credentials from the INI file `~/.alibabacloud/credentials` of the official SDKs.

use super::cli_profile::PROFILE;
use super::context::ProviderContext;
use super::ecs::EcsRamRoleProvider;
use super::file_guard::{self, Holds};
use super::oidc::{OidcConfig, OidcProvider};
use super::provider::{Credentials, ProvideCredentials, SharedProvider, StaticProvider};
use super::ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Path of the credentials file (default `$HOME/.alibabacloud/credentials`).
pub const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

const WHAT: &str = "credentials file";

/// Credentials from the section named by `ALIBABA_CLOUD_PROFILE` (else `default`) of the file
/// at `ALIBABA_CLOUD_CREDENTIALS_FILE` (else `$HOME/.alibabacloud/credentials`). Keys: `type`
/// (`access_key`, `sts`, `ecs_ram_role`, `ram_role_arn`, `oidc_role_arn`), `access_key_id`,
/// `access_key_secret`, `security_token`, `role_name`, `role_arn`, `role_session_name`, `policy`,
/// `sts_region`, `oidc_provider_arn`, `oidc_token_file_path`. Read on first use (again after a
/// failure, not after success).
#[derive(Debug)]
pub struct ProfileFileProvider {
    ctx: ProviderContext,
    profile: Option<String>,
    path: Option<PathBuf>,
    inner: tokio::sync::OnceCell<SharedProvider>,
}

impl ProfileFileProvider {
    /// A provider configured by the environment of `ctx`.
    pub fn new(ctx: ProviderContext) -> Self {
        Self {
            ctx,
            profile: None,
            path: None,
            inner: tokio::sync::OnceCell::new(),
        }
    }

    /// Uses section `name` instead of `ALIBABA_CLOUD_PROFILE` or `default`.
    #[must_use]
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads `path` instead of the default location.
    #[must_use]
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    fn load(&self) -> Result<SharedProvider, CredentialsError> {
        let path = match (&self.path, self.ctx.var(CREDENTIALS_FILE)) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => PathBuf::from(p),
            (None, None) => self
                .ctx
                .home()
                .map(|h| h.join(".alibabacloud").join("credentials"))
                .ok_or_else(|| {
                    CredentialsError::new(format!(
                        "{WHAT}: neither {CREDENTIALS_FILE} nor HOME is set"
                    ))
                })?,
        };
        let bytes = file_guard::read(&path, WHAT, Holds::Secrets)?;
        let invalid =
            |why: String| CredentialsError::invalid(format!("{WHAT}: {}: {why}", path.display()));
        let text = String::from_utf8(bytes).map_err(|e| {
            invalid(format!(
                "not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let sections = parse_ini(&text).map_err(invalid)?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.ctx.var(PROFILE))
            .unwrap_or_else(|| "default".to_owned());
        let section = sections
            .get(&name)
            .ok_or_else(|| invalid(format!("no section [{name}]")))?;
        provider_for(&self.ctx, &path, &name, section)
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let inner = self.inner.get_or_try_init(|| async { self.load() }).await?;
            inner.credentials().await
        })
    }
}

type Section = BTreeMap<String, String>;

fn provider_for(
    ctx: &ProviderContext,
    path: &Path,
    name: &str,
    section: &Section,
) -> Result<SharedProvider, CredentialsError> {
    let get = |key: &str| {
        section
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let kind = get("type").unwrap_or_default();
    let err = |why: String| {
        CredentialsError::invalid(format!(
            "{WHAT} [{name}] (type {kind}) in {}: {why}",
            path.display()
        ))
    };
    let need = |key: &str| get(key).ok_or_else(|| err(format!("{key} is missing")));
    let provider: SharedProvider = match kind.as_str() {
        "access_key" => Arc::new(StaticProvider::new(Credentials::new(
            need("access_key_id")?,
            need("access_key_secret")?,
        ))),
        "sts" => Arc::new(StaticProvider::new(
            Credentials::new(need("access_key_id")?, need("access_key_secret")?)
                .with_security_token(need("security_token")?),
        )),
        "ecs_ram_role" => {
            let mut p = EcsRamRoleProvider::new(ctx.clone());
            if let Some(role) = get("role_name") {
                p = p.with_role_name(role);
            }
            Arc::new(p)
        }
        "ram_role_arn" => {
            let source: SharedProvider = Arc::new(StaticProvider::new(Credentials::new(
                need("access_key_id")?,
                need("access_key_secret")?,
            )));
            Arc::new(RamRoleArnProvider::new(
                ctx.clone(),
                source,
                RamRoleArnConfig {
                    role_arn: need("role_arn")?,
                    session_name: get("role_session_name"),
                    duration_seconds: seconds(get("duration_seconds")).map_err(err)?,
                    policy: get("policy"),
                    external_id: get("external_id"),
                    sts_region: get("sts_region"),
                    enable_vpc: get("enable_vpc").is_some_and(|v| v.eq_ignore_ascii_case("true")),
                },
            ))
        }
        "oidc_role_arn" => Arc::new(OidcProvider::with_config(
            ctx.clone(),
            OidcConfig {
                role_arn: need("role_arn")?,
                provider_arn: need("oidc_provider_arn")?,
                token_file: PathBuf::from(need("oidc_token_file_path")?),
                session_name: get("role_session_name"),
                duration_seconds: seconds(get("duration_seconds")).map_err(err)?,
                policy: get("policy"),
                sts_region: get("sts_region"),
                enable_vpc: get("enable_vpc").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            },
        )),
        "" => return Err(err("type is missing".to_owned())),
        _ => return Err(err("this type is not supported".to_owned())),
    };
    Ok(provider)
}

/// `duration_seconds`: absent, or a whole number of seconds (anything else is named as wrong,
/// not ignored).
fn seconds(value: Option<String>) -> Result<Option<u32>, String> {
    value
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| "duration_seconds must be a whole number of seconds".to_owned())
        })
        .transpose()
}

/// A minimal INI reader: `[section]`, `key = value` (or `key: value`), comments starting with
/// `;` or `#`, values optionally quoted. Keys before any section go to section `""`. Errors give
/// a line number, never the line (it may hold a secret).
fn parse_ini(text: &str) -> Result<BTreeMap<String, Section>, String> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| format!("line {}: a section header must end with ]", i + 1))?;
            current = name.trim().to_owned();
            sections.entry(current.clone()).or_default();
            continue;
        }
        let split = line
            .find(['=', ':'])
            .ok_or_else(|| format!("line {} is neither [section] nor key = value", i + 1))?;
        let key = line[..split].trim();
        if key.is_empty() {
            return Err(format!("line {} has no key", i + 1));
        }
        let mut value = line[split + 1..].trim();
        for q in ['"', '\''] {
            if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
                value = &value[1..value.len() - 1];
            }
        }
        sections
            .entry(current.clone())
            .or_default()
            .insert(key.to_owned(), value.to_owned());
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_keys_comments_and_quotes() {
        let s = parse_ini(
            "top = 1\n; comment\n# other\n[default]\ntype = access_key\naccess_key_id=\"id\"\n\n[ b ]\nrole_name: r\n",
        )
        .unwrap();
        assert_eq!(s[""]["top"], "1");
        assert_eq!(s["default"]["type"], "access_key");
        assert_eq!(s["default"]["access_key_id"], "id");
        assert_eq!(s["b"]["role_name"], "r");
    }

    #[test]
    fn ini_errors_name_the_line_only() {
        let e = parse_ini("[default]\nsecret-without-equals\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        assert!(!e.contains("secret-without-equals"), "{e}");
        assert!(parse_ini("[open\n").is_err());
    }
}
