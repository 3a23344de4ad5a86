//! NATS: the JetStream stream of events, the live state subject, and the cooldown bucket.

mod connect;
mod cooldowns;
mod event_message;
mod events_stream;
mod press_publisher;

pub use connect::{BusError, NatsConfig, connect};
pub use cooldowns::{CooldownError, Cooldowns, Reservation};
pub use event_message::EventMessage;
pub use events_stream::{EventsStream, ensure_events_stream};
pub use press_publisher::{PressPublisher, PublishError, Published};
