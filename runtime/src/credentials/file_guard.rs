//! Reading credentials files safely: only regular files (a FIFO would hang the chain, a link to
//! `/dev/zero` would read until memory runs out), at most [`MAX_FILE_SIZE`] bytes, and a `warn`
//! event, as ssh gives, when a file holding secrets is accessible to group or others.

use crate::error::CredentialsError;
use std::io::Read as _;
use std::path::Path;

/// The largest credentials, config or token file read: 1 MiB.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Whether a file holds secrets (permissions are checked) or not (an OIDC token file, which
/// Kubernetes mounts world-readable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    Secrets,
    Token,
}

/// Reads `path` for provider `what`. A missing file is a plain error (the provider is not
/// configured); anything else wrong with an existing path is an invalid configuration.
pub(crate) fn read(path: &Path, what: &str, holds: Holds) -> Result<Vec<u8>, CredentialsError> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        let message = format!("{what}: reading {shown} failed: {e}");
        if e.kind() == std::io::ErrorKind::NotFound {
            CredentialsError::new(message)
        } else {
            CredentialsError::invalid(message)
        }
    })?;
    let invalid = |why: String| CredentialsError::invalid(format!("{what}: {shown} {why}"));
    check(&meta).map_err(invalid)?;
    let file = open(path).map_err(|e| invalid(format!("could not be opened: {e}")))?;
    // The path may have changed between the two looks: check what was opened.
    let meta = file
        .metadata()
        .map_err(|e| invalid(format!("could not be examined: {e}")))?;
    check(&meta).map_err(invalid)?;
    if holds == Holds::Secrets {
        warn_if_open(path, &meta);
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(format!("could not be read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(invalid(format!(
            "is larger than {MAX_FILE_SIZE} bytes; refused"
        )));
    }
    Ok(bytes)
}

fn check(meta: &std::fs::Metadata) -> Result<(), String> {
    if !meta.is_file() {
        return Err(
            "is not a regular file (a directory, FIFO, socket or device); refused".to_owned(),
        );
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!("is larger than {MAX_FILE_SIZE} bytes; refused"));
    }
    Ok(())
}

/// Opens without blocking on a FIFO that appeared after the first look.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn warn_if_open(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        tracing::warn!(
            path = %path.display(),
            mode = format!("{mode:04o}").as_str(),
            "permissions of a credentials file are too open: group or others can access it; \
             run chmod 600 on it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_open(_path: &Path, _meta: &std::fs::Metadata) {}
