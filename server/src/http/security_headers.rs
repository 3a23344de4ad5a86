//! Headers every answer carries. Documents (the pages, their files, `/docs`, the operations'
//! routes): checked again before reuse, no MIME sniffing, no framing by other sites, no referrer
//! sent to other origins. The API's JSON
//! answers: no sniffing and no caching (framing or referring needs a document to click in).
//!
//! Each set is one function behind `tower`'s `MapResponseLayer`: axum wraps every route in each
//! layer and clones it per request, so a layer here must cost nothing to clone or drop (a
//! function pointer). Four `SetResponseHeaderLayer`s, nested, on every route cost the press path
//! about 15,000 instructions per press, and three more headers on every API answer about 3,000
//! (callgrind, see BENCHMARKS.md).

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;
use tower::util::MapResponseLayer;

/// The headers of every document, unless it set its own.
const DOCUMENT: [(HeaderName, HeaderValue); 5] = [
    // Checked again on every visit (a 304 when unchanged): a page names its build's files, so
    // an old page must never outlive an upgrade. Files with hashed names say otherwise
    // (`assets::cache`).
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    // `frame-ancestors` for current browsers, `X-Frame-Options` for older ones. (The page sets
    // a policy of its own in a meta tag; this header only says who may frame it.)
    (
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
];

/// Sets `headers` on `response` where it has none of that name.
fn set_missing<const N: usize>(
    mut response: Response,
    headers: [(HeaderName, HeaderValue); N],
) -> Response {
    let map: &mut HeaderMap = response.headers_mut();
    map.reserve(N);
    for (name, value) in headers {
        map.entry(name).or_insert(value);
    }
    response
}

/// The headers of every API answer: the live state and receipts change, errors too.
const API_ANSWER: [(HeaderName, HeaderValue); 2] = [
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
];

fn document(response: Response) -> Response {
    set_missing(response, DOCUMENT)
}

fn api_answer(response: Response) -> Response {
    set_missing(response, API_ANSWER)
}

/// The documents' security headers, set on every answer that does not set its own.
pub fn layer() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(document)
}

/// The API's headers.
pub fn api_layer() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(api_answer)
}
