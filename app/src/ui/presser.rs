//! What happens when a player presses: challenge → solve in workers → send → receipt.
//!
//! One request per press: the 202 brings the next challenge, solved while the cooldown counts
//! down, so the next press is sent at once; the receipt comes on the live stream (the press
//! names the page's stream), and is asked for only if it does not come.

use leptos::prelude::*;

use super::http::{Failure, call};
use super::live::{Connection, Live};
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

/// The next press's challenge, solved ahead.
#[derive(Debug, Clone, PartialEq)]
enum Ahead {
    /// None in hand.
    Nothing,
    /// The workers are solving it.
    Solving,
    /// Solved: the next press needs only to be sent.
    Solved(Challenge, u64),
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
    ahead: RwSignal<Ahead>,
}

/// How long before its expiry a challenge solved ahead is no longer sent (a fresh one is).
const AHEAD_MARGIN_MS: i64 = 2_000;

/// How long the page waits for a receipt on the live stream before asking for it.
const PUSHED_WITHIN_MS: u64 = 5_000;

impl Presser {
    /// A player who has not pressed.
    pub fn new() -> Presser {
        Presser {
            status: RwSignal::new(PressStatus::Idle),
            cooldown_until: RwSignal::new(None),
            last_press: RwSignal::new(None),
            ahead: RwSignal::new(Ahead::Nothing),
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
        // The challenge solved ahead, if one is; else (or if the server no longer takes it: the
        // phase rose, it expired) a fresh one.
        let mut ahead = self.solved_ahead(&server_now).await;
        let accepted = loop {
            let used_ahead = ahead.is_some();
            let (challenge, nonce) = match ahead.take() {
                Some(solved) => solved,
                None => match self.solve_fresh().await {
                    Ok(solved) => solved,
                    Err(failure) => return self.fail(failure, &server_now),
                },
            };
            self.status.set(PressStatus::Sending);
            match send(challenge, nonce, feed).await {
                Err(Failure::Api {
                    code: ErrorCode::Expired | ErrorCode::InsufficientWork,
                    ..
                }) if used_ahead => {
                    self.status.set(PressStatus::Solving { rate: 0.0 });
                }
                answer => break answer,
            }
        };
        let accepted: PressAccepted = match accepted {
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
                if !self.follow_receipt(press_id, feed, me).await && self.is_last(press_id) {
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
        if let Some(next) = accepted.next_challenge {
            leptos::task::spawn_local(self.solve_ahead(next));
        }
        self.follow_receipt(accepted.press_id, feed, me).await;
    }

    /// A new challenge, solved (the player sees the solving).
    async fn solve_fresh(self) -> Result<(Challenge, u64), Failure> {
        let challenge: Challenge = call("GET", routes::CHALLENGE, None).await?;
        let status = self.status;
        let solved = super::solver::solve(&challenge, move |hashes, ms| {
            if ms > 0.0 {
                status.set(PressStatus::Solving {
                    rate: hashes / ms * 1_000.0,
                });
            }
        })
        .await;
        match solved {
            Ok(nonce) => Ok((challenge, nonce)),
            Err(_) => Err(Failure::Unsolved),
        }
    }

    /// Solves the next press's challenge while the cooldown counts down.
    async fn solve_ahead(self, challenge: Challenge) {
        self.ahead.set(Ahead::Solving);
        let solved = super::solver::solve(&challenge, |_, _| {}).await;
        self.ahead.set(match solved {
            Ok(nonce) => Ahead::Solved(challenge, nonce),
            Err(_) => Ahead::Nothing,
        });
    }

    /// The challenge solved ahead (waiting for the workers if they are still at it), unless it
    /// is about to expire.
    async fn solved_ahead(self, server_now: &impl Fn() -> i64) -> Option<(Challenge, u64)> {
        // At most the challenges' lifetime: a solve that never ends is given up.
        for _ in 0..1_200 {
            match self.ahead.get_untracked() {
                Ahead::Solving => sleep_ms(50).await,
                Ahead::Nothing => return None,
                Ahead::Solved(challenge, nonce) => {
                    self.ahead.set(Ahead::Nothing);
                    return (challenge.expires_at > server_now() + AHEAD_MARGIN_MS)
                        .then_some((challenge, nonce));
                }
            }
        }
        None
    }

    /// Follows the receipt until the press is applied (true) or for 15 s (false); then the
    /// player's shelf is read again. The live stream brings it; it is asked for only when the
    /// stream is down or did not bring it in [`PUSHED_WITHIN_MS`].
    async fn follow_receipt(self, press_id: PressId, feed: Live, me: Me) -> bool {
        // This press's receipt, if the live stream brought it.
        let pushed = || {
            feed.receipt
                .get_untracked()
                .filter(|r| matches!(r, Receipt::Applied { press_id: p, .. } if *p == press_id))
        };
        let mut waited = 0;
        while waited < PUSHED_WITHIN_MS && feed.connection.get_untracked() == Connection::Live {
            if let Some(receipt) = pushed() {
                self.counted(press_id, receipt, me);
                return true;
            }
            sleep_ms(50).await;
            waited += 50;
        }
        let url = routes::receipt(press_id);
        for _ in 0..40 {
            if let Some(receipt) = pushed() {
                self.counted(press_id, receipt, me);
                return true;
            }
            if let Ok(receipt @ Receipt::Applied { .. }) = call::<Receipt>("GET", &url, None).await
            {
                self.counted(press_id, receipt, me);
                return true;
            }
            sleep_ms(250).await;
        }
        false
    }

    /// The press is applied: the player sees what it did.
    fn counted(self, press_id: PressId, receipt: Receipt, me: Me) {
        let Receipt::Applied {
            counter,
            phase,
            tipped,
            flair,
            handle,
            line,
            ..
        } = receipt
        else {
            return;
        };
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
    }

    /// Whether `press_id` is still the player's latest press (a newer one takes the status).
    fn is_last(&self, press_id: PressId) -> bool {
        self.last_press.get_untracked() == Some(press_id)
    }

    fn fail(&self, failure: Failure, server_now: &impl Fn() -> i64) {
        let message = match failure {
            Failure::Network => words::NETWORK_DOWN.to_owned(),
            Failure::Unsolved => {
                "Your browser could not solve the challenge. Please try again.".to_owned()
            }
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

/// Sends a solved press (by the player, if the browser keeps a token; its receipt to this page's
/// live stream, if it follows one).
async fn send(challenge: Challenge, nonce: u64, feed: Live) -> Result<PressAccepted, Failure> {
    let request = PressRequest::new(challenge, nonce);
    #[cfg(feature = "hydrate")]
    let request = match Me::token() {
        Some(token) => request.by(token),
        None => request,
    };
    let request = match feed.viewer.get_untracked() {
        viewer if viewer.is_empty() => request,
        viewer => request.seen_by(viewer),
    };
    let body = serde_json::to_string(&request).unwrap_or_default();
    call("POST", routes::PRESS, Some(body)).await
}

/// Waits without blocking the page.
#[cfg(feature = "hydrate")]
pub async fn sleep_ms(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX)).await;
}

/// On the server nothing waits.
#[cfg(not(feature = "hydrate"))]
pub async fn sleep_ms(_ms: u64) {}
