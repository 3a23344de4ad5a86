//! Everything that talks to NATS, one module per stream, subject or bucket, in the order a press
//! travels: the link itself (`connect`); the per-player cooldowns a press reserves
//! (`cooldowns`); the events stream with its messages and its writers, the web servers' presses
//! and operators' commands and the watcher's ticks (`events`); the live states the reducer publishes and the web
//! servers follow (`states`); the receipts of presses whose pages wait for them (`receipts`);
//! how many live clients each web server holds (`presence`). Each
//! writer takes only what belongs on its subject, so a wrong message cannot be sent.

mod connect;
mod cooldowns;
mod events;
mod presence;
mod receipts;
mod states;

pub use connect::{BusError, NatsConfig, connect, server_addrs};
pub use cooldowns::{CooldownError, Cooldowns, Reservation};
pub use events::{
    AdminPublishError, AdminPublisher, EventMessage, EventsStream, PressPublisher, PublishError,
    Published, TickError, TickPublisher, ensure_events_stream,
};
pub use presence::{PRESENCE_EVERY, PRESENCE_TTL, Presence, PresenceMessage};
pub use receipts::{
    ReceiptsMessage, ReceiptsPublishError, ReceiptsPublisher, ReceiptsSubscription,
    ReceivedReceipt, ViewerReceipt,
};
pub use states::{
    FEED_PER_STATE, StateMessage, StatePublishError, StatePublisher, StateSubscription,
};
