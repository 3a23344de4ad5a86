//! Everything that talks to NATS, one module per stream, subject or bucket: the link itself
//! (`connect`), the events stream (`events_stream`, its messages in `event_message`) with its
//! two writers, the web servers' presses (`press_publisher`) and the watcher's ticks (`ticks`);
//! the live states (`states`); the cooldown bucket (`cooldowns`). Each writer takes only what
//! belongs on its subject, so a wrong message cannot be sent.

mod connect;
mod cooldowns;
mod event_message;
mod events_stream;
mod press_publisher;
mod states;
mod ticks;

pub use connect::{BusError, NatsConfig, connect};
pub use cooldowns::{CooldownError, Cooldowns, Reservation};
pub use event_message::EventMessage;
pub use events_stream::{EventsStream, ensure_events_stream};
pub use press_publisher::{PressPublisher, PublishError, Published};
pub use states::{StatePublishError, StatePublisher, StateSubscription};
pub use ticks::{TickError, TickPublisher};
