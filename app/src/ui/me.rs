//! The player in the page: a token made once and kept in the browser's storage (sent with each
//! press; the server keeps only its keyed hash), the handle the server gave it, and the player's
//! shelf of flair. Nothing here is personal: clearing the site's data makes a new player.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use leptos::prelude::*;

use super::words;
use crate::wire::{PlayerProfile, routes};

/// Where the token and the handle are kept.
const TOKEN_KEY: &str = "the-button.player-token";
const HANDLE_KEY: &str = "the-button.handle";

/// The player of this browser.
#[derive(Clone, Copy)]
pub struct Me {
    /// The handle, once a press gave it (remembered across visits).
    pub handle: RwSignal<Option<String>>,
    /// The record behind it: presses, tips, the shelf.
    pub profile: RwSignal<Option<PlayerProfile>>,
}

impl Me {
    /// Nobody yet (and always, in the server-rendered page).
    pub fn new() -> Me {
        Me {
            handle: RwSignal::new(None),
            profile: RwSignal::new(None),
        }
    }

    /// In the browser: the handle of an earlier visit, and its shelf.
    #[cfg(feature = "hydrate")]
    pub fn restore(self) {
        if let Some(handle) = storage::get(HANDLE_KEY) {
            self.handle.set(Some(handle));
            self.refresh();
        }
    }

    /// The token to press with: the stored one, or a new random one (kept for next time).
    #[cfg(feature = "hydrate")]
    pub fn token() -> Option<String> {
        if let Some(token) = storage::get(TOKEN_KEY) {
            return Some(token);
        }
        let token = storage::random_token()?;
        storage::set(TOKEN_KEY, &token);
        Some(token)
    }

    /// A new random id (32 hex digits), from the browser's cryptographic random numbers.
    #[cfg(feature = "hydrate")]
    pub fn random_id() -> Option<String> {
        storage::random_token()
    }

    /// A press was accepted as `handle`.
    pub fn pressed_as(self, handle: Option<String>) {
        if let Some(handle) = handle
            && self.handle.get_untracked().as_ref() != Some(&handle)
        {
            #[cfg(feature = "hydrate")]
            storage::set(HANDLE_KEY, &handle);
            self.handle.set(Some(handle));
        }
    }

    /// Reads the player's record again (after a press counted).
    pub fn refresh(self) {
        let Some(handle) = self.handle.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(profile) =
                super::http::call::<PlayerProfile>("GET", &routes::player(&handle), None).await
            {
                self.profile.set(Some(profile));
            }
        });
    }
}

impl Default for Me {
    fn default() -> Self {
        Me::new()
    }
}

/// Who you are, and your shelf of flair.
#[component]
pub fn MyShelf(me: Me) -> impl IntoView {
    view! {
        <section class="me" aria-label="You">
            {move || match me.handle.get() {
                None => view! {
                    <p class="me-who">"Press to get your handle and start your shelf of flair."</p>
                }.into_any(),
                Some(handle) => view! {
                    <p class="me-who">"You are " <strong class="handle">{handle}</strong></p>
                    {move || me.profile.get().map(|profile| view! {
                        <p class="me-totals">
                            {words::presses(profile.presses)} " · " {words::tips(profile.tips)}
                        </p>
                        <ul class="shelf">
                            {profile.shelf.iter().map(|item| view! {
                                <li class=format!("flair flair-{}", item.flair.as_str())>
                                    {words::flair_name(item.flair)}
                                    <span class="times">" ×" {words::count(item.count)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The browser's storage, and its random numbers.
#[cfg(feature = "hydrate")]
mod storage {
    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn get(key: &str) -> Option<String> {
        local()?
            .get_item(key)
            .ok()
            .flatten()
            .filter(|v| !v.is_empty())
    }

    pub fn set(key: &str, value: &str) {
        // Storage refused (private mode, full): the player is new on the next visit.
        if let Some(storage) = local() {
            let _ = storage.set_item(key, value);
        }
    }

    /// 32 hex digits from the browser's cryptographic generator.
    pub fn random_token() -> Option<String> {
        let crypto = web_sys::window()?.crypto().ok()?;
        let mut bytes = [0u8; 16];
        crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
        Some(hex::encode(bytes))
    }
}
