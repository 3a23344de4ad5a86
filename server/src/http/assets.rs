//! The page's files (`/pkg/…`: the script, the WASM, the stylesheet) and how long browsers keep
//! them. `cargo leptos` names them by their content's hash (`hash-files`) and writes the hashes
//! to `hash.txt` beside the binary: a hashed file never changes, so it is cached for a year,
//! while a page (and every file without a hash) is checked again each time (`no-cache`), so a
//! page always names the files of the build that serves it.

use std::path::PathBuf;

use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use axum::response::Response;
use leptos::config::LeptosOptions;
use tower_http::compression::CompressionLayer;
use tracing::{info, warn};

/// What a file whose name carries its content's hash is sent with.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// Where the build wrote the hashes: beside the running binary, as Leptos looks for it.
fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// `options` with hashed file names exactly when this build has them: Leptos's page scripts
/// panic on every page when asked for hashes with no hash file, and name files that do not exist
/// when not asked with one.
pub fn with_hashed_names(mut options: LeptosOptions) -> LeptosOptions {
    let found = hash_file(&options).filter(|path| path.is_file());
    match (&found, options.hash_files) {
        (Some(path), _) => info!(hash_file = %path.display(), "the page's files have hashed names"),
        (None, true) => warn!(
            "LEPTOS_HASH_FILES is set but no hash file is beside the binary: plain file names"
        ),
        (None, false) => {}
    }
    options.hash_files = found.is_some();
    options
}

/// Whether `path` names a file of the site whose name holds a content hash:
/// `/pkg/the-button.<hash>.(js|wasm|css)`.
pub fn is_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let mut parts = name.rsplit('.');
    let (Some(extension), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(extension, "js" | "wasm" | "css")
        && hash.len() >= 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Compresses the page's files (gzip, for a client that accepts it): the WASM, the scripts and
/// the stylesheet are most of what a first visit downloads. A release build made with
/// `cargo leptos build --release --precompress` (scripts/run.sh, the Dockerfile) has them
/// compressed once already (`.br`, `.gz` beside each), which leptos_axum's file service sends as
/// they are: this layer leaves a response that has its encoding alone, so it only compresses, per
/// request, for a build without them (`cargo leptos watch`). Pages and the API's answers are left
/// as they are (a page streams as it renders; the live stream must never wait for a buffer).
pub fn compression() -> CompressionLayer<Compressible> {
    CompressionLayer::new().compress_when(is_compressible as Compressible)
}

/// Which responses [`compression`] compresses.
pub type Compressible = fn(StatusCode, Version, &HeaderMap, &Extensions) -> bool;

/// Whether a response is one of the page's files worth compressing.
fn is_compressible(status: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    status.is_success()
        && [
            "application/wasm",
            "text/javascript",
            "application/javascript",
            "text/css",
        ]
        .iter()
        .any(|compressible| content_type.starts_with(compressible))
}

/// Tells caches that a page's file comes in one form per `Accept-Encoding`: a file sent as it
/// was compressed at build time has no `Vary` from the file service, and a shared cache could
/// otherwise give its brotli form to a client that cannot read it.
pub fn vary_by_encoding(response: &mut Response) {
    let varies = response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies
        && is_compressible(
            response.status(),
            Version::HTTP_11,
            response.headers(),
            response.extensions(),
        )
    {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// Caches a hashed file for a year; anything else the documents' layer marks `no-cache`.
pub fn cache(path: &str, response: &mut Response) {
    if response.status().is_success() && is_hashed(path) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, IMMUTABLE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_files_are_compressed_and_pages_and_streams_are_not() {
        let typed = |content_type: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            is_compressible(
                StatusCode::OK,
                Version::HTTP_11,
                &headers,
                &Extensions::new(),
            )
        };
        assert!(typed("application/wasm"));
        assert!(typed("text/javascript; charset=utf-8"));
        assert!(typed("text/css"));
        assert!(!typed("text/html; charset=utf-8"));
        assert!(!typed("text/event-stream"));
        assert!(!typed("application/json"));
    }

    #[test]
    fn only_the_sites_hashed_files_are_immutable() {
        assert!(is_hashed("/pkg/the-button.Zx3b9_Q2aN-4kLm0PqRsTu.js"));
        assert!(is_hashed("/pkg/the-button.Zx3b9_Q2aN-4kLm0PqRsTu.wasm"));
        assert!(is_hashed("/pkg/the-button.Zx3b9_Q2aN-4kLm0PqRsTu.css"));
        assert!(!is_hashed("/pkg/the-button.js"));
        assert!(!is_hashed("/pkg/the-button_bg.wasm"));
        assert!(!is_hashed("/worker/pow_wasm_bg.wasm"));
        assert!(!is_hashed("/pkg/the-button.Zx3b9_Q2aN-4kLm0PqRsTu.html"));
        assert!(!is_hashed("/"));
    }
}
