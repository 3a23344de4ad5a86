//! Headers every answer carries: no MIME sniffing, no framing by other sites, no referrer sent
//! to other origins.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

type Headers = Stack<
    SetResponseHeaderLayer<HeaderValue>,
    Stack<
        SetResponseHeaderLayer<HeaderValue>,
        Stack<
            SetResponseHeaderLayer<HeaderValue>,
            Stack<SetResponseHeaderLayer<HeaderValue>, Identity>,
        >,
    >,
>;

fn header_if_missing(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The security headers, set on every answer that does not set its own.
pub fn layer() -> ServiceBuilder<Headers> {
    ServiceBuilder::new()
        .layer(header_if_missing(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // `frame-ancestors` for current browsers, `X-Frame-Options` for older ones.
        .layer(header_if_missing(
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'none'",
        ))
        .layer(header_if_missing(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_if_missing(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
}
