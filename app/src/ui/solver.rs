//! Solving a challenge in Web Workers (never on the page's main thread).

use crate::wire::Challenge;

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/ui/solver.js")]
    extern "C" {
        #[wasm_bindgen(js_name = solveChallenge)]
        pub fn solve_challenge(
            challenge_id: &str,
            difficulty: u32,
            on_progress: &js_sys::Function,
        ) -> js_sys::Promise;
    }
}

/// Why no nonce came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The Web Workers failed (the script's own words).
    #[cfg(feature = "hydrate")]
    #[error("the solver failed: {0}")]
    Failed(String),
    /// The workers answered with something that is not a nonce.
    #[cfg(feature = "hydrate")]
    #[error("the solver returned no nonce")]
    NoNonce,
    /// Not in a browser: nothing is solved on the server.
    #[cfg(not(feature = "hydrate"))]
    #[error("solving happens in the browser")]
    NotInBrowser,
}

/// Finds the nonce; `on_progress(hashes, elapsed_ms)` reports the work so far.
#[cfg(feature = "hydrate")]
pub async fn solve(
    challenge: &Challenge,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<u64, SolveError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let progress = Closure::<dyn Fn(f64, f64)>::new(on_progress);
    let promise = js::solve_challenge(
        &challenge.challenge_id,
        challenge.difficulty,
        progress.as_ref().unchecked_ref(),
    );
    let result = wasm_bindgen_futures::JsFuture::from(promise).await;
    drop(progress);
    let nonce = result.map_err(|e| SolveError::Failed(format!("{e:?}")))?;
    nonce
        .as_string()
        .and_then(|s| s.parse().ok())
        .ok_or(SolveError::NoNonce)
}

/// On the server nothing is solved.
#[cfg(not(feature = "hydrate"))]
pub async fn solve(
    _challenge: &Challenge,
    _on_progress: impl Fn(f64, f64) + 'static,
) -> Result<u64, SolveError> {
    Err(SolveError::NotInBrowser)
}
