//! The page's calls to the API, with every failure turned into something to tell the player.

use serde::de::DeserializeOwned;

use crate::game::PressId;
use crate::wire::{ErrorBody, ErrorCode};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The API answered with an error.
    Api {
        /// Its code.
        code: ErrorCode,
        /// `Retry-After`, in seconds, when given.
        retry_after_s: Option<u64>,
        /// With `unconfirmed`: the press whose receipt tells whether it counted.
        press_id: Option<PressId>,
    },
    /// No answer: offline, or the server is down.
    Network,
    /// The browser could not solve the challenge (no call was made).
    Unsolved,
}

/// An answer: status, `Retry-After`, body.
struct Answer {
    status: u16,
    retry_after_s: Option<u64>,
    body: String,
}

/// `GET` or `POST` (with a JSON body) and decode the JSON answer.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, Failure> {
    let answer = fetch(method, url, body)
        .await
        .map_err(|_| Failure::Network)?;
    if (200..300).contains(&answer.status) {
        return serde_json::from_str(&answer.body).map_err(|_| Failure::Api {
            code: ErrorCode::Internal,
            retry_after_s: None,
            press_id: None,
        });
    }
    let (code, press_id) = serde_json::from_str::<ErrorBody>(&answer.body)
        .map(|b| (b.error, b.press_id))
        .unwrap_or(if answer.status >= 500 {
            (ErrorCode::Unavailable, None)
        } else {
            (ErrorCode::Internal, None)
        });
    Err(Failure::Api {
        code,
        retry_after_s: answer.retry_after_s,
        press_id,
    })
}

#[cfg(feature = "hydrate")]
async fn fetch(method: &str, url: &str, body: Option<String>) -> Result<Answer, ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(drop)?;
    if body.is_some() {
        request
            .headers()
            .set("content-type", "application/json")
            .map_err(drop)?;
    }
    let window = web_sys::window().ok_or(())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(drop)?
        .dyn_into()
        .map_err(drop)?;
    let retry_after_s = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    let text = JsFuture::from(response.text().map_err(drop)?)
        .await
        .map_err(drop)?;
    Ok(Answer {
        status: response.status(),
        retry_after_s,
        body: text.as_string().unwrap_or_default(),
    })
}

#[cfg(not(feature = "hydrate"))]
async fn fetch(_method: &str, _url: &str, _body: Option<String>) -> Result<Answer, ()> {
    Err(())
}
