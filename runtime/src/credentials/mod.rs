//! Credentials: the access key pair (plus an STS token) and the providers that find them.
//!
//! Providers read the environment, files under `HOME` and the STS and metadata services through
//! a [`ProviderContext`], so that each can be pointed at a fake environment, a temporary home
//! directory and loopback services. Temporary credentials are cached and refreshed
//! [`REFRESH_BEFORE_EXPIRY`] before they expire, with one refresh in flight however many calls
//! wait. No `Debug`, `Display` or error of this module shows a secret.

mod cache;
mod chain;
pub mod cli_profile;
mod context;
pub mod ecs;
mod env;
mod external;
mod file_guard;
mod http;
pub mod oidc;
pub mod profile_file;
mod provider;
pub mod ram_role_arn;
mod sts;
pub mod uri;

pub use crate::error::CredentialsError;
pub use crate::transport::BoxFuture;
pub use cache::REFRESH_BEFORE_EXPIRY;
pub use chain::{default_provider, default_provider_with, ChainProvider};
pub use cli_profile::{cli_profile_region, CliProfileProvider};
pub use context::{
    Env, MapEnv, ProcessEnv, ProviderContext, DEFAULT_METADATA_ENDPOINT, DEFAULT_STS_HOST,
};
pub use ecs::EcsRamRoleProvider;
pub use env::{EnvironmentProvider, ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN};
pub use external::{ExternalProvider, EXTERNAL_OUTPUT_LIMIT, EXTERNAL_TIMEOUT};
pub use file_guard::MAX_FILE_SIZE;
pub use oidc::{OidcConfig, OidcProvider};
pub use profile_file::ProfileFileProvider;
pub use provider::{Credentials, ProvideCredentials, Secret, SharedProvider, StaticProvider};
pub use ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
pub use uri::CredentialsUriProvider;
