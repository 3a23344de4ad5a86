//! What happens when a player presses: challenge → solve in workers → send → receipt.

use leptos::prelude::*;

use super::http::{Failure, call};
use super::live::Live;
use super::me::Me;
use super::words;
use crate::game::{Flair, Phase, PressId, cooldown_line};
use crate::wire::{Challenge, ErrorCode, PressAccepted, PressRequest, Receipt, routes};

/// Where the player's press is.
#[derive(Debug, Clone, PartialEq)]
pub enum PressStatus {
    /// Nothing going on.
    Idle,
    /// Workers are solving the challenge.
    Solving {
        /// Hashes per second so far.
        rate: f64,
    },
    /// Sent; waiting for the server.
    Sending,
    /// Accepted (202); waiting for the reducer to apply it.
    Pending,
    /// Sent, but the server could not confirm it (503 `unconfirmed`): it may still count, and
    /// its receipt is being followed.
    Unconfirmed,
    /// Applied.
    Counted {
        /// The press (its page is `/p/{press_id}`).
        press_id: PressId,
        /// The line it got.
        line: String,
        /// "Your press #12,345".
        counter: u64,
        /// The phase right after it.
        phase: Phase,
        /// Whether it tipped the phase.
        tipped: bool,
        /// What it earned.
        flair: Vec<Flair>,
    },
    /// It did not go through; what to tell the player.
    Failed(String),
}

/// The player's pressing: status, cooldown, and their last press.
#[derive(Clone, Copy)]
pub struct Presser {
    /// Where the current press is.
    pub status: RwSignal<PressStatus>,
    /// Server time until which the player must wait.
    pub cooldown_until: RwSignal<Option<i64>>,
    /// The player's last accepted press.
    pub last_press: RwSignal<Option<PressId>>,
}

impl Presser {
    /// A player who has not pressed.
    pub fn new() -> Presser {
        Presser {
            status: RwSignal::new(PressStatus::Idle),
            cooldown_until: RwSignal::new(None),
            last_press: RwSignal::new(None),
        }
    }

    /// Whether a press is under way.
    pub fn busy(&self) -> bool {
        matches!(
            self.status.get(),
            PressStatus::Solving { .. } | PressStatus::Sending
        )
    }

    /// Runs one press from start to receipt. `server_now` reads the server's clock.
    pub async fn press(self, feed: Live, me: Me, server_now: impl Fn() -> i64 + 'static) {
        self.status.set(PressStatus::Solving { rate: 0.0 });
        let challenge: Challenge = match call("GET", routes::CHALLENGE, None).await {
            Ok(challenge) => challenge,
            Err(failure) => return self.fail(failure, &server_now),
        };
        let status = self.status;
        let solved = super::solver::solve(&challenge, move |hashes, ms| {
            if ms > 0.0 {
                status.set(PressStatus::Solving {
                    rate: hashes / ms * 1_000.0,
                });
            }
        })
        .await;
        let nonce = match solved {
            Ok(nonce) => nonce,
            Err(_) => {
                self.status.set(PressStatus::Failed(
                    "Your browser could not solve the challenge. Please try again.".into(),
                ));
                return;
            }
        };
        self.status.set(PressStatus::Sending);
        let request = PressRequest::new(challenge, nonce);
        #[cfg(feature = "hydrate")]
        let request = match Me::token() {
            Some(token) => request.by(token),
            None => request,
        };
        let body = serde_json::to_string(&request).unwrap_or_default();
        let accepted: PressAccepted = match call("POST", routes::PRESS, Some(body)).await {
            Ok(accepted) => accepted,
            Err(Failure::Api {
                code: ErrorCode::Unconfirmed,
                press_id: Some(press_id),
                ..
            }) => {
                // It may count: the receipt tells, and the player waits as if it had.
                let cooldown = feed.state.get_untracked().cooldown_ms;
                self.cooldown_until.set(Some(server_now() + cooldown));
                self.last_press.set(Some(press_id));
                self.status.set(PressStatus::Unconfirmed);
                if !self.follow_receipt(press_id, me).await && self.is_last(press_id) {
                    self.status
                        .set(PressStatus::Failed(words::UNCONFIRMED_GAVE_UP.to_owned()));
                }
                return;
            }
            Err(failure) => return self.fail(failure, &server_now),
        };
        let cooldown = feed.state.get_untracked().cooldown_ms;
        self.cooldown_until
            .set(Some(accepted.timestamp_ms + cooldown));
        self.last_press.set(Some(accepted.press_id));
        me.pressed_as(accepted.handle);
        self.status.set(PressStatus::Pending);
        self.follow_receipt(accepted.press_id, me).await;
    }

    /// Follows the receipt until the press is applied (true) or for 15 s (false); then the
    /// player's shelf is read again.
    async fn follow_receipt(self, press_id: PressId, me: Me) -> bool {
        let url = routes::receipt(press_id);
        for _ in 0..60 {
            if let Ok(Receipt::Applied {
                counter,
                phase,
                tipped,
                flair,
                handle,
                line,
                ..
            }) = call::<Receipt>("GET", &url, None).await
            {
                me.pressed_as(handle);
                me.refresh();
                if self.is_last(press_id) {
                    self.status.set(PressStatus::Counted {
                        press_id,
                        line,
                        counter,
                        phase,
                        tipped,
                        flair,
                    });
                }
                return true;
            }
            sleep_ms(250).await;
        }
        false
    }

    /// Whether `press_id` is still the player's latest press (a newer one takes the status).
    fn is_last(&self, press_id: PressId) -> bool {
        self.last_press.get_untracked() == Some(press_id)
    }

    fn fail(&self, failure: Failure, server_now: &impl Fn() -> i64) {
        let message = match failure {
            Failure::Network => words::NETWORK_DOWN.to_owned(),
            Failure::Api {
                code,
                retry_after_s,
                ..
            } => {
                if matches!(code, ErrorCode::Cooldown | ErrorCode::RateLimited) {
                    let wait = retry_after_s.unwrap_or(1) as i64 * 1_000;
                    self.cooldown_until.set(Some(server_now() + wait));
                }
                if code == ErrorCode::Cooldown {
                    // A refusal has no press id: the second it came picks its line.
                    let seed = u64::try_from(server_now() / 1_000).unwrap_or(0);
                    format!("{} {}", words::error_message(code), cooldown_line(seed))
                } else {
                    words::error_message(code).to_owned()
                }
            }
        };
        self.status.set(PressStatus::Failed(message));
    }
}

impl Default for Presser {
    fn default() -> Self {
        Presser::new()
    }
}

/// Waits without blocking the page.
#[cfg(feature = "hydrate")]
pub async fn sleep_ms(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX)).await;
}

/// On the server nothing waits.
#[cfg(not(feature = "hydrate"))]
pub async fn sleep_ms(_ms: u64) {}
