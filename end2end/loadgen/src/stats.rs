//! Latency percentiles, for the load generator's reports.

use std::time::Duration;

/// Collected latencies; in JSON, their summary in milliseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    micros: Vec<u64>,
}

impl serde::Serialize for Latencies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let ms = |p: f64| self.percentile(p).map(|d| d.as_secs_f64() * 1_000.0);
        let mut summary = serializer.serialize_struct("Latencies", 5)?;
        summary.serialize_field("n", &self.len())?;
        summary.serialize_field("p50_ms", &ms(50.0))?;
        summary.serialize_field("p90_ms", &ms(90.0))?;
        summary.serialize_field("p99_ms", &ms(99.0))?;
        summary.serialize_field("max_ms", &ms(100.0))?;
        summary.end()
    }
}

impl Latencies {
    /// Adds one.
    pub fn record(&mut self, latency: Duration) {
        self.micros
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    }

    /// How many were recorded.
    pub fn len(&self) -> usize {
        self.micros.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.micros.is_empty()
    }

    /// The `p`-th percentile (0–100), nearest rank.
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        if self.micros.is_empty() {
            return None;
        }
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
        sorted
            .get(rank.min(sorted.len()) - 1)
            .map(|us| Duration::from_micros(*us))
    }

    /// `p50 … p90 … p99 … max` in milliseconds, for a report.
    pub fn summary(&self) -> String {
        let ms = |p: f64| {
            self.percentile(p).map_or("-".to_owned(), |d| {
                format!("{:.1}", d.as_secs_f64() * 1_000.0)
            })
        };
        format!(
            "p50 {} ms, p90 {} ms, p99 {} ms, max {} ms (n = {})",
            ms(50.0),
            ms(90.0),
            ms(99.0),
            ms(100.0),
            self.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut l = Latencies::default();
        for ms in 1..=100 {
            l.record(Duration::from_millis(ms));
        }
        assert_eq!(l.percentile(50.0), Some(Duration::from_millis(50)));
        assert_eq!(l.percentile(99.0), Some(Duration::from_millis(99)));
        assert_eq!(l.percentile(100.0), Some(Duration::from_millis(100)));
        assert_eq!(Latencies::default().percentile(50.0), None);
    }
}
