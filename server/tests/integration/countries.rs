//! Countries without an address: the web server looks a press's address up in the installed
//! offline database, and only the country travels on; the panel names a country only when it
//! has enough presses that day.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::{TestOptions, spawn_app};
use app::game::Country;
use app::wire::{Countries, LoggedPress};
use server::geo::Geo;
use server::settings::{GEO_DATABASE, Settings};

/// The database `scripts/setup.sh` installed, from the repository's root.
fn installed_database() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(GEO_DATABASE)
}

fn country(code: &str) -> Country {
    code.parse().expect("a country code")
}

#[test]
fn the_installed_database_knows_well_known_public_addresses() {
    let geo = Geo::open(Some(&installed_database()));
    assert!(
        geo.is_loaded(),
        "no country database at {} (scripts/setup.sh installs it)",
        installed_database().display()
    );
    for (address, code) in [
        // Google's public DNS, over IPv4 and IPv6.
        ("8.8.8.8", "US"),
        ("2001:4860:4860::8888", "US"),
        // RIPE NCC's own servers, in Amsterdam.
        ("193.0.6.139", "NL"),
        // Deutsche Telekom.
        ("80.156.86.78", "DE"),
    ] {
        let address: IpAddr = address.parse().expect("an address");
        assert_eq!(geo.country(address), Some(country(code)), "{address}");
    }
    // Private, documentation and loopback addresses are nobody's country, whatever the data
    // says (npm's copy places some of them in a country).
    for address in ["10.0.0.1", "192.168.1.1", "198.51.100.7", "::1"] {
        assert_eq!(
            geo.country(address.parse().expect("an address")),
            None,
            "{address}"
        );
    }
}

#[test]
fn without_a_database_every_address_is_of_no_known_country() {
    let geo = Geo::open(Some(&PathBuf::from("/nonexistent/countries.mmdb")));
    assert!(!geo.is_loaded());
    assert_eq!(geo.country("8.8.8.8".parse().expect("an address")), None);
}

#[tokio::test]
async fn presses_are_counted_by_country_and_a_country_with_too_few_is_other() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        geo_database: Some(installed_database()),
        country_k: 2,
        ..Settings::for_tests()
    }))
    .await;
    // Two presses from the United States, one from the Netherlands, one from nowhere known.
    for address in ["8.8.8.8", "8.8.4.4", "193.0.6.139"] {
        assert_eq!(app.press(address).await.status(), 202, "{address}");
    }
    assert_eq!(app.press("10.1.2.3").await.status(), 202);
    app.wait_for_counter(4, Duration::from_secs(10)).await;
    app.wait_until_tallied().await;

    let today: Countries = app.get_json("/v1/countries?period=today").await;
    assert_eq!(today.k, 2);
    assert_eq!(today.countries.len(), 1, "{today:?}");
    assert_eq!(today.countries[0].country, country("US"));
    assert_eq!(today.countries[0].presses, 2);
    assert_eq!((today.other, today.unknown), (1, 1), "NL has fewer than k");
    let all: Countries = app.get_json("/v1/countries?period=all").await;
    assert_eq!(all.total(), 4);
    assert_eq!(
        app.get("/v1/countries?period=yesterday").await.status(),
        400
    );

    // The press log carries the country, never the address.
    let log = app.get("/v1/presses").await.text().await.expect("a body");
    assert!(
        !log.contains("8.8.8.8") && !log.contains("193.0.6.139"),
        "{log}"
    );
    let countries: Vec<Option<Country>> = log
        .lines()
        .map(|line| {
            serde_json::from_str::<LoggedPress>(line)
                .expect("a logged press")
                .country
        })
        .collect();
    assert_eq!(
        countries,
        [
            Some(country("US")),
            Some(country("US")),
            Some(country("NL")),
            None
        ]
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM presses WHERE client_key LIKE '%8.8%' OR country IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the query runs");
    assert_eq!(stored, 1, "only the press of no known country has none");
    app.stop().await;
}
